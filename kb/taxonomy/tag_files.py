"""Files of document tags, `source_key<TAB>concept_uri` per line, and finding their documents.

Public surface: `TagLine`, `read_tag_lines(path)` -> lines and errors, `DocumentKeys` (a key
as written in such a file -> the document it means). Used to import existing indexing
(`kb tags import`) and to read gold tags (`kb eval tags`). The first line may name its
columns in any way; blank lines and `#` comments are skipped; columns after the second (a
confidence, say) are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.errors import InvalidInput
from kb.models import Document

MAX_ERRORS = 1000  # a wrong file is told about by its first errors, not a million lines


@dataclass(frozen=True)
class TagLine:
    number: int
    key: str
    concept_uri: str


def _looks_like_uri(text: str) -> bool:
    return ":" in text and " " not in text


def read_tag_lines(path: Path) -> tuple[list[TagLine], list[str]]:
    """The file's lines as (key, concept URI), and one French message per malformed line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name} : lecture impossible ({exc})") from exc
    lines: list[TagLine] = []
    errors: list[str] = []
    first = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if first and len(parts) >= 2 and not _looks_like_uri(parts[1]):
            first = False  # a header line, whatever its names
            continue
        first = False
        if len(parts) < 2 or not parts[0] or not _looks_like_uri(parts[1]):
            if len(errors) < MAX_ERRORS:
                errors.append(f"{path.name}, ligne {number} : attendu « clé<TAB>URI du "
                              f"concept », lu « {line[:80]} »")
            continue
        lines.append(TagLine(number, parts[0], parts[1]))
    return lines, errors


class DocumentKeys:
    """Finds the document a key names: its exact source key; else the only document whose
    key ends with it after a « / » (`docs.jsonl#42` for `lot/docs.jsonl#42`); else the
    document whose key ends the given one after a « / » (`base/fiches/a.md` for
    `fiches/a.md`, the longest such); else, for a bare record id, the only record with that
    id (`42` for `docs.jsonl#42`)."""

    def __init__(self, session: Session) -> None:
        self.exact: dict[str, str] = {}
        self.suffixes: dict[str, set[str]] = defaultdict(set)
        self.records: dict[str, set[str]] = defaultdict(set)
        for doc_id, source_key in session.execute(select(Document.id, Document.source_key)):
            self.exact[source_key] = doc_id
            parts = source_key.split("/")
            for start in range(1, len(parts)):
                self.suffixes["/".join(parts[start:])].add(doc_id)
            if "#" in source_key:
                self.records[source_key.rsplit("#", 1)[1]].add(doc_id)

    def find(self, key: str) -> str | None:
        """The document id, or None when no single document answers to the key."""
        found = self._candidates(key)
        return next(iter(found)) if len(found) == 1 else None

    def ambiguous(self, key: str) -> bool:
        return len(self._candidates(key)) > 1

    def _candidates(self, key: str) -> set[str]:
        if key in self.exact:
            return {self.exact[key]}
        if key in self.suffixes:
            return self.suffixes[key]
        parts = key.split("/")
        for start in range(1, len(parts)):
            shorter = "/".join(parts[start:])
            if shorter in self.exact:
                return {self.exact[shorter]}
        return set() if "#" in key else self.records.get(key, set())
