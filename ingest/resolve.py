"""Final metadata of a file: sidecar > front matter or properties > folder > inferred."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ingest.metadata import canonical_metadata, kind_from_path
from ingest.model import ExtractedDocument
from ingest.normalize import normalize_inline

MAX_TITLE = 300
MAX_TERRITORY = 300
# Fields naming people that have no column of their own: kept in `extra`, as the sheets write
# them when published.
PEOPLE_FIELDS = {"narrator": "narrateur", "maieuticien": "maieuticien"}


@dataclass
class ResolvedMetadata:
    """kb's document fields for one file, each from the best source that had it."""

    title: str
    kind: str
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    territory: str | None = None
    themes: list[str] = field(default_factory=list)
    visibility: str | None = None
    groups: list[str] = field(default_factory=list)
    language: str = "fr"
    extra: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _title_from_name(source_key: str) -> str:
    stem = PurePosixPath(source_key).stem.replace("_", " ").replace("-", " ")
    return stem[:1].upper() + stem[1:]


def _inferred_title(document: ExtractedDocument, source_key: str) -> str:
    heading = document.first_heading()
    if heading:
        return heading
    for section in document.sections:
        for paragraph in section.paragraphs:
            if 3 <= len(paragraph) <= 150:
                return paragraph.rstrip(".")
            break
    return _title_from_name(source_key)


def _territory(value: object, warnings: list[str]) -> str | None:
    text = str(value) if value else None
    if text and len(text) > MAX_TERRITORY:
        warnings.append(f"champ « territoire » de {len(text)} caractères : seuls les "
                        f"{MAX_TERRITORY} premiers sont gardés")
        return text[:MAX_TERRITORY]
    return text


def resolve_metadata(
    document: ExtractedDocument,
    source_key: str,
    sidecar: dict[str, object] | None = None,
    overrides: dict[str, object] | None = None,
    folder_hint: str | None = None,
) -> ResolvedMetadata:
    """Merge every source of metadata; `overrides` (upload form) wins over all of them.

    `folder_hint` is the path whose folders tell the kind (defaults to `source_key`).
    Warnings about the document's own metadata were already recorded by the reader."""
    embedded, _ = canonical_metadata(document.metadata)
    side, warnings = canonical_metadata(sidecar or {})
    forced, forced_warnings = canonical_metadata(overrides or {})
    warnings += forced_warnings
    merged: dict[str, object] = {}
    if folder_kind := kind_from_path(folder_hint or source_key):
        merged["kind"] = folder_kind
    for layer in (embedded, side, forced):
        extra = layer.pop("extra", None)
        merged.update({k: v for k, v in layer.items() if v not in (None, "", [])})
        if isinstance(extra, dict):
            merged.setdefault("extra", {}).update(extra)  # type: ignore[union-attr]
    for name, kept in PEOPLE_FIELDS.items():  # kept for the directory of allies
        if merged.get(name):
            merged.setdefault("extra", {})[kept] = merged[name]  # type: ignore[index]
    inferred = document.title or _inferred_title(document, source_key)
    title = normalize_inline(str(merged.get("title") or inferred))
    return ResolvedMetadata(
        title=title[:MAX_TITLE] or _title_from_name(source_key),
        kind=str(merged.get("kind") or "autre"),
        authors=list(merged.get("authors") or document.authors),  # type: ignore[arg-type]
        date=merged.get("date") or document.date,  # type: ignore[arg-type]
        territory=_territory(merged.get("territory"), warnings),
        themes=list(merged.get("themes") or []),  # type: ignore[arg-type]
        visibility=merged.get("visibility"),  # type: ignore[arg-type]
        groups=list(merged.get("groups") or []),  # type: ignore[arg-type]
        language=str(merged.get("language") or document.language or "fr")[:2].lower(),
        extra=dict(merged.get("extra") or {}),  # type: ignore[call-overload]
        warnings=warnings,
    )
