"""Browser fixtures: the app served on a free localhost port, driven by headless Chromium.

Playwright drives Debian's `chromium` (installed by `.ci/run`); no browser is downloaded.
Screenshots go to `test-artifacts/screenshots/` (see the README).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from kb.accounts.users import create_user
from kb.config import Settings
from tests.conftest import PASSWORD, ROLE_EMAILS, ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    explicit = os.environ.get("KB_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture
def live_app(settings: Settings) -> Iterator[tuple[Flask, str]]:
    """The web app of a fresh instance with one account per role, served in a thread."""
    from webui.app import create_app

    app = create_app(settings)
    ctx = app.extensions["kb"]
    for role, email in ROLE_EMAILS.items():
        create_user(ctx, email, PASSWORD, role, display_name=role.title())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["kb_tasks"].shutdown()
    ctx.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (installed by .ci/run)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_app):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-FR", base_url=live_app[1])
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()
    assert not errors, f"browser errors: {errors}"


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, role: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(ROLE_EMAILS[role])
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def open_space_menu(page) -> None:  # type: ignore[no-untyped-def]
    """Unfold « Mon espace » (on a phone, the « Menu » button unfolds it with the menu)."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    elif page.locator(".space-menu[open]").count() == 0:
        page.locator(".space-menu > summary").click()


def go_to_space(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Follow a link of « Mon espace »."""
    open_space_menu(page)
    page.get_by_role("navigation", name="Mon espace").get_by_role("link", name=label).click()


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    open_space_menu(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/")
