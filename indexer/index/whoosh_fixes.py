"""One fix to Whoosh 2.7.5 (pinned): the per-document reader looks for a field's length
column on disk for every posting of a field that has none (keywords, ids, word lists),
which made half of an index build `stat()` calls. Remembering the absence fixes it."""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3PerDocReader

_original = W3PerDocReader._cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    if fieldname in readers:
        return readers[fieldname]
    reader = _original(self, fieldname, column)
    readers[fieldname] = reader  # None too: the segment's columns never change
    return reader


def apply() -> None:
    W3PerDocReader._cached_reader = _cached_reader
