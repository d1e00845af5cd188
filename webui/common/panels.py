"""Extension points: features add panels to the document page and sections to the home page
(menus: `navigation`).

Public surface:
- `register_panel(app, template, provider, order)` — a document page panel; the provider
  returns the template's context for a document and reader, or None to hide the panel;
- `register_home_section(app, template, provider, order, mine=False)` — a home page
  section; the provider returns the template's context for a reader, or None to hide it.
  `mine=True` puts it under « Mon espace » (the signed-in user's own work, shown first),
  otherwise among what the base holds.
Both are kept per app; each template gets its context as `panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from kb.models import Document
from kb.visibility import Reader

PanelProvider = Callable[[Document, Reader], dict[str, object] | None]
HomeProvider = Callable[[Reader], dict[str, object] | None]
Rendered = list[tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class Panel:
    template: str
    provider: Callable[..., dict[str, object] | None]
    order: int


@dataclass
class HomeSections:
    mine: Rendered = field(default_factory=list)
    base: Rendered = field(default_factory=list)


def _panels(app: Flask, page: str) -> list[Panel]:
    pages: dict[str, list[Panel]] = app.extensions.setdefault("kb_panels", {})
    return pages.setdefault(page, [])


def _register(app: Flask, page: str, panel: Panel) -> None:
    panels = _panels(app, page)
    panels.append(panel)
    panels.sort(key=lambda p: p.order)


def register_panel(app: Flask, template: str, provider: PanelProvider, order: int = 50) -> None:
    _register(app, "document", Panel(template, provider, order))


def register_home_section(app: Flask, template: str, provider: HomeProvider, order: int = 50,
                          mine: bool = False) -> None:
    _register(app, "home-mine" if mine else "home", Panel(template, provider, order))


def _render(page: str, *args: Any) -> Rendered:
    rendered = []
    for panel in _panels(current_app, page):
        context = panel.provider(*args)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


def document_panels(document: Document, reader: Reader) -> Rendered:
    """The panels to render on a document page, each with its own context."""
    return _render("document", document, reader)


def home_sections(reader: Reader) -> HomeSections:
    """The home page's sections for this reader: their own work (signed-in users only),
    then what the base holds."""
    mine = _render("home-mine", reader) if reader.user_id is not None else []
    return HomeSections(mine, _render("home", reader))
