"""The results page's query help in a real browser, on a phone and on a desktop: a note for a
filter not understood, the count of documents writing a compound whole, suggestions written
as in the documents (screenshots at 390 and 1280 px)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from kb.ingestion.batches import ingest_paths
from tests.e2e.conftest import screenshot

NOTES = {
    "creuse": ("Tiers-lieux en Creuse", "Les tiers-lieux de la Creuse accueillent les habitants "
               "et le CRTE finance leur animation."),
    "renovation": ("Financer la rénovation", "Le tiers-financement de la rénovation énergétique "
                   "aide un tiers des habitants."),
    "ruraux": ("Des lieux de vie", "Des tiers lieux ruraux, ouverts aux habitants."),
}


def test_query_help_on_a_phone_and_a_desktop(page, live_app, tmp_path: Path  # type: ignore[no-untyped-def]
                                             ) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, (title, text) in NOTES.items():
        (folder / f"{name}.md").write_text(
            f"---\ntitre: {title}\nvisibilite: public\n---\n{text}\n", encoding="utf-8")
    assert not ingest_paths(live_app[0].extensions["kb"], [folder]).failed
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/recherche?q=tiers-lieux+annee%3Aabc")
        count = page.locator(".count").inner_text()
        assert count.startswith("3 documents pour « tiers-lieux annee:abc »")
        assert "dont 2 contiennent « tiers-lieux »" in " ".join(count.split())
        assert "« annee:abc » : une année est attendue" in page.locator(".spelling").inner_text()
        assert page.locator(".result h2 a").first.inner_text() == "Tiers-lieux en Creuse"
        assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
        screenshot(page, f"30-recherche-aide-{width}")
    box = page.locator("#q-main")
    box.fill("")
    box.press_sequentially("tiers-l", delay=30)
    option = page.locator("#" + str(box.get_attribute("list")) + " option").first
    expect(option).to_have_attribute("value", "tiers-lieux")
    box.fill("")
    box.press_sequentially("crt", delay=30)
    suggested = page.locator("#" + str(box.get_attribute("list")) + " option").first
    expect(suggested).to_have_attribute("value", "CRTE")
