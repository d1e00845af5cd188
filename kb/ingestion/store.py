"""One document into the base: identity by SHA-256, new revisions, duplicates, originals.

`store_entry` decides and writes inside the caller's session; the caller commits (or rolls
back for a dry run). Nothing is written to the index here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.resolve import ResolvedMetadata
from kb.context import KbContext
from kb.documents.publishing import is_published
from kb.ingestion.entries import (
    Candidate,
    StoreOptions,
    add_revision,
    apply_fields,
    extract,
    meta_hash,
    read_by_current_readers,
)
from kb.ingestion.report import FileOutcome
from kb.models import Document, Revision, SourceRecord, new_id, utcnow
from kb.storage import sha256

__all__ = ["Candidate", "StoreOptions", "store_entry"]


def _record(session: Session, c: Candidate) -> SourceRecord | None:
    """The record of this key; a document stored before records existed is adopted."""
    record = session.scalar(select(SourceRecord).where(SourceRecord.source_key == c.source_key))
    if record is not None:
        return record
    legacy = session.scalar(select(Document).where(Document.source_key == c.source_key))
    if legacy is None:
        return None
    record = SourceRecord(source_key=c.source_key, document_id=legacy.id, root=c.root,
                          path=c.path, content_hash=legacy.content_hash)
    session.add(record)
    return record


def _touch(record: SourceRecord, c: Candidate, options: StoreOptions) -> None:
    record.root, record.path = c.root, c.path
    record.content_hash = sha256(c.data)
    record.meta_hash = meta_hash(c.sidecar)
    record.last_seen_at = utcnow()
    record.last_run_id = options.run_id


def _twin(session: Session, digest: str) -> tuple[Document, int | None] | None:
    """A document holding these bytes now, or in an older revision (with its number)."""
    current = session.scalar(select(Document).where(Document.content_hash == digest).limit(1))
    if current is not None:
        return current, None
    old = session.execute(select(Revision.document_id, Revision.number)
                          .where(Revision.content_hash == digest).limit(1)).first()
    if old is None:
        return None
    document = session.get(Document, old[0])
    return (document, old[1]) if document is not None else None


def _outcome(c: Candidate, status: str, document: Document, message: str = "",
             meta: ResolvedMetadata | None = None) -> FileOutcome:
    warnings = list(document.warnings) if meta is not None else []
    return FileOutcome(c.source_key, status, document.id, message, warnings, document.title)


def store_entry(session: Session, ctx: KbContext, c: Candidate,
                options: StoreOptions) -> FileOutcome:
    """Store one entry: unchanged, metadata refreshed, new revision, duplicate or new.

    Raises `ReadError` when the bytes cannot be read; the caller rolls back."""
    digest = sha256(c.data)
    record = _record(session, c)
    if record is not None:
        document = session.get(Document, record.document_id)
        assert document is not None  # the foreign key cascades deletions
        primary = document.source_key == c.source_key
        if record.content_hash == digest:
            same_meta = record.meta_hash == meta_hash(c.sidecar)
            if not primary or (same_meta and read_by_current_readers(document)):
                _touch(record, c, options)
                return _outcome(c, "unchanged", document)
            # New metadata, or readers that now extract more (PDF headings…): read again.
            extracted, meta = extract(ctx, c)
            apply_fields(document, meta, extracted, ctx.settings.default_visibility)
            _touch(record, c, options)
            message = "relu avec les lecteurs à jour" if same_meta else "métadonnées mises à jour"
            return _outcome(c, "updated", document, message, meta)
        if primary and not c.may_publish and is_published(document):
            return FileOutcome(c.source_key, "failed", document.id,
                               "document déjà publié : sa nouvelle version se dépose par un "
                               "membre du collectif qualifié ou un·e administrateur·rice")
        if primary:
            meta = add_revision(session, ctx, document, c, options)
            _touch(record, c, options)
            if not options.dry_run:  # e.g. the doctrine dossier moves to this revision
                for listener in ctx.revision_listeners:
                    listener(session, document)
            return _outcome(c, "updated", document, "nouvelle révision", meta)
        # The copy of another document changed: from now on it is a document of its own.
    return _store_new(session, ctx, c, record, digest, options)


def _store_new(session: Session, ctx: KbContext, c: Candidate, record: SourceRecord | None,
               digest: str, options: StoreOptions) -> FileOutcome:
    twin = _twin(session, digest)
    if twin is None and digest in options.planned:
        return FileOutcome(c.source_key, "duplicate",
                           message=f"contenu identique à « {options.planned[digest]} »")
    if twin is not None:
        document, number = twin
        if record is None:
            record = SourceRecord(source_key=c.source_key, document_id=document.id, path=c.path)
            session.add(record)
        record.document_id = document.id
        _touch(record, c, options)
        where = f" (révision {number})" if number is not None else ""
        return _outcome(c, "duplicate", document,
                        f"contenu identique à « {document.source_key} »{where}")
    document = Document(id=new_id(), source_key=c.source_key)
    session.add(document)
    meta = add_revision(session, ctx, document, c, options)
    if record is None:
        record = SourceRecord(source_key=c.source_key, document_id=document.id, path=c.path)
        session.add(record)
    record.document_id = document.id
    _touch(record, c, options)
    if options.dry_run:
        options.planned[digest] = c.source_key
    return _outcome(c, "added", document, meta=meta)
