"""Inputs that hold several documents (JSON Lines exports, ZIP archives), cut into entries.

Public surface: `Entry` and `expand(data, name, limits)`, which yields one entry for a plain
file and one per record or member for a container. Each entry keeps its own original bytes,
so that every document has its own content-addressed original."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.registry import CONTAINER_TYPES, detect_type


@dataclass
class Entry:
    """One document of an input: the input itself, a record or an archive member.

    `suffix` is appended to the input's source key (`""`, `#id` or `/inner/path`); `name`
    is used for type detection, messages and downloads; `error` marks an entry that cannot
    be read while its siblings can."""

    suffix: str
    name: str
    data: bytes = b""
    media_type: str | None = None
    sidecar: dict[str, object] | None = None
    error: str | None = None


def expand(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry]:
    """The entries of an input; a container-level problem raises `ReadError` before any
    entry is yielded (a hostile archive is refused as a whole)."""
    media_type = detect_type(data, name) if data else None
    if media_type == "application/zip":
        from ingest.read_zip import zip_entries

        yield from zip_entries(data, limits)
    elif media_type in CONTAINER_TYPES:
        from ingest.read_jsonl import record_entries

        yield from record_entries(data, name, limits)
    else:
        yield Entry("", name, data)
