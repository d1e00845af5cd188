"""Extension points: features add panels to the document page and links to the navigation.

Public surface: `register_panel(template, provider)` — the provider returns the template's
context for a document and reader (or None to hide the panel); `register_nav(endpoint, label,
roles)` — a navigation link shown to signed-in users with one of `roles` (None: everyone,
"members": any signed-in user).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


PANELS: list[Panel] = []
NAV_LINKS: list[NavLink] = []


def register_panel(template: str, provider: PanelProvider, order: int = 50) -> None:
    if all(p.template != template for p in PANELS):
        PANELS.append(Panel(template, provider, order))
        PANELS.sort(key=lambda p: p.order)


def register_nav(endpoint: str, label: str, roles: set[str] | None = None,
                 order: int = 50) -> None:
    if all(link.endpoint != endpoint for link in NAV_LINKS):
        NAV_LINKS.append(NavLink(endpoint, label, frozenset(roles) if roles else None, order))
        NAV_LINKS.sort(key=lambda link: link.order)


def document_panels(document: Document, reader: Reader) -> list[tuple[str, dict[str, object]]]:
    """The panels to render on a document page, each with its own context."""
    rendered = []
    for panel in PANELS:
        context = panel.provider(document, reader)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


def nav_links(user: User | None) -> list[NavLink]:
    links = []
    for link in NAV_LINKS:
        if link.roles is None:
            links.append(link)
        elif user is not None and ("members" in link.roles or user.role == "admin"
                                   or user.role in link.roles):
            links.append(link)
    return links
