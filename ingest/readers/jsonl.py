"""Bulk exports of another base: JSON Lines (one record a line) or a JSON array of records.

Each record `{"id", "title", "text", ...metadata}` becomes one entry keyed `#<id>`, whose
original is the record itself; a bad record is reported and the others go on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from ingest.limits import Limits
from ingest.model import Entry, ReadError

RECORD_TYPE = "application/json"
MAX_ID = 200
_UNSAFE_ID = re.compile(r"[\x00-\x1f\x7f]")
_FILE_SAFE = re.compile(r"[^\w.-]+")


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if line.strip():
            yield number, line.strip()


def _array(data: bytes) -> Iterator[tuple[int, bytes]]:
    try:
        records = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReadError(f"JSON invalide ({exc})") from exc
    for number, record in enumerate(records, start=1):
        yield number, json.dumps(record, ensure_ascii=False, sort_keys=True).encode()


def record_id(record: object) -> str:
    """The record's identifier as a key part; `ReadError` when missing or unusable."""
    if not isinstance(record, dict):
        raise ReadError("un objet JSON {…} est attendu")
    value = record.get("id")
    if value is None or isinstance(value, (dict, list)) or not str(value).strip():
        raise ReadError("champ « id » manquant ou vide")
    identifier = _UNSAFE_ID.sub("", str(value).strip())
    if len(identifier) > MAX_ID:
        raise ReadError(f"champ « id » trop long ({len(identifier)} caractères)")
    return identifier


def record_entries(data: bytes, name: str, limits: Limits) -> Iterator[Entry]:
    """One entry per record; duplicate identifiers and unreadable lines are error entries."""
    stem = PurePosixPath(name).stem or "export"
    is_array = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")
    seen: dict[str, int] = {}
    for number, raw in (_array(data) if is_array else _lines(data)):
        where = "enregistrement" if is_array else "ligne"
        try:
            if len(raw) > limits.max_file_bytes:
                raise ReadError(f"{len(raw)} octets, au-delà de la limite")
            try:
                identifier = record_id(json.loads(raw))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ReadError(f"JSON invalide ({exc})") from exc
            if identifier in seen:
                raise ReadError(f"identifiant « {identifier} » déjà vu {where} {seen[identifier]}")
        except ReadError as exc:
            yield Entry(f"#{where}-{number}", f"{name} {where} {number}",
                        error=f"{where} {number} : {exc.reason}")
            continue
        seen[identifier] = number
        filename = f"{stem}-{_FILE_SAFE.sub('-', identifier)[:80]}.json"
        yield Entry(f"#{identifier}", filename, raw, RECORD_TYPE)
