"""The main pages at 390 and 1280 px in a real browser, on the seeded corpus: the home portal,
results first on a phone, the theme tree, what a visitor sees of tags, the sign-in redirect
that says why; each page's screenshots saved in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Site, open_tab, screenshot, sideways_scroll, sign_in

pytestmark = pytest.mark.browser
PHONE, DESKTOP = 390, 1280


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_home_shows_what_the_base_holds(browser, site: Site, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        tab.goto("/")
        assert tab.get_by_role("search").count() == 1  # the search box, once
        kinds = tab.locator(".kind-cards a")
        assert kinds.count() >= 4
        counts = dict(zip(tab.locator(".kind-name").all_inner_texts(),
                          tab.locator(".kind-count").all_inner_texts(), strict=True))
        assert set(counts) >= {"Textes fondateurs", "Fiches d'expérience"}
        doctrine = tab.get_by_role("region", name="La doctrine")
        assert "Charte fondatrice de la Fabrique des transitions" in doctrine.inner_text()
        assert tab.get_by_role("region", name="Dernières fiches d'expérience").locator(
            "li").count() == 5
        assert tab.locator(".theme-chips a").count() >= 6
        screenshot(tab, f"accueil-visiteur-{width}")
        tab.get_by_role("link", name=re.compile("Fiches d'expérience")).first.click()
        tab.wait_for_url("**/recherche?type=fiche-experience*")
        sheets = counts["Fiches d'expérience"]
        assert f"{sheets} documents" in tab.locator(".count").inner_text()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_home_puts_a_members_own_work_first(browser, site: Site, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        sign_in(tab, "maieuticien")
        mine = tab.get_by_role("region", name="Mon espace")
        assert "Un jardin partagé au collège" in mine.inner_text()
        mine_top = mine.bounding_box()["y"]
        assert mine_top < tab.get_by_role("region", name="Ce que contient la base"
                                          ).bounding_box()["y"]
        screenshot(tab, f"accueil-maieuticien-{width}")
        sign_in(tab, "collectif")
        awaiting = tab.get_by_role("region", name="Dossiers de validation")
        assert "Mise en récits" in awaiting.inner_text() or "récit" in awaiting.inner_text()


def test_on_a_phone_the_first_result_comes_before_the_facets(browser, site: Site) -> None:
    with open_tab(browser, site.url, PHONE) as tab:
        tab.goto("/recherche?q=territoire")
        first = tab.locator(".result").first
        assert first.bounding_box()["y"] + 60 < 844, "the first result is above the fold"
        facets = tab.locator(".facets-disclosure")
        assert facets.get_attribute("open") is None
        screenshot(tab, f"recherche-{PHONE}")
        facets.locator("> summary").click()
        tab.get_by_role("link", name=re.compile("^Fiche d'expérience")).first.click()
        tab.wait_for_url("**type=fiche-experience*")
        assert "1 filtre actif" in tab.locator(".facets-disclosure > summary").inner_text()
        assert sideways_scroll(tab) == 0


def test_on_a_wide_screen_the_facets_sit_beside_the_results(browser, site: Site) -> None:
    with open_tab(browser, site.url, DESKTOP) as tab:
        tab.goto("/recherche?q=territoire")
        facets = tab.locator(".facets").bounding_box()
        first = tab.locator(".result").first.bounding_box()
        assert facets["x"] + facets["width"] <= first["x"]
        assert abs(facets["y"] - first["y"]) < 60
        screenshot(tab, f"recherche-{DESKTOP}")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_theme_tree_is_vertical_and_finds_a_concept_by_any_label(
        browser, site: Site, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        tab.goto("/taxonomie/")
        assert sideways_scroll(tab) == 0
        tree = tab.locator("[data-theme-tree]")
        assert tree.bounding_box()["width"] <= width
        themes = tree.locator(".tree-root > li")
        tops = [themes.nth(i).bounding_box()["y"] for i in range(themes.count())]
        assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one under the other
        assert tree.get_by_role("link", name="communauté apprenante").is_visible()
        assert not tree.get_by_role("link", name="villes pairs").is_visible()  # folded
        screenshot(tab, f"themes-{width}")
        tab.get_by_label("Trouver un thème").fill("EFC")
        efc = "économie de la fonctionnalité et de la coopération"
        concept = tree.get_by_role("link", name=efc)
        expect(tree.get_by_role("link", name="santé", exact=True)).to_be_hidden()
        expect(concept).to_be_visible()
        expect(tab.locator("#filtre-statut")).to_contain_text("trouvé")
        tab.get_by_label("Trouver un thème").fill("")
        expect(tree.get_by_role("link", name="santé", exact=True)).to_be_visible()
        concept.click()
        tab.get_by_role("heading", level=1, name=efc).wait_for()
        assert sideways_scroll(tab) == 0
        screenshot(tab, f"concept-{width}")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_visitors_see_themes_not_the_tagger_at_work(browser, site: Site, width: int) -> None:
    path = f"/documents/{site.seeded.public_document}"
    with open_tab(browser, site.url, width) as tab:
        tab.goto(path)
        themes = tab.locator("#etiquettes")
        if themes.count():  # accepted themes only, as links
            assert themes.locator(".tag-state, details, button").count() == 0
        assert tab.get_by_text(re.compile(r"confiance \d+ %")).count() == 0
        assert tab.get_by_role("button", name=re.compile("^(Accepter|Rejeter)")).count() == 0
        screenshot(tab, f"document-visiteur-{width}")
        sign_in(tab, "collectif")
        tab.goto(path)
        assert tab.get_by_text(re.compile(r"confiance \d+ %")).count() > 0
        assert tab.locator("#etiquettes summary", has_text="Pourquoi ?").count() > 0
        screenshot(tab, f"document-collectif-{width}")


def test_a_members_page_says_why_it_asks_to_sign_in(browser, site: Site) -> None:
    with open_tab(browser, site.url, PHONE) as tab:
        tab.goto("/dossiers")
        tab.wait_for_url("**/connexion?suivant=/dossiers")
        assert "Cette page est réservée aux membres de l'alliance" in tab.locator(
            ".flashes").inner_text()
        screenshot(tab, f"connexion-{PHONE}")
        tab.get_by_label("Adresse e-mail").fill("allie@exemple.fr")
        tab.get_by_label("Mot de passe").fill("motdepasse-solide")
        tab.get_by_role("button", name="Se connecter").click()
        tab.wait_for_url("**/dossiers")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_sheet_form_fits_the_width(browser, site: Site, width: int) -> None:
    with open_tab(browser, site.url, width) as tab:
        sign_in(tab, "maieuticien")
        tab.goto("/fiches/nouvelle")
        assert sideways_scroll(tab) == 0
        for field in ("Titre de la fiche", "Récit"):
            box = tab.get_by_label(field, exact=True).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        screenshot(tab, f"fiche-formulaire-{width}")
