"""Extension point: features add panels to the document page (menus: `navigation`).

Public surface: `register_panel(app, template, provider)` — the provider returns the
template's context for a document and reader (or None to hide the panel); kept per app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from kb.models import Document
from kb.visibility import Reader

PanelProvider = Callable[[Document, Reader], dict[str, object] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    provider: PanelProvider
    order: int


def _panels(app: Flask) -> list[Panel]:
    return app.extensions.setdefault("kb_panels", [])  # type: ignore[no-any-return]


def register_panel(app: Flask, template: str, provider: PanelProvider, order: int = 50) -> None:
    panels = _panels(app)
    panels.append(Panel(template, provider, order))
    panels.sort(key=lambda p: p.order)


def document_panels(document: Document, reader: Reader) -> list[tuple[str, dict[str, object]]]:
    """The panels to render on a document page, each with its own context."""
    rendered = []
    for panel in _panels(current_app):
        context = panel.provider(document, reader)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered

