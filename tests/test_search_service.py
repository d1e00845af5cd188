"""Search as readers see it (kb.search.results and friends) on a real database and index:
visibility on every channel, spelling help, filters, facets, similar documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Document
from kb.search.results import search_documents
from kb.search.similar import similar_documents
from kb.search.suggest import suggest
from kb.visibility import Reader

ANONYMOUS = Reader.anonymous()
COLLECTIF = Reader(user_id=7, roles=frozenset({"collectif"}))
ALLY = Reader(user_id=8, roles=frozenset({"allie"}))

NOTES = {
    "bocage.md": ("Le bocage normand", "public", "Calvados", "2019-04-02",
                  "Les haies du bocage abritent la biodiversité des territoires ruraux."),
    "haies.md": ("Replanter des haies", "public", "Manche", "2021-09-10",
                 "Replanter des haies bocagères avec les agriculteurs et les élu·e·s."),
    "foret.md": ("La forêt communale", "membres", "Vosges", "2022-01-15",
                 "La forêt communale et les haies : une gestion partagée par les habitants."),
    "secret.md": ("Note du collectif", "restreint\ngroupes: [collectif]", "Atlantide", "2023-05-05",
                  "Le zorglubisme appliqué aux haies du bocage reste confidentiel."),
}


@pytest.fixture
def kb_ctx(ctx: KbContext, tmp_path: Path) -> KbContext:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, (title, visibility, territory, date, text) in NOTES.items():
        (folder / name).write_text(
            f"---\ntitre: {title}\nvisibilite: {visibility}\nterritoire: {territory}\n"
            f"date: {date}\nauteurs: [Claire Fontaine]\n---\n{text}\n", encoding="utf-8")
    report = ingest_paths(ctx, [folder])
    assert not report.failed
    return ctx


def titles(ctx: KbContext, reader: Reader, query: str, **options: object) -> list[str]:
    page = search_documents(ctx, reader, query, **options)  # type: ignore[arg-type]
    return [hit.document.title for hit in page.hits]


def test_a_confidential_word_gives_nothing_to_others_and_everything_to_its_readers(
        kb_ctx: KbContext) -> None:
    for reader in (ANONYMOUS, ALLY):
        page = search_documents(kb_ctx, reader, "zorglubisme")
        assert page.hits == [] and page.total == 0 and page.facets == []
        assert page.spelling is None
        assert suggest(kb_ctx, reader, "zorglu") == []
        assert search_documents(kb_ctx, reader, "zorglubism").spelling is None
    page = search_documents(kb_ctx, COLLECTIF, "zorglubisme")
    assert [h.document.title for h in page.hits] == ["Note du collectif"]
    assert page.total == 1 and "<mark" in str(page.hits[0].snippet)
    assert [s.word for s in suggest(kb_ctx, COLLECTIF, "zorglu")] == ["zorglubisme"]
    assert search_documents(kb_ctx, COLLECTIF, "zorglubism").spelling.query == "zorglubisme"  # type: ignore[union-attr]


def test_counts_and_facets_only_count_what_the_reader_may_see(kb_ctx: KbContext) -> None:
    counts = {reader: search_documents(kb_ctx, reader, "haies")
              for reader in (ANONYMOUS, ALLY, COLLECTIF)}
    assert [counts[r].total for r in (ANONYMOUS, ALLY, COLLECTIF)] == [2, 3, 4]
    territories = {r: {v.label for f in counts[r].facets if f.name == "territoire"
                       for v in f.values} for r in counts}
    assert territories[ANONYMOUS] == {"Calvados", "Manche"}
    assert "Atlantide" in territories[COLLECTIF] and "Atlantide" not in territories[ALLY]
    years = {v.value: v.count for f in counts[ALLY].facets if f.name == "annee" for v in f.values}
    assert years == {"2019": 1, "2021": 1, "2022": 1}


def test_snippets_come_from_visible_documents_only(kb_ctx: KbContext) -> None:
    for hit in search_documents(kb_ctx, ANONYMOUS, "haies bocage").hits:
        assert "zorglubisme" not in str(hit.snippet)
        assert hit.document.visibility == "public"


def test_filters_typed_or_chosen_and_their_chips(kb_ctx: KbContext) -> None:
    assert titles(kb_ctx, ALLY, "haies territoire:manche") == ["Replanter des haies"]
    assert titles(kb_ctx, ALLY, "haies annee:2021-2022", sort="date") == [
        "La forêt communale", "Replanter des haies"]
    page = search_documents(kb_ctx, ALLY, "haies", filters={"territoire": ["Vosges"]})
    assert [h.document.title for h in page.hits] == ["La forêt communale"]
    assert [(c.label, c.filters) for c in page.chips] == [("Territoire : Vosges", {})]
    page = search_documents(kb_ctx, ALLY, "haies auteur:fontaine type:autre")
    assert page.total == 3
    assert [c.query for c in page.chips] == ["haies type:autre", "haies auteur:fontaine"]
    # A typed filter that matches nothing the reader may see is searched as words, saying so.
    page = search_documents(kb_ctx, ALLY, "haies territoire:atlantide")
    assert page.total == search_documents(kb_ctx, ALLY, "haies atlantide").total > 0
    assert not page.chips and page.notes == [
        "« territoire:atlantide » : aucun territoire ne correspond ; « atlantide » est "
        "cherché dans le texte."]
    page = search_documents(kb_ctx, ALLY, "haies annee:abc type:fiche-experience")
    assert [c.label for c in page.chips] == ["Type de document : fiche-experience"]
    assert len(page.notes) == 1 and page.notes[0].startswith("« annee:abc » : une année")


def test_spelling_offered_when_little_is_found_and_applied_when_nothing_is(
        kb_ctx: KbContext) -> None:
    applied = search_documents(kb_ctx, ANONYMOUS, "bocgae")
    assert applied.spelling is not None and applied.spelling.applied
    assert applied.spelling.query == "bocage" and applied.total == 1
    assert search_documents(kb_ctx, ANONYMOUS, "bocgae", correct=False).total == 0
    offered = search_documents(kb_ctx, ANONYMOUS, "replanter biodivresite")
    assert offered.spelling is not None and not offered.spelling.applied
    assert offered.spelling.query == "replanter biodiversité" and offered.spelling.total == 2
    # Words typed without accents get them back in the query offered.
    accents = search_documents(kb_ctx, ANONYMOUS, "haies bocageres biodivresite")
    assert accents.spelling is not None
    assert accents.spelling.query == "haies bocagères biodiversité"
    assert search_documents(kb_ctx, ANONYMOUS, "haies").spelling is None


def test_similar_documents_respect_visibility(kb_ctx: KbContext) -> None:
    with kb_ctx.sessions() as session:
        ids = {d.title: d.id for d in session.scalars(select(Document))}
    public = [d.title for d in similar_documents(kb_ctx, ANONYMOUS, ids["Le bocage normand"])]
    member = [d.title for d in similar_documents(kb_ctx, COLLECTIF, ids["Le bocage normand"])]
    assert public == ["Replanter des haies"]
    assert "Note du collectif" in member and "Le bocage normand" not in member
    assert similar_documents(kb_ctx, ANONYMOUS, ids["Note du collectif"]) == []


def test_empty_query_without_filters_searches_nothing(kb_ctx: KbContext) -> None:
    page = search_documents(kb_ctx, ALLY, "   ")
    assert page.total == 0 and page.hits == [] and page.facets == []
    browse = search_documents(kb_ctx, ALLY, "", filters={"annee": ["2019", "2022"]})
    assert [h.document.title for h in browse.hits] == ["La forêt communale", "Le bocage normand"]
