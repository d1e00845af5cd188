"""Search through the taxonomy: a typed alternative or hidden label finds the documents tagged
with its concept, and the themes facet follows the hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kb.context import KbContext
from kb.indexing import index_pending
from kb.ingestion import ingest_paths
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag
from kb.search_service import search_documents
from kb.visibility import Reader

EX = "https://exemple.fr/doctrine/"
READER = Reader(user_id=1, roles=frozenset({"allie"}))


@pytest.fixture
def tagged(ctx: KbContext, tmp_path: Path) -> KbContext:
    folder = tmp_path / "docs"
    folder.mkdir()
    texts = {"cantine": "La cantine du collège sert des repas locaux.",
             "vergers": "Planter des vergers conservatoires dans la commune.",
             "atelier": "Un atelier de réparation de vélos.",
             "autre": "Les vergers et la cantine, sans étiquette."}
    for name, text in texts.items():
        (folder / f"{name}.md").write_text(
            f"---\ntitre: Fiche {name}\nvisibilite: public\nthemes: [divers]\n---\n{text}\n",
            encoding="utf-8")
    assert not ingest_paths(ctx, [folder]).failed
    with ctx.sessions.begin() as session:
        scheme = ConceptScheme(uri=EX, title="Doctrine")
        session.add(scheme)
        session.flush()
        concepts = {
            "transition": Concept(scheme_id=scheme.id, uri=EX + "transition",
                                  pref_label="Transition alimentaire",
                                  pref_labels=[["Transition alimentaire", "fr"]]),
            "restauration": Concept(scheme_id=scheme.id, uri=EX + "restauration",
                                    pref_label="Restauration collective",
                                    pref_labels=[["Restauration collective", "fr"]],
                                    alt_labels=[["RHD", "fr"]],
                                    hidden_labels=[["restau co", "fr"]]),
            "agroforesterie": Concept(scheme_id=scheme.id, uri=EX + "agroforesterie",
                                      pref_label="Agroforesterie",
                                      pref_labels=[["Agroforesterie", "fr"]]),
        }
        session.add_all(concepts.values())
        session.flush()
        for narrower in ("restauration", "agroforesterie"):
            session.add(ConceptRelation(source_id=concepts[narrower].id,
                                        target_id=concepts["transition"].id, kind="broader"))
        ids = {d.title.split()[-1]: d.id for d in session.scalars(select(Document))}
        session.add_all([
            DocumentTag(document_id=ids["cantine"], concept_id=concepts["restauration"].id),
            DocumentTag(document_id=ids["vergers"], concept_id=concepts["agroforesterie"].id),
            DocumentTag(document_id=ids["atelier"], concept_id=concepts["restauration"].id,
                        state="rejected"),
        ])
    index_pending(ctx)  # the new tags flagged their documents for indexing
    return ctx


def found(ctx: KbContext, query: str, **options: object) -> list[str]:
    page = search_documents(ctx, READER, query, **options)  # type: ignore[arg-type]
    return [hit.document.title for hit in page.hits]


@pytest.mark.parametrize("query", ["RHD", "rhd", "restau co", "restauration collective"])
def test_alternative_and_hidden_labels_find_tagged_documents(tagged: KbContext,
                                                             query: str) -> None:
    assert found(tagged, query) == ["Fiche cantine"]


def test_themes_facet_follows_the_hierarchy(tagged: KbContext) -> None:
    page = search_documents(tagged, READER, "fiche")
    themes = next(f for f in page.facets if f.name == "theme")
    shown = [(v.label, v.count, v.depth) for v in themes.values]
    top = shown.index(("Transition alimentaire", 2, 0))  # a broader concept counts its own
    assert set(shown[top + 1:top + 3]) == {("Restauration collective", 1, 1),
                                           ("Agroforesterie", 1, 1)}
    assert ("divers", 2, 0) in shown  # untagged documents keep their front-matter themes


def test_filtering_on_a_broader_concept_keeps_its_narrower_ones(tagged: KbContext) -> None:
    assert sorted(found(tagged, "fiche", filters={"theme": [EX + "transition"]})) == [
        "Fiche cantine", "Fiche vergers"]
    assert found(tagged, "fiche theme:agroforesterie") == ["Fiche vergers"]


def test_retagging_reaches_the_index(tagged: KbContext) -> None:
    with tagged.sessions.begin() as session:
        tag = session.scalar(select(DocumentTag).where(DocumentTag.state == "rejected"))
        assert tag is not None
        tag.state = "accepted"
    index_pending(tagged)
    assert sorted(found(tagged, "RHD")) == ["Fiche atelier", "Fiche cantine"]
