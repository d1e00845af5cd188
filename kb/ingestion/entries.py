"""One entry extracted and written: a document's fields, a new revision, its original."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.isolation import shared_reader
from ingest.limits import Limits
from ingest.model import ExtractedDocument
from ingest.registry import READER_VERSION, read_bytes
from ingest.resolve import ResolvedMetadata, resolve_metadata
from kb.context import KbContext
from kb.documents.publishing import unpublished
from kb.models import Document, Revision, utcnow
from kb.models.documents import CURATED_KEY
from kb.storage import sha256


@dataclass
class Candidate:
    """An entry ready to store: its bytes, its key and where it came from."""

    source_key: str
    name: str
    data: bytes
    root: str | None
    path: str
    hint: str
    media_type: str | None = None
    sidecar: dict[str, object] | None = None
    overrides: dict[str, object] | None = None
    # False for the upload of a member who may not publish (`kb.documents.publishing`).
    may_publish: bool = True


@dataclass
class StoreOptions:
    """Per-run settings: the run to stamp, and for a dry run the digests "stored" so far."""

    run_id: int | None = None
    dry_run: bool = False
    planned: dict[str, str] = field(default_factory=dict)


def meta_hash(sidecar: dict[str, object] | None) -> str | None:
    if not sidecar:
        return None
    encoded = json.dumps(sidecar, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def extract(ctx: KbContext, c: Candidate) -> tuple[ExtractedDocument, ResolvedMetadata]:
    limits = Limits.for_file_limit(ctx.settings.max_file_bytes)
    if ctx.settings.read_timeout_s > 0:
        reader = shared_reader(ctx.settings.read_timeout_s)
        extracted = reader.read(c.data, c.name, c.media_type, limits)
    else:
        extracted = read_bytes(c.data, c.name, c.media_type, limits)
    meta = resolve_metadata(extracted, c.source_key, c.sidecar, c.overrides, c.hint)
    if not c.may_publish:
        meta.kind, meta.visibility, lowered = unpublished(
            meta.kind, meta.visibility or ctx.settings.default_visibility)
        meta.warnings.extend(lowered)
    if meta.visibility == "restreint" and not meta.groups:
        meta.warnings.append("visibilité restreinte sans groupe : seuls les administrateurs "
                             "verront ce document")
    return extracted, meta


# The version of the readers that extracted the document's text (`ingest.READER_VERSION`).
READER_KEY = "reader_version"


def read_by_current_readers(document: Document) -> bool:
    return (document.extra or {}).get(READER_KEY) == READER_VERSION


def apply_fields(document: Document, meta: ResolvedMetadata, extracted: ExtractedDocument,
                 default_visibility: str) -> None:
    """Copy a revision's text and metadata onto the document, except the fields a person
    edited on the web (`extra["curated_fields"]`): a new file never undoes their work, and
    never widens a visibility they narrowed."""
    curated = set((document.extra or {}).get(CURATED_KEY, []))
    fields: dict[str, object] = {
        "title": meta.title, "kind": meta.kind, "authors": meta.authors, "date": meta.date,
        "territory": meta.territory, "themes": meta.themes,
        "visibility": meta.visibility or default_visibility, "groups": meta.groups,
    }
    for name, value in fields.items():
        if name not in curated:
            setattr(document, name, value)
    document.language = meta.language
    document.text = extracted.text
    document.sections = [s.as_dict() for s in extracted.sections]
    document.page_count = extracted.page_count
    document.warnings = extracted.warnings + meta.warnings
    document.extra = {**meta.extra, READER_KEY: READER_VERSION,
                      **({CURATED_KEY: sorted(curated)} if curated else {})}
    document.media_type = extracted.media_type
    document.updated_at = utcnow()
    document.index_pending = True


def _snapshot(meta: ResolvedMetadata) -> dict[str, object]:
    """The resolved metadata of a revision, kept with its history."""
    return {"title": meta.title, "kind": meta.kind, "authors": meta.authors,
            "date": meta.date.isoformat() if meta.date else None,
            "territory": meta.territory, "themes": meta.themes,
            "visibility": meta.visibility, "groups": meta.groups}


def add_revision(session: Session, ctx: KbContext, document: Document, c: Candidate,
                  options: StoreOptions) -> ResolvedMetadata:
    extracted, meta = extract(ctx, c)
    if not options.dry_run:
        ctx.originals.put(c.data)  # content-addressed: harmless if the transaction rolls back
    apply_fields(document, meta, extracted, ctx.settings.default_visibility)
    document.content_hash = sha256(c.data)
    document.original_name = PurePosixPath(c.name).name[:300]
    number = 1 + (session.scalar(select(Revision.number).where(
        Revision.document_id == document.id).order_by(Revision.number.desc()).limit(1)) or 0)
    session.add(Revision(
        document_id=document.id, number=number, content_hash=document.content_hash,
        media_type=extracted.media_type, original_name=document.original_name,
        size=len(c.data), title=meta.title, text=extracted.text, metadata_=_snapshot(meta)))
    return meta
