"""Honest query help on a real database and index: suggestions shown as documents write them,
corrections applied only when sure, prefixes, filters not understood, exclusions alone, and
the count of documents writing a compound whole; always among what the reader may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.search.results import SearchPage, search_documents
from kb.search.suggest import suggest
from kb.visibility import Reader

ANONYMOUS = Reader.anonymous()
COLLECTIF = Reader(user_id=7, roles=frozenset({"collectif"}))

NOTES = {
    "tiers-lieux": ("Tiers-lieux en Creuse", "public",
                    "Les tiers-lieux de la Creuse accueillent les habitants. Le CRTE de la "
                    "Creuse finance les tiers-lieux et leur animation."),
    "financement": ("Financer la rénovation", "public",
                    "Le tiers-financement de la rénovation énergétique aide un tiers des "
                    "habitants. Le CRTE n'y suffit pas."),
    "ruraux": ("Mutualiser des lieux de vie", "public",
               "Des lieux de vie et des tiers lieux ruraux, ouverts aux habitants."),
    "transition": ("La transition écologique", "public",
                   "La transition écologique des territoires passe par une phase transitoire. "
                   "Les habitants la racontent."),
    "secret": ("Note du collectif", "restreint\ngroupes: [collectif]",
               "Le plan Zorglub-Horizon du collectif et son tiers-secret."),
}


def write_notes(ctx: KbContext, tmp_path: Path) -> KbContext:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, (title, visibility, text) in NOTES.items():
        (folder / f"{name}.md").write_text(
            f"---\ntitre: {title}\nvisibilite: {visibility}\n---\n{text}\n", encoding="utf-8")
    assert not ingest_paths(ctx, [folder]).failed
    return ctx


@pytest.fixture
def notes(ctx: KbContext, tmp_path: Path) -> KbContext:
    return write_notes(ctx, tmp_path)


def words(ctx: KbContext, reader: Reader, text: str) -> list[str]:
    return [s.word for s in suggest(ctx, reader, text)]


def titles(page: SearchPage) -> list[str]:
    return [hit.document.title for hit in page.hits]


def test_suggestions_are_written_as_in_the_documents(notes: KbContext) -> None:
    tiers = words(notes, ANONYMOUS, "tiers")
    assert {"tiers", "tiers-lieux", "tiers-financement"} <= set(tiers)
    assert not [w for w in tiers if "\x1f" in w or w in ("tierslieux", "tiersfinancement")]
    assert words(notes, ANONYMOUS, "crt") == ["CRTE"]
    assert words(notes, ANONYMOUS, "ecolo") == ["écologique"]
    assert words(notes, ANONYMOUS, "tiers-l") == ["tiers-lieux"]
    # A capital that only starts a sentence is not how the word is written.
    assert words(notes, ANONYMOUS, "mutu") == ["mutualiser"]


def test_suggestions_never_reveal_a_word_of_a_document_the_reader_cannot_see(
        notes: KbContext) -> None:
    assert words(notes, ANONYMOUS, "zorglub") == []
    assert words(notes, ANONYMOUS, "tiers-s") == []
    assert "tiers-secret" not in words(notes, ANONYMOUS, "tiers")
    assert words(notes, COLLECTIF, "tiers-s") == ["tiers-secret"]
    assert "Zorglub-Horizon" in words(notes, COLLECTIF, "zorglub")


def test_a_completion_carries_no_word_the_spelling_help_would_correct(
        notes: KbContext) -> None:
    assert [s.query for s in suggest(notes, ANONYMOUS, "tranzition ecolo")] == [
        "transition écologique"]
    assert [s.query for s in suggest(notes, ANONYMOUS, "la transition ecolo")] == [
        "la transition écologique"]


def test_a_trailing_star_searches_a_prefix_as_typed(notes: KbContext) -> None:
    page = search_documents(notes, ANONYMOUS, "transi*")
    assert titles(page) == ["La transition écologique"] and page.spelling is None
    assert page.searched == "transi*"
    snippet = str(page.hits[0].snippet)
    assert '<mark class="hl">transition</mark>' in snippet
    assert '<mark class="hl">transitoire</mark>' in snippet
    assert search_documents(notes, ANONYMOUS, "habitants -transi*").total == 3
    assert search_documents(notes, ANONYMOUS, "zzqx*").total == 0
    assert titles(search_documents(notes, ANONYMOUS, "tiers-l*"))[0] == "Tiers-lieux en Creuse"
    # Nothing of a hidden document through a prefix either.
    assert search_documents(notes, ANONYMOUS, "zorg*").total == 0
    assert titles(search_documents(notes, COLLECTIF, "zorg*")) == ["Note du collectif"]


def test_exclusions_alone_list_every_other_visible_document(notes: KbContext) -> None:
    page = search_documents(notes, ANONYMOUS, "-tiers")
    assert titles(page) == ["La transition écologique"] and page.total == 1
    page = search_documents(notes, ANONYMOUS, "-transition -CRTE")
    assert titles(page) == ["Mutualiser des lieux de vie"]
    assert search_documents(notes, COLLECTIF, "-tiers").total == 1  # the note has a tiers-secret
    assert search_documents(notes, COLLECTIF, "-crte").total == 3


def test_a_filter_with_a_value_not_understood_is_searched_as_words(notes: KbContext) -> None:
    page = search_documents(notes, ANONYMOUS, "annee:abc")
    assert page.total == 0 and not page.chips
    assert page.notes == ["« annee:abc » : une année est attendue, comme annee:2021 ou "
                          "annee:2019-2021 ; « abc » est cherché dans le texte."]
    page = search_documents(notes, ANONYMOUS, "type:creuse")
    assert titles(page) == ["Tiers-lieux en Creuse"] and len(page.notes) == 1
    # A value found only in a document the reader cannot see is not understood either.
    assert search_documents(notes, ANONYMOUS, "theme:zorglub").notes


def test_corrections_applied_only_when_close_and_never_to_code(notes: KbContext) -> None:
    close = search_documents(notes, ANONYMOUS, "tranzition")
    assert close.spelling is not None and close.spelling.applied
    assert close.spelling.query == "transition" and close.total == 1
    # Two letters changed in a short word: a guess, offered and not applied.
    far = search_documents(notes, ANONYMOUS, "crasse")
    assert far.total == 0 and far.spelling is not None and not far.spelling.applied
    assert far.spelling.query == "Creuse"
    code = search_documents(notes, ANONYMOUS, "<script>alert(1)</script>")
    assert code.spelling is None and code.total == 0 and code.hits == []
    assert search_documents(notes, ANONYMOUS, "creuse() && x").spelling is None


def test_a_compound_typed_whole_says_how_many_write_it(notes: KbContext) -> None:
    page = search_documents(notes, ANONYMOUS, "tiers-lieux")
    assert titles(page)[:2] == ["Tiers-lieux en Creuse", "Mutualiser des lieux de vie"]
    assert page.compounds == ["tiers-lieux"]
    assert page.total == 3 and page.with_compounds == 2  # not the tiers-financement


@pytest.fixture
def site(app: Flask, client: FlaskClient, tmp_path: Path) -> FlaskClient:
    write_notes(app.extensions["kb"], tmp_path)
    return client


def test_the_results_page_says_it_all_escaped(site: FlaskClient) -> None:
    def text(query: str) -> str:
        response = site.get("/recherche", query_string={"q": query})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    page = text("<script>alert(1)</script>")
    assert "Aucun résultat pour « &lt;script&gt;alert(1)&lt;/script&gt; »" in page
    assert "<script>alert(1)" not in page and "Vouliez-vous dire" not in page
    assert "3 documents pour « tiers-lieux », dont 2\n    contiennent « tiers-lieux »" in text(
        "tiers-lieux")
    assert "« annee:abc » : une année est attendue" in text("transition annee:abc")
    body = site.get("/api/search", query_string={"q": "tiers-lieux annee:abc"}).get_json()
    assert body["compounds"] == {"typed": ["tiers-lieux"], "total": 2}
    assert body["notes"][0].startswith("« annee:abc »")
    completions = site.get("/api/search/suggestions", query_string={"q": "crt"}).get_json()
    assert [s["word"] for s in completions["suggestions"]] == ["CRTE"]
