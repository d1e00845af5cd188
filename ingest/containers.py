"""Inputs that hold several documents (JSON Lines exports, ZIP archives), cut into entries.

Public surface: `expand(data, name, limits)`, which yields one entry for a plain
file and one per record or member for a container. Each entry keeps its own original bytes,
so that every document has its own content-addressed original."""

from __future__ import annotations

from collections.abc import Iterator

from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.model import Entry, ReadError
from ingest.readers.jsonl import record_entries
from ingest.readers.zip_archive import zip_members
from ingest.registry import CONTAINER_TYPES, detect_type


def expand(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry]:
    """The entries of an input; a container-level problem raises `ReadError` before any
    entry is yielded (a hostile archive is refused as a whole)."""
    media_type = detect_type(data, name) if data else None
    if media_type == "application/zip":
        yield from _archive_entries(data, limits)
    elif media_type in CONTAINER_TYPES:
        yield from record_entries(data, name, limits)
    else:
        yield Entry("", name, data)


def _archive_entries(data: bytes, limits: Limits) -> Iterator[Entry]:
    """Each member of a ZIP archive expanded in turn (JSON Lines inside an archive are cut
    into records), keeping the member's sidecar; a bad member is an error entry."""
    for member in zip_members(data, limits):
        if member.error is not None:
            yield member
            continue
        try:
            parts = list(expand(member.data, member.name, limits))
        except ReadError as exc:
            yield Entry(member.suffix, member.name, error=exc.reason)
            continue
        for part in parts:
            yield Entry(member.suffix + part.suffix, part.name, part.data, part.media_type,
                        member.sidecar, part.error)
