"""The query syntax: words, phrases, exclusions, filters; malformed input never raises."""

from __future__ import annotations

import pytest

from indexer.search.query import filters_as_words, parse, prefix_key, without_span


def test_words_phrases_exclusions_and_filters() -> None:
    query = parse('tiers-lieux "mise en récit" -Tulle +cantine type:fiche annee:2021')
    assert query.words == ["tiers-lieux"]
    assert query.phrases == ["mise en récit"]
    assert query.excluded == ["Tulle"]
    assert query.required == ["cantine"]
    assert [(f.name, f.value) for f in query.filters] == [("type", "fiche"), ("annee", "2021")]
    assert query.positive == ["tiers-lieux", "cantine", "mise en récit"]


def test_filter_names_are_forgiving_and_values_may_be_quoted() -> None:
    query = parse('Thème:"économie circulaire" ANNÉE:2019-2021 territoire:Pays-Basque')
    assert [(f.name, f.value) for f in query.filters] == [
        ("theme", "économie circulaire"), ("annee", "2019-2021"), ("territoire", "Pays-Basque")]


def test_unknown_filter_is_read_as_words() -> None:
    query = parse("titre:transition")
    assert query.filters == [] and query.words == ["titre transition"]


def test_french_quotes_and_operators() -> None:
    query = parse("« économie de la fonctionnalité » OR cantine NOT bio AND élus")
    assert query.phrases == ["économie de la fonctionnalité"]
    assert query.words == ["cantine", "élus"]
    assert query.excluded == ["bio"]


@pytest.mark.parametrize("text", ['"récit', "(((", "AND OR NOT", "titre:", "-", "*", '""',
                                  "type:", "::", '-"', "+", "\x00", "a" * 5000, "é:è:à"])
def test_malformed_queries_parse(text: str) -> None:
    query = parse(text)
    assert query.filters == []  # no valid `name:value` in any of them
    pieces = [*query.positive, *query.excluded]
    assert all(piece.strip() for piece in pieces)
    assert set("".join(pieces)) <= set(text) | {" "}  # nothing made up


def test_unterminated_phrase_keeps_its_words() -> None:
    assert parse('"mise en récit').phrases == ["mise en récit"]


def test_without_span_removes_one_filter() -> None:
    text = "cantine type:fiche annee:2021"
    query = parse(text)
    assert without_span(text, query.filters[0].span) == "cantine annee:2021"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("comment associer les citoyens ?", ["associer", "les", "citoyens"]),
        ("Pourquoi les tiers-lieux peinent-ils", ["les", "tiers-lieux", "peinent-ils"]),
        ("combien coûte un diagnostic", ["coûte", "un", "diagnostic"]),
        ("le comment et le pourquoi", ["le", "comment", "et", "le", "pourquoi"]),
        ("méthode comment faire", ["méthode", "comment", "faire"]),
    ],
)
def test_question_words_are_dropped_in_questions_only(text: str, words: list[str]) -> None:
    assert parse(text).words == words


def test_a_trailing_star_makes_a_prefix() -> None:
    assert [prefix_key(w) for w in ("transi*", "tiers-l*", "l'éco*", "*", "a*b*", "mot")] == [
        "transi", "tiersl", "eco", None, None, None]


def test_filters_turned_into_words_keep_the_others() -> None:
    query = parse("haies annee:abc type:fiche")
    wrong = [f for f in query.filters if f.name == "annee"]
    turned = filters_as_words(query, wrong)
    assert turned.words == ["haies", "abc"] and [f.name for f in turned.filters] == ["type"]
