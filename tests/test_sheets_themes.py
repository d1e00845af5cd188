"""Theme suggestions while a sheet is written: taxonomy labels and declared themes."""

from __future__ import annotations

import time
from pathlib import Path

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.sheets.themes import fold_words, match_labels, suggest_themes
from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS

TEXT = ("Avec les communautés apprenantes du réseau, la ressourcerie a rejoint le contrat de "
        "relance et de transition écologique. Les élus ont suivi une formation.")


def test_folding_ignores_case_accents_and_plurals() -> None:
    assert fold_words("Élus, Tiers-Lieux et ŒUVRES") == ["elu", "tier", "lieu", "et", "oeuvre"]


def test_labels_match_whole_words_only() -> None:
    found = match_labels([("mobilité", ("mobilité",)), ("élu", ("élus",))],
                         "Les immobilités ? Deux élus, un Élu.", title="Mobilité des élus")
    assert [(s.label, s.score) for s in found] == [("élu", 5.0), ("mobilité", 3.0)]


def test_declared_themes_before_any_taxonomy(ctx: KbContext, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitre: A\nthemes: [formation des élus, culture]\n---\n"
                                   "x\n", encoding="utf-8")
    ingest_paths(ctx, [tmp_path / "a.md"])
    assert [s.label for s in suggest_themes(ctx, TEXT)] == []
    found = suggest_themes(ctx, TEXT + " La formation des élus a duré deux jours.")
    assert [s.label for s in found] == ["formation des élus"]


def test_taxonomy_concepts_by_any_label_shown_by_preferred_label(ctx: KbContext) -> None:
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    started = time.perf_counter()
    labels = [s.label for s in suggest_themes(ctx, TEXT, title="Une ressourcerie")]
    assert time.perf_counter() - started < 2, "answers while the author types"
    assert "communauté apprenante" in labels  # found through its plural alternative label
    assert "CRTE" in labels or any("contrat de relance" in label for label in labels)
    chosen = suggest_themes(ctx, TEXT, exclude=["Communauté apprenante"])
    assert "communauté apprenante" not in [s.label for s in chosen]
