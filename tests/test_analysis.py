"""The French analysis chain, token by token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.analysis.chain import folding_analyzer, french_analyzer, split_word
from indexer.analysis.french import INCLUSIVE_SUFFIXES, fold, is_stopword, stem, written_words

ROOT = Path(__file__).resolve().parents[1]


def tokens(text: str) -> list[str]:
    return [t.text for t in french_analyzer()(text, mode="index")]


def query_tokens(text: str) -> list[str]:
    return [t.text for t in french_analyzer()(text, mode="query")]


@pytest.mark.parametrize(
    ("indexed", "typed"),
    [
        ("l'économie", "economie"),
        ("l’économie", "Économies"),
        ("d'intercommunalité", "intercommunalites"),
        ("qu'elles", "elles"),
        ("jusqu’aux territoires", "territoire"),
        ("lorsqu'il coopère", "cooperer"),
        ("puisqu’aujourd’hui", "aujourd'hui"),
        ("les allié.e.s", "alliés"),
        ("les élu·e·s", "élus"),
        ("des citoyen-ne-s", "citoyens"),
        ("les habitant·es", "habitants"),
        ("les facilitateurs/trices", "facilitateurs"),
        ("les élus", "élu"),
        ("les enjeux", "enjeu"),
        ("en milieu rural", "milieux"),
        ("un tiers-lieu", "tiers-lieux"),
        ("des vœux", "voeu"),
        ("écologique", "ecologique"),
        ("ŒUVRE", "oeuvre"),
        # Feminine and plural forms meet the masculine singular, in real sentences.
        ("Les actions réalisées par la commune ont été évaluées.", "action réalisée"),
        ("Les actions réalisées par la commune ont été évaluées.", "réalisé"),
        ("Le diagnostic réalisé en 2021 a été relu.", "diagnostics réalisés"),
        ("Le diagnostic réalisé en 2021 a été relu.", "realisees"),
        ("Une coopérative créée en 2019 par les habitants.", "créé"),
        ("Deux coopératives ont été créées.", "cree"),
        ("Les collectivités engagées dans la transition.", "collectivité engagé"),
        ("Un élu engagé depuis le début.", "élues engagées"),
        ("Une démarche comprise par tous.", "compris"),
        ("La méthode décrite dans la fiche.", "décrits"),
        ("La première réunion publique.", "premier"),
        ("Les récits des habitants.", "récit"),
        ("Deux emplois créés à Lunéville.", "emploi"),
        ("Des crédits de relance.", "crédit"),
        ("Les usagers du transport.", "usager"),
    ],
)
def test_variants_meet(indexed: str, typed: str) -> None:
    assert set(query_tokens(typed)) <= set(tokens(indexed)), (tokens(indexed), query_tokens(typed))


def test_adjectives_in_eux_are_not_taken_for_plurals() -> None:
    assert tokens("les enjeux nombreux, précieux et religieux") == [
        "enjeu", "nombreux", "precieux", "religi"]


def test_stop_words_and_single_letters_are_dropped() -> None:
    assert tokens("Les élus et la commune de l'EPCI") == ["elu", "commun", "epci"]


def test_compound_found_by_each_part_and_whole() -> None:
    indexed = tokens("un tiers-lieu rural")
    assert {"tier", "lieu"} <= set(indexed)
    assert "tierslieu" in indexed
    assert set(query_tokens("tiers-lieu")) <= set(indexed)
    assert set(query_tokens("tiers lieu")) <= set(indexed)


def test_a_slash_joins_only_an_inclusive_ending() -> None:
    assert tokens("les facilitateurs/trices") == ["facilit"]
    assert tokens("les acteur/rices") == ["acteur"]
    assert tokens("entrée/sortie") == ["entre", "sort"]


def test_analysis_and_lemmatisation_share_the_inclusive_endings() -> None:
    from indexer.nlp.pipeline import normalise

    for ending in sorted(INCLUSIVE_SUFFIXES):
        word = f"acteur/{ending}"
        assert len(tokens(word)) == 1, word
        assert normalise(word) in ("acteur", "acteurs"), word


def test_numbers_and_acronyms() -> None:
    assert split_word("1.500") == (["1500"], None)
    assert split_word("2021-2022") == (["2021", "2022"], None)
    assert split_word("a.d.e.m.e") == (["ademe"], None)


def test_offsets_point_at_the_original_words() -> None:
    text = "Les citoyen-ne-s et l’économie"
    spans = [(t.text, text[t.startchar:t.endchar])
             for t in french_analyzer()(text, chars=True, mode="query")]
    assert ("citoyen", "citoyen-ne-s") in spans
    assert spans[-1][1] == "économie"


def test_folding_analyzer_does_not_stem() -> None:
    assert [t.text for t in folding_analyzer()("Transitions Écologiques")] == [
        "transitions", "ecologiques"]


def positions(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in french_analyzer()(text, positions=True, mode="index")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("qu’il", []),
        ("jusqu'aux", []),
        ("lorsqu’elle coopère", ["cooper"]),
        ("l’Économie d’abord", ["econom", "abord"]),
        ("Qu'est-ce que la sobriété ?", ["sobriet"]),
        ("pourquoi, comment, combien : déjà être", ["pourquoi", "comment", "combien"]),
        ("deja etre", []),
    ],
)
def test_elisions_and_stop_words(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_stop_words_leave_no_gap_so_phrases_meet() -> None:
    assert positions("l'économie de la fonctionnalité") == [("econom", 0), ("fonctionnalit", 1)]


def test_compound_parts_are_consecutive_and_the_whole_shares_the_first_position() -> None:
    assert positions("tiers-lieux ruraux") == [
        ("tier", 0), ("lieu", 1), ("tierslieu", 0), ("rural", 2)]
    assert [t.text for t in french_analyzer()("tiers-lieux", mode="query")] == ["tier", "lieu"]


def test_completion_analyzer_keeps_the_written_forms() -> None:
    from indexer.analysis.chain import SURFACE_MARK, completion_analyzer

    found = [t.text for t in completion_analyzer()("Écologique transition, CRTE et tiers-lieux")]
    assert found == ["ecologique", f"ecologique{SURFACE_MARK}Écologique", "transition", "crte",
                     f"crte{SURFACE_MARK}CRTE", "tiers", "lieux", "tierslieux",
                     f"tierslieux{SURFACE_MARK}tiers-lieux"]


def test_written_words_drop_only_the_capital_that_starts_a_sentence() -> None:
    text = ("Replanter des haies à Annecy. L'Économie du CRTE !\n# Transition écologique\n"
            "- Tiers-lieux de La Réunion")
    assert written_words(text) == [
        "replanter", "des", "haies", "à", "Annecy", "l'économie", "du", "CRTE", "transition",
        "écologique", "tiers-lieux", "de", "La", "Réunion"]


@pytest.mark.parametrize(("word", "stem"), [("élues", "elu"), ("Processus", "processus"),
                                            ("vécus", "vecu"), ("cœurs", "coeur")])
def test_folding_happens_before_stemming(word: str, stem: str) -> None:
    assert tokens(word) == [stem]


def test_words_typed_without_accents_stem_like_the_written_ones() -> None:
    written = "réalisée créées engagées première collectivité maïeutique énergétique récits"
    assert tokens(written) == query_tokens(fold(written))


def test_no_participle_of_the_corpus_ends_apart_from_its_masculine_singular() -> None:
    """Over the shipped corpus's vocabulary: every word that looks like a masculine singular
    past participle (-é, -i, -u, -is, -it, -ert) stems like its feminine and plural forms
    found in the corpus. The few words listed are not participles but nouns or adjectives
    whose other form is another word (« pari » / « Paris », « retrait » / « retraite »)."""
    not_participles = {"pari", "mi", "villageois", "drômois", "français", "précis", "petit",
                       "retrait"}
    words: set[str] = set()
    for path in (ROOT / "corpus").rglob("*.md"):
        words |= {w.lower() for w in re.findall(r"[^\W\d_]{2,}", path.read_text("utf-8"))}
    apart = [(word, word + ending) for word in sorted(words - not_participles)
             if word.endswith(("é", "i", "u", "is", "it", "ert"))
             and not is_stopword(word, 2)
             for ending in ("e", "s", "es")
             if word + ending in words and stem(fold(word)) != stem(fold(word + ending))]
    assert len([w for w in words if w.endswith("é")]) > 300  # the check saw the corpus
    assert apart == []
