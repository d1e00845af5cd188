"""Extension points: features add panels to the document page and links to the navigation.

Public surface: `register_panel(app, template, provider)` — the provider returns the
template's context for a document and reader (or None to hide the panel);
`register_nav(app, endpoint, label, roles)` — a navigation link shown to signed-in users with
one of `roles` (None: everyone, "members": any signed-in user). Both are kept per app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from kb.models import Document, User
from kb.visibility import Reader

PanelProvider = Callable[[Document, Reader], dict[str, object] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    provider: PanelProvider
    order: int


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str
    roles: frozenset[str] | None
    order: int


def _panels(app: Flask) -> list[Panel]:
    return app.extensions.setdefault("kb_panels", [])  # type: ignore[no-any-return]


def _nav(app: Flask) -> list[NavLink]:
    return app.extensions.setdefault("kb_nav", [])  # type: ignore[no-any-return]


def register_panel(app: Flask, template: str, provider: PanelProvider, order: int = 50) -> None:
    panels = _panels(app)
    panels.append(Panel(template, provider, order))
    panels.sort(key=lambda p: p.order)


def register_nav(app: Flask, endpoint: str, label: str, roles: set[str] | None = None,
                 order: int = 50) -> None:
    links = _nav(app)
    links.append(NavLink(endpoint, label, frozenset(roles) if roles else None, order))
    links.sort(key=lambda link: link.order)


def document_panels(document: Document, reader: Reader) -> list[tuple[str, dict[str, object]]]:
    """The panels to render on a document page, each with its own context."""
    rendered = []
    for panel in _panels(current_app):
        context = panel.provider(document, reader)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


def nav_links(user: User | None) -> list[NavLink]:
    links = []
    for link in _nav(current_app):
        if link.roles is None:
            links.append(link)
        elif user is not None and ("members" in link.roles or user.role == "admin"
                                   or user.role in link.roles):
            links.append(link)
    return links
