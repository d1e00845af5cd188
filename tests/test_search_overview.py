"""What the base holds as each reader sees it: counts by kind (equal to the filtered search's)
and the most present themes, never counting what the reader may not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.ingestion.batches import ingest_paths
from kb.search.overview import kind_counts, top_themes
from kb.search.results import search_documents
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_review import add_tag
from kb.visibility import Reader
from tests.conftest import CORPUS

VISITOR = Reader.anonymous()
MEMBER = Reader(user_id=1, roles=frozenset({"allie"}))
ADMIN = Reader(user_id=2, roles=frozenset({"admin"}))
CONCEPT = "https://kb.fabriquedestransitions.fr/taxonomie/c/"


@pytest.mark.parametrize("reader", [VISITOR, MEMBER, ADMIN], ids=["visiteur", "allie", "admin"])
def test_each_kind_counts_what_its_filtered_search_finds(corpus_ctx: KbContext,
                                                         reader: Reader) -> None:
    counts = kind_counts(corpus_ctx, reader)
    assert counts, "the shipped corpus holds every kind"
    for count in counts:
        assert count.count == search_documents(corpus_ctx, reader, "",
                                               filters={"type": [count.value]}).total
    visitor_total = sum(c.count for c in kind_counts(corpus_ctx, VISITOR))
    assert visitor_total < sum(c.count for c in counts) or reader == VISITOR


def test_kind_labels_agree_with_the_count(corpus_ctx: KbContext) -> None:
    labels = {c.value: c.label for c in kind_counts(corpus_ctx, ADMIN)}
    assert labels["fiche-experience"] == "Fiches d'expérience"
    assert labels["outil"] == "Outils et méthodes"


def _write(folder: Path, name: str, visibility: str) -> None:
    extra = "groupes: [collectif]\n" if visibility == "restreint" else ""
    folder.joinpath(f"{name}.md").write_text(
        f"---\ntitre: {name}\nvisibilite: {visibility}\n{extra}---\nUn texte.\n",
        encoding="utf-8")


def test_top_themes_count_only_readable_documents_and_leave_top_concepts_to_the_tree(
        ctx: KbContext, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, visibility in (("a", "public"), ("b", "public"), ("c", "restreint"),
                             ("d", "restreint"), ("e", "restreint")):
        _write(folder, name, visibility)
    ids = {o.source_key: o.document_id for o in ingest_paths(ctx, [folder]).outcomes}
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    operator = Reader.operator()
    for key in ("a.md", "b.md"):
        add_tag(ctx, operator, ids[key], CONCEPT + "communaute-apprenante")
    for key in ("c.md", "d.md", "e.md"):
        add_tag(ctx, operator, ids[key], CONCEPT + "plaidoyer")
    index_pending(ctx)

    visitor = {t.label: t.count for t in top_themes(ctx, VISITOR)}
    assert visitor == {"communauté apprenante": 2}
    admin = top_themes(ctx, ADMIN)
    # A concept counts its narrower ones' documents, as the themes facet does.
    assert [(t.label, t.count) for t in admin] == [
        ("changement de modèle", 3), ("plaidoyer", 3), ("communauté apprenante", 2)]
    assert admin[1].value == CONCEPT + "plaidoyer"
    assert "objectifs de la Charte fondatrice" not in {t.label for t in admin}  # a top concept
    assert len(top_themes(ctx, ADMIN, limit=1)) == 1
