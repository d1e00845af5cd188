"""A trainer builds a catalogue from a search, in a real browser: each addition keeps the
results page, with script (in place) and without (back to the same result); moves say what
moved; deleting asks first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Site, open_tab, screenshot, sideways_scroll, sign_in

pytestmark = pytest.mark.browser
RESULTS = "/recherche?q=territoire&type=fiche-experience"


def result_titled(tab, title: str):  # type: ignore[no-untyped-def]
    return tab.locator(".result").filter(has=tab.get_by_role("link", name=title, exact=True))


@pytest.mark.parametrize("width", [390, 1280])
def test_adding_results_keeps_the_results_page(browser, site: Site, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        sign_in(tab, "formateur")
        tab.goto(RESULTS)
        titles = tab.locator(".result h2 a").all_inner_texts()
        hit = result_titled(tab, titles[width // 390])  # a different result per width
        hit.scroll_into_view_if_needed()
        before = tab.evaluate("window.scrollY")
        hit.get_by_role("button", name=re.compile("^Ajouter")).click()
        status = hit.locator("[data-add-status]")
        expect(status).to_contain_text("ajouté à « Formation réemploi et ESS »")
        assert tab.url.endswith(RESULTS)  # still on the results page, not reloaded
        assert abs(tab.evaluate("window.scrollY") - before) < 5
        expect(hit.get_by_role("button", name=re.compile("^Ajouter"))).to_be_hidden()
        assert sideways_scroll(tab) == 0
        screenshot(tab, f"recherche-ajout-catalogue-{width}")


def test_without_script_an_addition_comes_back_to_the_same_result(browser, site: Site) -> None:
    with open_tab(browser, site.url, 390, java_script_enabled=False) as tab:
        sign_in(tab, "formateur")
        tab.goto(RESULTS)
        title = tab.locator(".result h2 a").all_inner_texts()[4]
        hit = result_titled(tab, title)
        hit.get_by_role("button", name=re.compile("^Ajouter")).click()
        tab.wait_for_url(re.compile(r"/recherche\?q=territoire&type=fiche-experience#resultat-"))
        hit = result_titled(tab, title)
        assert "ajouté à « Formation réemploi et ESS »" in hit.inner_text()
        box = hit.bounding_box()
        assert 0 <= box["y"] < 844, "the page is scrolled to the result just added"
        assert tab.locator(".flashes").count() == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_moving_says_what_moved_and_deleting_asks_first(browser, site: Site,
                                                        width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        sign_in(tab, "formateur")
        tab.goto(f"/catalogues/{site.seeded.catalogue}")
        items = tab.locator(".catalogue-item")
        second = items.nth(1)
        title = second.locator("h3").inner_text()
        second.locator("details.tools > summary").click()
        second.get_by_role("button", name=re.compile("^Monter")).click()
        moved = tab.locator(".catalogue-item").filter(has_text=title)
        expect(moved.locator(".inline-status")).to_contain_text(
            f"« {title} » est maintenant en position 1 sur")
        assert tab.locator(".catalogue-item h3").first.inner_text() == title
        assert sideways_scroll(tab) == 0
        screenshot(tab, f"catalogue-{width}")
        delete = tab.get_by_role("button", name=re.compile("^Supprimer définitivement"))
        assert not delete.is_visible()
        tab.get_by_text("Supprimer ce catalogue…").click()
        expect(delete).to_be_visible()
        expect(delete).to_be_focused()
        screenshot(tab, f"catalogue-suppression-{width}")
