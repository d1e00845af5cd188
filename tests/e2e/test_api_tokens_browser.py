"""A member makes an API token on the account page, uses it, revokes it; the API page reads
well on a phone and on a desktop (screenshots at 390 and 1280 px)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)


def fits(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """Nothing in `selector` reaches past the window's right edge (the site's navigation,
    being redesigned, is not this page's concern)."""
    return bool(page.evaluate(
        "s => [...document.querySelectorAll(s + ', ' + s + ' *')].every(e =>"
        " e.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)",
        selector))


def test_token_made_shown_once_used_and_revoked(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "allie")
    page.goto("/compte")
    page.get_by_label("Nom du jeton").fill("Site de la fabrique de Tulle")
    page.get_by_label("Valable").select_option(label="90 jours")
    page.get_by_role("button", name="Créer un jeton").click()
    secret = page.locator(".token-secret").inner_text()
    assert secret.startswith("kb_")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"20-compte-jeton-{width}")
        assert fits(page, "#jetons")
    answer = page.request.get("/api/search?q=eau",
                              headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    page.goto("/compte")
    assert page.locator(".token-secret").count() == 0
    page.get_by_role("button", name="Révoquer le jeton Site de la fabrique de Tulle").click()
    page.get_by_text("révoqué").wait_for()
    assert page.request.get("/api/search?q=eau",
                            headers={"Authorization": f"Bearer {secret}"}).status == 401


def test_the_api_page(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/api/")
    page.get_by_role("heading", name="GET /api/search", exact=True).wait_for()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"21-api-{width}")
        assert fits(page, "main")
    link = page.get_by_role("link", name="/api/openapi.json").get_attribute("href")
    assert page.request.get(link).json()["openapi"].startswith("3.1")
