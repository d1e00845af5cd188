"""axe-core (bundled by axe-playwright-python) on the main pages, as their usual reader sees
them, at 390 and 1280 px: no violation of impact « serious » or « critical »."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.e2e.conftest import Site, open_tab, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser
FOLDED = (".menu-toggle", ".space-menu:not([open]) > summary", ".facets-disclosure > summary",
          ".danger-zone details.confirm > summary")


def main_pages(site: Site) -> list[tuple[str, str, str]]:
    """(name, role, path) of the pages the issue lists."""
    seeded = site.seeded
    concept = "https://kb.fabriquedestransitions.fr/taxonomie/c/communaute-apprenante"
    return [
        ("accueil", "visiteur", "/"),
        ("accueil-membre", "maieuticien", "/"),
        ("recherche", "formateur", "/recherche?q=territoire&type=texte-fondateur"),
        ("document", "visiteur", f"/documents/{seeded.public_document}"),
        ("document-relecture", "collectif", f"/documents/{seeded.public_document}"),
        ("themes", "visiteur", "/taxonomie/"),
        ("concept", "visiteur", f"/taxonomie/concept?uri={concept}"),
        ("connexion", "visiteur", "/connexion"),
        ("fiche-formulaire", "maieuticien", f"/fiches/{seeded.draft_sheet}/modifier"),
        ("catalogue", "formateur", f"/catalogues/{seeded.catalogue}"),
        ("dossier", "collectif", f"/dossiers/{seeded.debate_dossier}"),
        ("fondamentaux", "visiteur", "/fondamentaux"),
        ("comptes", "admin", "/admin/utilisateurs"),
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_violation_on_the_main_pages(browser, site: Site, width: int) -> None:
    by_role: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, role, path in main_pages(site):
        by_role[role].append((name, path))
    found: dict[str, list[str]] = {}
    for role, pages in by_role.items():
        with open_tab(browser, site.url, width) as tab:
            if role != "visiteur":
                sign_in(tab, role)
            for name, path in pages:
                tab.goto(path)
                if violations := serious_accessibility_violations(tab):
                    found[f"{name} ({role})"] = violations
                # The same page with its folded parts open: menus, facets, a confirmation
                # (looked at again only if something unfolded).
                unfolded = False
                for fold in FOLDED:
                    if tab.locator(fold).first.is_visible():
                        tab.locator(fold).first.click()
                        unfolded = True
                if unfolded and (violations := serious_accessibility_violations(tab)):
                    found[f"{name} ({role}), unfolded"] = violations
    assert found == {}
