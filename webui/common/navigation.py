"""The site's menus, declared by the features that own the pages.

Public surface: `register_nav(app, endpoint, label, roles=None, order=50, menu=SPACE,
params=None, current_for=())` adds an entry to one of two menus:
- `PRIMARY`, the short menu every reader sees (Rechercher, Thèmes, Fondamentaux, Fiches,
  Catalogues…);
- `SPACE`, « Mon espace », the signed-in user's work (drafts, dossiers to handle, tag review,
  accounts…), shown only to the roles named.
`roles` is None (everyone: visitors too in the primary menu, every signed-in user in « Mon
espace »), `MEMBERS` (any signed-in user) or a set of roles (administrators always pass).
`params` are query arguments of the entry's address (« Fiches » is the search filtered on
experience sheets); `current_for` names the other endpoints under the entry (its concept
pages are under « Thèmes »). `menus(user)` gives each menu's links for a request, the current
page marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app, request, url_for

from kb.models import User

PRIMARY = "principal"
SPACE = "espace"
MEMBERS = "members"
MENUS = (PRIMARY, SPACE)


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: str
    menu: str
    roles: frozenset[str] | None
    order: int
    params: tuple[tuple[str, str], ...] = ()
    current_for: tuple[str, ...] = ()

    def shown_to(self, user: User | None) -> bool:
        if user is None:
            return self.menu == PRIMARY and self.roles is None
        return (self.roles is None or MEMBERS in self.roles or user.role == "admin"
                or user.role in self.roles)

    def match(self, endpoint: str | None, args: dict[str, list[str]]) -> int:
        """How closely this entry matches the current page: 0 not at all, higher is closer."""
        if endpoint != self.endpoint and endpoint not in self.current_for:
            return 0
        if any(value not in args.get(name, []) for name, value in self.params):
            return 0
        return 1 + len(self.params) + (endpoint == self.endpoint)


@dataclass
class NavLink:
    label: str
    url: str
    current: bool = False


@dataclass
class Menus:
    primary: list[NavLink] = field(default_factory=list)
    space: list[NavLink] = field(default_factory=list)


def _entries(app: Flask) -> list[NavEntry]:
    return app.extensions.setdefault("kb_nav", [])  # type: ignore[no-any-return]


def register_nav(app: Flask, endpoint: str, label: str, roles: set[str] | None = None,
                 order: int = 50, *, menu: str = SPACE, params: dict[str, str] | None = None,
                 current_for: tuple[str, ...] = ()) -> None:
    if menu not in MENUS:
        raise ValueError(f"unknown menu {menu!r}")
    entries = _entries(app)
    entries.append(NavEntry(endpoint, label, menu, frozenset(roles) if roles else None, order,
                            tuple(sorted((params or {}).items())), current_for))
    entries.sort(key=lambda entry: (entry.menu, entry.order))


def _links(entries: list[NavEntry]) -> list[NavLink]:
    args = request.args.to_dict(flat=False)
    scores = [entry.match(request.endpoint, args) for entry in entries]
    best = max(scores, default=0)
    return [NavLink(entry.label, url_for(entry.endpoint, **dict(entry.params)),
                    current=best > 0 and score == best)
            for entry, score in zip(entries, scores, strict=True)]


def menus(user: User | None) -> Menus:
    """The links of each menu this user sees on this page, the current one marked."""
    shown = [entry for entry in _entries(current_app) if entry.shown_to(user)]
    return Menus(_links([e for e in shown if e.menu == PRIMARY]),
                 _links([e for e in shown if e.menu == SPACE]))
