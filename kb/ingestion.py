"""Ingest files into the base: one transaction per document, the index updated after."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import ExtractedDocument, ReadError, read_bytes
from ingest.resolve import ResolvedMetadata, resolve_metadata
from ingest.sources import SourceFile, iter_source_files, read_sidecar
from kb.context import KbContext
from kb.indexing import index_pending
from kb.models import Document, Revision, utcnow
from kb.storage import sha256

log = logging.getLogger(__name__)
INDEX_EVERY = 50
STATUSES = ("added", "updated", "unchanged", "duplicate", "failed")
STATUS_LABELS = {
    "added": "ajouté", "updated": "mis à jour", "unchanged": "inchangé",
    "duplicate": "doublon", "failed": "échec",
}


@dataclass
class FileOutcome:
    """What happened to one file."""

    source_key: str
    status: str
    document_id: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    index_error: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(o.status for o in self.outcomes)
        return {status: counter.get(status, 0) for status in STATUSES}

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def as_dict(self) -> dict[str, object]:
        return {
            "counts": self.counts,
            "files": [asdict(o) for o in self.outcomes],
            "index_error": self.index_error,
        }


def _sections_json(document: ExtractedDocument) -> list[dict[str, object]]:
    return [
        {"heading": s.heading, "level": s.level, "paragraphs": s.paragraphs}
        for s in document.sections
    ]


def _apply(document: Document, meta: ResolvedMetadata, extracted: ExtractedDocument,
           default_visibility: str) -> None:
    document.title = meta.title
    document.kind = meta.kind
    document.authors = meta.authors
    document.date = meta.date
    document.territory = meta.territory
    document.themes = meta.themes
    document.language = meta.language
    document.visibility = meta.visibility or default_visibility
    document.groups = meta.groups
    document.text = extracted.text
    document.sections = _sections_json(extracted)
    document.page_count = extracted.page_count
    document.warnings = extracted.warnings + meta.warnings
    document.extra = meta.extra
    document.media_type = extracted.media_type
    document.updated_at = utcnow()
    document.index_pending = True


def store_document(
    session: Session,
    ctx: KbContext,
    data: bytes,
    name: str,
    source_key: str,
    sidecar: dict[str, object] | None = None,
    overrides: dict[str, object] | None = None,
) -> FileOutcome:
    """Extract and store one file as a new document or a new revision; the caller commits."""
    digest = sha256(data)
    existing = session.scalar(select(Document).where(Document.source_key == source_key))
    if existing is not None and existing.content_hash == digest:
        return FileOutcome(source_key, "unchanged", existing.id)
    twin = session.scalar(select(Document).where(Document.content_hash == digest).limit(1))
    if existing is None and twin is not None:
        return FileOutcome(source_key, "duplicate", twin.id,
                           f"contenu identique à « {twin.source_key} »")
    extracted = read_bytes(data, name)
    meta = resolve_metadata(extracted, source_key, sidecar, overrides)
    ctx.originals.put(data)  # content-addressed: harmless if the transaction rolls back
    document = existing or Document(source_key=source_key)
    _apply(document, meta, extracted, ctx.settings.default_visibility)
    document.content_hash = digest
    document.original_name = Path(name).name[:300]
    if existing is None:
        session.add(document)
        session.flush()
    number = len(document.revisions) + 1
    document.revisions.append(Revision(
        number=number, content_hash=digest, media_type=extracted.media_type,
        original_name=document.original_name, size=len(data), title=meta.title,
        text=extracted.text, metadata_={"authors": meta.authors, "kind": meta.kind},
    ))
    status = "updated" if existing is not None else "added"
    return FileOutcome(source_key, status, document.id, warnings=document.warnings)


def ingest_source(ctx: KbContext, source: SourceFile,
                  overrides: dict[str, object] | None = None) -> FileOutcome:
    """Ingest one file in its own transaction; any error is reported, never raised."""
    try:
        size = source.path.stat().st_size
        if size > ctx.settings.max_file_bytes:
            limit = ctx.settings.max_file_bytes // (1024 * 1024)
            raise ReadError(f"fichier trop volumineux ({size} octets, limite {limit} Mo)")
        data = source.path.read_bytes()
        sidecar = read_sidecar(source.path)
        with ctx.sessions.begin() as session:
            return store_document(session, ctx, data, source.path.name, source.source_key,
                                  sidecar, overrides)
    except ReadError as exc:
        return FileOutcome(source.source_key, "failed", message=exc.reason)
    except OSError as exc:
        return FileOutcome(source.source_key, "failed",
                           message=f"lecture impossible ({exc.strerror or exc})")


def ingest_paths(
    ctx: KbContext,
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    """Ingest every file under `paths`; a bad file is reported and the batch goes on."""
    report = IngestReport()
    changed = 0
    for source in iter_source_files(paths, include, exclude):
        outcome = ingest_source(ctx, source)
        report.outcomes.append(outcome)
        if progress:
            progress(outcome)
        if outcome.status in ("added", "updated"):
            changed += 1
            if changed % INDEX_EVERY == 0:
                _index(ctx, report)
    _index(ctx, report)
    return report


def _index(ctx: KbContext, report: IngestReport) -> None:
    try:
        index_pending(ctx)
    except Exception as exc:  # noqa: BLE001 - recorded, repaired by `kb check --repair`
        log.exception("index update failed")
        report.index_error = (
            f"mise à jour de l'index échouée ({exc}) ; lancez « kb check --repair »"
        )
