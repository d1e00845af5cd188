"""The directory's query as the address carries it: `q`, `theme`, `territoire`,
`organisation` (each filter repeatable)."""

from __future__ import annotations

from flask import url_for
from werkzeug.datastructures import MultiDict

from kb.people.query import DirectoryQuery

MAX_VALUES = 10


def read_query(args: MultiDict[str, str]) -> DirectoryQuery:
    def values(name: str) -> list[str]:
        return list(dict.fromkeys(v.strip()[:300] for v in args.getlist(name)
                                  if v.strip()))[:MAX_VALUES]

    return DirectoryQuery(args.get("q", "")[:300], values("theme"), values("territoire"),
                          values("organisation"))


def query_args(query: DirectoryQuery) -> dict[str, object]:
    return {"q": query.text or None, "theme": query.themes, "territoire": query.territories,
            "organisation": query.organisations}


def directory_url(query: DirectoryQuery, toggle: tuple[str, str] | None = None,
                  endpoint: str = "people.directory") -> str:
    """The address of the query, with one value of a filter (`theme`, `territoire`,
    `organisation`) added or removed."""
    args = query_args(query)
    if toggle is not None:
        key, value = toggle
        current = list(args[key])  # type: ignore[call-overload]
        args[key] = [v for v in current if v != value] if value in current \
            else [*current, value]
    return url_for(endpoint, **{k: v for k, v in args.items() if v})
