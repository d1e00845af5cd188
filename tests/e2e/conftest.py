"""Browser fixtures: the app served on a free localhost port, driven by headless Chromium.

Playwright drives Debian's `chromium` (installed by `.ci/run`); no browser is downloaded.
Screenshots go to `test-artifacts/screenshots/` (see the README).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from kb.accounts.users import create_user
from kb.config import Settings
from kb.context import KbContext
from tests.conftest import PASSWORD, ROLE_EMAILS, ROOT, tagged_corpus
from tests.instances import InstanceTemplates, based_on
from tests.seed import Seeded, seed_activity

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
    url, stop = serve(app)
    yield app, url
    stop()
    app.extensions["kb_tasks"].shutdown()
    ctx.close()


def serve(app: Flask) -> tuple[str, Callable[[], None]]:
    """Serve the app on a free localhost port in a thread; returns its address and a stop."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{server.server_port}", stop


@dataclass
class Site:
    """A served copy of the seeded instance (`tests/seed.py`)."""

    app: Flask
    url: str
    seeded: Seeded


@based_on(tagged_corpus)
def seeded(ctx: KbContext, folder: Path) -> Seeded:
    """Build: the seeded instance (`tests/seed.py`), made once per run; modules copy it."""
    return seed_activity(ctx)


@pytest.fixture(scope="module")
def site(sqlite_templates: InstanceTemplates, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    """A copy of the seeded instance for one test module, served."""
    from webui.app import create_app

    settings = sqlite_templates.copy(seeded, tmp_path_factory.mktemp("site"))
    app = create_app(settings)
    url, stop = serve(app)
    yield Site(app, url, sqlite_templates.result(seeded))
    stop()
    app.extensions["kb_tasks"].shutdown()
    app.extensions["kb"].close()


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


@contextmanager
def open_tab(browser, url: str, width: int = 1280, **options: object
             ) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A new browser tab on the site (a phone is 390 × 844), failing on any script error."""
    context = browser.new_context(locale="fr-FR", base_url=url, viewport={
        "width": width, "height": 844 if width < 500 else 900}, **options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not
           msg.text.startswith("Failed to load resource") else None)
    # A page's own status is the test's business; a missing script or style is an error.
    tab.on("response", lambda response: errors.append(f"{response.status} {response.url}")
           if response.status >= 400 and response.request.resource_type != "document"
           else None)
    try:
        yield tab
    finally:
        context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def page(browser, live_app):  # type: ignore[no-untyped-def]
    with open_tab(browser, live_app[1]) as tab:
        yield tab


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_as(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def sign_in(page, role: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(page, ROLE_EMAILS[role])


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


WIDTHS = (390, 768, 1280)
# Links that download a file or leave the pages (exports, originals, the API's JSON).
NOT_A_PAGE = re.compile(r"\.(docx|odt|md|zip|csv|json|pdf|vcf|ttl)(\?|$)|/original$|/deconnexion|"
                        r"/api/search|/sante")


def sideways_scroll(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page scrolls sideways (0: it fits the window's width)."""
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def page_kind(path: str) -> str:
    """A page's address with its ids folded: one page of each kind is enough to look at."""
    kind = re.sub(r"/[0-9a-f]{16}(?=/|$)", "/ID", urlsplit(path).path)
    return re.sub(r"/\d+(?=/|$)", "/N", kind)


def reachable_pages(page, start: tuple[str, ...] = ("/",), limit: int = 40,
                    on_page: Callable[[str], None] | None = None,
                    ) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Pages reachable by following links from `start`, one of each kind, at most `limit`;
    and the links that led to an error (`path: status, from page`). `on_page(path)` looks at
    each page found while it is shown, before its links are followed."""
    queue, seen, kinds = [(path, "") for path in start], set(), set()
    found, broken = [], []
    while queue and len(found) < limit:
        path, origin_page = queue.pop(0)
        if path in seen or page_kind(path) in kinds or NOT_A_PAGE.search(path):
            continue
        seen.add(path)
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a download served under a page-like address
            if "Download is starting" not in str(error):
                raise
            continue
        if response is not None and response.status >= 400:
            broken.append(f"{path}: {response.status}, from {origin_page}")
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        kinds.add(page_kind(path))
        found.append(path)
        if on_page is not None:
            on_page(path)
        origin = urlsplit(page.url).netloc
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc == origin:
                queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), path))
    return found, broken


def serious_accessibility_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's violations of impact « serious » or « critical » on the page as shown."""
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
