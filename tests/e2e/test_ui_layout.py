"""The layout as each kind of user lives in it, in a real browser: no link leads to an error
and no page scrolls sideways at 390, 768 or 1280 px, the menus never wrap and fold on a
phone, « Mon espace » holds the role's work, the skip link and the keyboard reach
everything, focus is visible."""

from __future__ import annotations

import pytest

from tests.conftest import ROLE_EMAILS
from tests.e2e.conftest import (
    WIDTHS,
    Site,
    open_space_menu,
    open_tab,
    reachable_pages,
    sideways_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser
ROLES = ("visiteur", *ROLE_EMAILS)
PRIMARY = ["Rechercher", "Thèmes", "Fondamentaux", "Fiches", "Catalogues", "Annuaire"]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_reaches_scrolls_sideways(browser, site: Site, role: str) -> None:
    too_wide = []
    with open_tab(browser, site.url, max(WIDTHS)) as tab:

        def measure(path: str) -> None:
            """The page as loaded at 1280 px, then narrowed to each width. Loaded wide, the
            parts that only unfold on a wide screen stay open when narrowed: a stricter look
            than a phone's first one, and one load instead of one per width."""
            for width in sorted(WIDTHS, reverse=True):
                tab.set_viewport_size({"width": width, "height": 900})
                if overflow := sideways_scroll(tab):
                    too_wide.append(f"{path} at {width} px: {overflow} px too wide")
            tab.set_viewport_size({"width": max(WIDTHS), "height": 900})

        if role != "visiteur":
            sign_in(tab, role)
        pages, broken = reachable_pages(tab, ("/", "/recherche?q=territoire"), limit=60,
                                        on_page=measure)
        assert broken == []
        assert len(pages) >= (8 if role == "visiteur" else 15), pages
        assert too_wide == []


@pytest.mark.parametrize("role", ["visiteur", "collectif", "admin"])
@pytest.mark.parametrize("width", [768, 1280])
def test_the_menus_hold_on_one_line(browser, site: Site, role: str, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        if role != "visiteur":
            sign_in(tab, role)
        tab.goto("/fondamentaux")
        links = tab.get_by_role("navigation", name="Menu principal").get_by_role("link")
        assert links.all_inner_texts() == PRIMARY
        tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
        assert len(tops) == 1, "the primary menu wraps"
        for link in links.all():  # no label breaks over two lines
            assert link.bounding_box()["height"] < 50
        current = tab.locator('.primary-nav a[aria-current="page"]')
        assert current.all_inner_texts() == ["Fondamentaux"]
        assert not tab.locator(".menu-toggle").is_visible()


def test_on_a_phone_the_menu_folds_and_mon_espace_unfolds_with_it(browser, site: Site) -> None:
    with open_tab(browser, site.url, 390) as tab:
        sign_in(tab, "formateur")
        tab.goto("/catalogues/")
        header = tab.locator(".site-header").bounding_box()
        assert header["height"] < 130
        menu = tab.get_by_role("button", name="Menu")
        assert menu.get_attribute("aria-expanded") == "false"
        assert not tab.get_by_role("navigation", name="Menu principal").is_visible()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        assert tab.get_by_role("navigation", name="Menu principal").get_by_role(
            "link").all_inner_texts() == PRIMARY
        space = tab.get_by_role("navigation", name="Mon espace")
        assert "Nouveau catalogue" in space.get_by_role("link").all_inner_texts()
        assert sideways_scroll(tab) == 0
        space.get_by_role("link", name="Nouveau catalogue").click()
        tab.get_by_role("heading", level=1, name="Nouveau catalogue").wait_for()


def test_without_script_the_phone_menu_is_simply_shown(browser, site: Site) -> None:
    with open_tab(browser, site.url, 390, java_script_enabled=False) as tab:
        tab.goto("/fondamentaux")
        assert not tab.locator(".menu-toggle").is_visible()
        nav = tab.get_by_role("navigation", name="Menu principal")
        assert nav.is_visible() and nav.get_by_role("link").all_inner_texts() == PRIMARY
        assert sideways_scroll(tab) == 0


@pytest.mark.parametrize("role", ["maieuticien", "collectif", "admin"])
def test_mon_espace_holds_the_roles_work(browser, site: Site, role: str) -> None:
    expected = {"maieuticien": "Mes fiches d'expérience", "collectif": "Dossiers à traiter",
                "admin": "Comptes"}[role]
    with open_tab(browser, site.url) as tab:
        sign_in(tab, role)
        open_space_menu(tab)
        space = tab.get_by_role("navigation", name="Mon espace")
        assert expected in space.get_by_role("link").all_inner_texts()
        tab.keyboard.press("Escape")
        assert not space.is_visible()
        open_space_menu(tab)
        tab.locator("main").click()  # a click elsewhere closes it
        assert not space.is_visible()


def test_keyboard_reaches_everything_with_visible_focus(browser, site: Site) -> None:
    with open_tab(browser, site.url) as tab:
        sign_in(tab, "collectif")
        tab.goto("/fondamentaux")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.className") == "skip-link"
        assert tab.locator(".skip-link").is_visible()
        seen = []
        for _ in range(12):
            tab.keyboard.press("Tab")
            focused = tab.evaluate("""() => { const e = document.activeElement;
                const style = getComputedStyle(e);
                return [e.textContent.trim(), style.outlineStyle, style.outlineWidth]; }""")
            assert focused[1] != "none" and focused[2] != "0px", focused
            seen.append(focused[0])
            if focused[0] == "Mon espace":
                break
        assert seen[-1] == "Mon espace" and "Fondamentaux" in seen
        tab.keyboard.press("Enter")  # a <summary>: opens « Mon espace »
        tab.keyboard.press("Tab")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.textContent") == "Dossiers à traiter"
        tab.keyboard.press("Enter")
        tab.get_by_role("heading", level=1, name="Dossiers à traiter").wait_for()
