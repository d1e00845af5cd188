"""Tagging in a browser: an administrator switches a thesaurus's use for tagging on the
taxonomy page; a documentalist reads why a learned suggestion was made (screenshots at 390
and 1280 px)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.ingestion.batches import ingest_paths
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_import import import_tags
from kb.taxonomy.tagging import tag_documents
from tests.conftest import CORPUS
from tests.e2e.conftest import screenshot, sign_in
from tests.test_tagging import doc_id
from tests.test_tagging_learned import DESIGN, SYSTEMIC, write_corpus

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)


def fits(page) -> bool:  # type: ignore[no-untyped-def]
    """No page scrolls sideways."""
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_switch_a_thesaurus_and_read_a_learned_suggestion(  # type: ignore[no-untyped-def]
        page, live_app, tmp_path: Path) -> None:
    app, _url = live_app
    ctx = app.extensions["kb"]
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    assert not ingest_paths(ctx, [write_corpus(tmp_path / "docs")]).failed
    decisions = tmp_path / "decisions.tsv"
    decisions.write_text("".join(f"mobilite-{n:02d}.md\t{SYSTEMIC}\ncantine-{n:02d}.md\t"
                                 f"{DESIGN}\n" for n in range(10)), encoding="utf-8")
    import_tags(ctx, decisions)
    tag_documents(ctx, [])
    sign_in(page, "admin")
    page.goto(f"/documents/{doc_id(ctx, 'mobilite-11.md')}")
    learned = page.locator("li.tag", has_text="approche systémique")
    learned.get_by_text("Pourquoi ?").click()
    learned.get_by_text("Appris de 10 documents semblables").wait_for()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"30-document-theme-appris-{width}")
        assert fits(page)
    page.goto("/taxonomie/")
    page.get_by_role("button", name="Ne plus étiqueter avec ce thésaurus").click()
    page.get_by_text("ne sert plus à l'étiquetage automatique").first.wait_for()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"31-themes-thesaurus-{width}")
        assert fits(page)
    page.get_by_role("button", name="Étiqueter avec ce thésaurus").click()
    page.get_by_text("sert à l'étiquetage automatique").first.wait_for()
