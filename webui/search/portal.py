"""The home page's sections on what the base holds: documents by kind, the most present
themes (both counted among what the reader may read, as the filtered search would)."""

from __future__ import annotations

from kb.search.overview import kind_counts, top_themes
from kb.visibility import Reader
from webui.common.context import instance


def kinds_section(reader: Reader) -> dict[str, object] | None:
    kinds = kind_counts(instance(), reader)
    return {"kinds": kinds} if kinds else None


def themes_section(reader: Reader) -> dict[str, object] | None:
    themes = top_themes(instance(), reader)
    return {"themes": themes} if themes else None
