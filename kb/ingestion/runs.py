"""One ingest run: per-document transactions, errors turned into outcomes, the index
updated after commits, the run logged, and files that disappeared from a folder found."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ingest.containers import expand
from ingest.limits import Limits
from ingest.model import ReadError
from kb.context import KbContext
from kb.errors import KbError
from kb.indexing.sync import index_pending
from kb.ingestion.report import FileOutcome, IngestReport, MissingSource
from kb.ingestion.store import Candidate, StoreOptions, store_entry
from kb.models import Document, IngestRun, SourceRecord, utcnow

log = logging.getLogger(__name__)
INDEX_EVERY = 200
MAX_LOGGED_FAILURES = 500


@dataclass
class Job:
    """The state of one run: its report, what was seen, and when to push to the index."""

    ctx: KbContext
    report: IngestReport
    options: StoreOptions
    changed: int = 0
    seen_keys: set[str] = field(default_factory=set)
    seen_paths: dict[str | None, set[str]] = field(default_factory=dict)
    failed_paths: dict[str | None, set[str]] = field(default_factory=dict)

    @classmethod
    def start(cls, ctx: KbContext, origin: str, sources: list[str], by: str | None = None,
              dry_run: bool = False) -> Job:
        """Log the run before any document is stored (a run never finished was killed)."""
        run_id = None
        if not dry_run:
            with ctx.sessions.begin() as session:
                run = IngestRun(origin=origin, by=by, sources=sources[:100])
                session.add(run)
                session.flush()
                run_id = run.id
        return cls(ctx, IngestReport(dry_run=dry_run, run_id=run_id),
                   StoreOptions(run_id=run_id, dry_run=dry_run))

    def seen_path(self, root: str | None, path: str) -> None:
        self.seen_paths.setdefault(root, set()).add(path)

    def add(self, outcome: FileOutcome) -> FileOutcome:
        self.report.outcomes.append(outcome)
        self.seen_keys.add(outcome.source_key)
        return outcome

    def fail(self, key: str, message: str, root: str | None = None,
             path: str | None = None) -> FileOutcome:
        """A failed outcome; a failed container (`root`, `path`) hides its members' absence."""
        if path is not None:
            self.failed_paths.setdefault(root, set()).add(path)
        return self.add(FileOutcome(key, "failed", message=message))

    def store(self, ctx: KbContext, candidate: Candidate) -> FileOutcome:
        """Store one entry in its own transaction; every error becomes a failed outcome."""
        try:
            with ctx.sessions() as session:
                outcome = store_entry(session, ctx, candidate, self.options)
                if self.options.dry_run:
                    session.rollback()
                else:
                    session.commit()
        except ReadError as exc:
            return self.fail(candidate.source_key, exc.reason)
        except KbError as exc:  # a value the base cannot keep (a text too long), named
            return self.fail(candidate.source_key, exc.message)
        except SQLAlchemyError as exc:
            log.exception("database error on %s", candidate.source_key)
            return self.fail(candidate.source_key,
                             f"erreur de la base de données ({type(exc).__name__})")
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
            log.exception("unexpected error on %s", candidate.source_key)
            return self.fail(candidate.source_key,
                             f"erreur inattendue ({type(exc).__name__} : {exc})")
        self.add(outcome)
        if outcome.status in ("added", "updated") and not self.options.dry_run:
            self.changed += 1
            if self.changed % INDEX_EVERY == 0:
                self.push_index()
        return outcome

    def push_index(self) -> None:
        try:
            index_pending(self.ctx)
        except Exception as exc:  # noqa: BLE001 - recorded, repaired by `kb check --repair`
            log.exception("index update failed")
            self.report.index_error = (
                f"mise à jour de l'index échouée ({exc}) ; lancez « kb check --repair »")

    def finish(self) -> IngestReport:
        """Push what is pending to the index and close the run's log entry."""
        if self.options.dry_run:
            return self.report
        self.push_index()
        report = self.report
        with self.ctx.sessions.begin() as session:
            run = session.get(IngestRun, report.run_id)
            if run is not None:
                run.finished_at = utcnow()
                run.counts = report.counts
                run.failures = [{"source_key": o.source_key, "message": o.message}
                                for o in report.failed[:MAX_LOGGED_FAILURES]]
                run.missing = [m.source_key for m in report.missing]
        return report


def find_missing(ctx: KbContext, folder: Path, job: Job) -> list[MissingSource]:
    """Documents recorded from `folder` whose file (or archive member) was not seen again.

    A file still on disk but left out by the include/exclude patterns is not missing, nor
    are the members of an archive that failed to open."""
    root = str(folder.resolve())
    seen_paths = job.seen_paths.get(root, set())
    failed = job.failed_paths.get(root, set())
    missing: list[MissingSource] = []
    with ctx.sessions() as session:
        rows = session.execute(
            select(SourceRecord.source_key, SourceRecord.path, Document.id, Document.title)
            .join(Document, Document.id == SourceRecord.document_id)
            .where(SourceRecord.root == root).order_by(SourceRecord.source_key))
        for key, path, doc_id, title in rows:
            if key in job.seen_keys or path in failed:
                continue
            if path not in seen_paths and (folder / path).exists():
                continue
            missing.append(MissingSource(key, doc_id, title))
    return missing


def ingest_blob(ctx: KbContext, base: Candidate, job: Job) -> list[FileOutcome]:
    """Cut an input into its entries (one, or one per record or archive member) and store
    each in its own transaction; a container that cannot be opened is one failure."""
    limits = Limits.for_file_limit(ctx.settings.max_file_bytes)
    outcomes: list[FileOutcome] = []
    try:
        for entry in expand(base.data, base.name, limits):
            key = base.source_key + entry.suffix
            if entry.error:
                outcomes.append(job.fail(key, entry.error))
                continue
            sidecar = {**(base.sidecar or {}), **(entry.sidecar or {})} or None
            candidate = Candidate(key, entry.name, entry.data, base.root, base.path,
                                  base.hint + entry.suffix, entry.media_type, sidecar,
                                  base.overrides, base.may_publish)
            outcomes.append(job.store(ctx, candidate))
    except ReadError as exc:
        outcomes.append(job.fail(base.source_key, exc.reason, base.root, base.path))
    return outcomes
