"""The pages this work changed, seen in a browser at a phone's and a desktop's width: the
account page (display name), the upload form of a member who may not publish, a concept's
form with its relations picked from the list. Nothing scrolls sideways."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS
from tests.e2e.conftest import screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser
CONCEPT = "https://kb.fabriquedestransitions.fr/taxonomie/c/tiers-lieux"
WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


def at_both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size(WIDTHS["1280"])


def test_changed_pages(page, live_app) -> None:  # type: ignore[no-untyped-def]
    import_skos(live_app[0].extensions["kb"], CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    sign_in(page, "allie")
    page.goto("/compte")
    page.get_by_label("Nom affiché").fill("Alix Martin")
    page.get_by_role("button", name="Enregistrer mon nom").click()
    page.get_by_text("Nom affiché enregistré.").wait_for()
    at_both_widths(page, "compte-nom-affiche")
    page.goto("/deposer")
    options = page.get_by_label("Visibilité").locator("option").all_inner_texts()
    assert "Public" not in options
    at_both_widths(page, "depot-allie")
    sign_out(page)
    sign_in(page, "admin")
    page.goto(f"/taxonomie/concept?uri={quote(CONCEPT)}")
    page.get_by_text("Modifier ce concept (administration)").click()
    page.get_by_label("Voir aussi").select_option(label="\u2003économie sociale et solidaire")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.get_by_text("Concept enregistré.").wait_for()
    page.get_by_text("Modifier ce concept (administration)").click()
    at_both_widths(page, "concept-modifier")
