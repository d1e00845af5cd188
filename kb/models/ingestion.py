"""Where each document came from (source keys, folders, hashes) and the log of ingest runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, utcnow


class IngestRun(Base):
    """One `kb ingest` or one web upload; a run never finished was interrupted."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(32))
    by: Mapped[str | None] = mapped_column(String(300), default=None)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # [{"source_key": ..., "message": ...}], capped: the full report is the CLI's JSON file.
    failures: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)


class SourceRecord(Base):
    """A source key where a document's bytes were seen: its own key, or the key of a copy
    (a duplicate). `root` and `path` tell where the file lies, so that a re-ingest of the
    same folder can report files that disappeared."""

    __tablename__ = "ingest_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    root: Mapped[str | None] = mapped_column(String(1024), default=None, index=True)
    path: Mapped[str] = mapped_column(String(1024))
    content_hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the sidecar metadata last applied; a changed sidecar re-applies metadata.
    meta_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_run_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("ingest_runs.id", ondelete="SET NULL"), default=None)
