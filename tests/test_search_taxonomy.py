"""Search through the taxonomy: a typed alternative or hidden label finds the documents tagged
with its concept, and the themes facet follows the hierarchy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag
from kb.search.expansion import SAVED_FILE, taxonomy
from kb.search.results import search_documents
from kb.taxonomy.editing import create_concept, set_relations, update_concept
from kb.taxonomy.skos_import import import_skos
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
                                      pref_labels=[["Agroforesterie", "fr"]],
                                      definitions=[["Associer des arbres aux cultures et à "
                                                    "l'élevage sur une même parcelle.", "fr"]]),
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


def test_a_question_finds_the_concept_its_words_describe(tagged: KbContext) -> None:
    # None of these words is in the document or in a label: the definition describes them.
    assert found(tagged, "comment associer des arbres aux cultures ?") == ["Fiche vergers"]
    assert found(tagged, "associer arbres élevage parcelle") == ["Fiche vergers"]
    # Two words are too few to guess a concept from.
    assert found(tagged, "arbres cultures") == []


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


def theme_counts(ctx: KbContext) -> dict[str, int]:
    page = search_documents(ctx, READER, "fiche")
    themes = next(f for f in page.facets if f.name == "theme")
    return {v.label: v.count for v in themes.values}


def test_a_relabelled_concept_is_searched_under_its_new_label(tagged: KbContext) -> None:
    assert found(tagged, "écoliers") == []
    update_concept(tagged, Reader.operator(), EX + "restauration",
                   pref_label="Repas des écoliers")
    # No `kb reindex`: the edit flagged the tagged document, and the edit indexed it.
    assert found(tagged, "ecoliers") == ["Fiche cantine"]


def labels_seen_afresh(settings: Settings) -> dict[str, str]:
    """The concept labels a new process sees: another instance object on the same database
    and folder, with nothing kept in memory."""
    fresh = open_instance(settings)
    try:
        return taxonomy(fresh).labels
    finally:
        fresh.close()


def test_a_new_process_takes_the_saved_taxonomy_until_a_concept_changes(
        tagged: KbContext) -> None:
    taxonomy(tagged)
    saved = tagged.settings.index_dir / SAVED_FILE
    # Marking the saved copy shows whether a new process reads it or the database.
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["parts"]["labels"][EX + "agroforesterie"] = "Lu dans le fichier"
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert labels_seen_afresh(tagged.settings)[EX + "agroforesterie"] == "Lu dans le fichier"
    update_concept(tagged, Reader.operator(), EX + "agroforesterie",
                   pref_label="Arbres et cultures")
    assert labels_seen_afresh(tagged.settings)[EX + "agroforesterie"] == "Arbres et cultures"
    rewritten = json.loads(saved.read_text(encoding="utf-8"))
    assert rewritten["parts"]["labels"][EX + "agroforesterie"] == "Arbres et cultures"
    saved.write_text("{pas du JSON", encoding="utf-8")
    assert labels_seen_afresh(tagged.settings)[EX + "agroforesterie"] == "Arbres et cultures"
    assert json.loads(saved.read_text(encoding="utf-8"))["key"] == rewritten["key"]


def test_moving_a_concept_moves_the_documents_of_its_narrower_ones(tagged: KbContext) -> None:
    operator = Reader.operator()
    food = create_concept(tagged, operator, "Alimentation", scheme_uri=EX)
    assert "Alimentation" not in theme_counts(tagged)
    set_relations(tagged, operator, EX + "transition", broader=[food])
    # The two documents are tagged with narrower concepts of the moved one.
    assert theme_counts(tagged)["Alimentation"] == 2
    assert sorted(found(tagged, "fiche", filters={"theme": [food]})) == [
        "Fiche cantine", "Fiche vergers"]


def test_a_skos_import_that_moves_a_concept_reaches_the_index(tagged: KbContext,
                                                              tmp_path: Path) -> None:
    narrower = "\n".join(
        f'<{EX}{name}> a skos:Concept ; skos:prefLabel "{label}"@fr ; skos:inScheme <{EX}> ;'
        f" skos:broader <{EX}transition> ."
        for name, label in (("restauration", "Restauration collective"),
                            ("agroforesterie", "Agroforesterie")))
    path = tmp_path / "doctrine.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<{EX}> a skos:ConceptScheme ; skos:prefLabel "Doctrine"@fr .\n'
        f'<{EX}alimentation> a skos:Concept ; skos:prefLabel "Alimentation"@fr ;'
        f" skos:inScheme <{EX}> ; skos:topConceptOf <{EX}> .\n"
        f'<{EX}transition> a skos:Concept ; skos:prefLabel "Transition alimentaire"@fr ;'
        f" skos:inScheme <{EX}> ; skos:broader <{EX}alimentation> .\n{narrower}\n",
        encoding="utf-8")
    import_skos(tagged, path)
    assert theme_counts(tagged)["Alimentation"] == 2

