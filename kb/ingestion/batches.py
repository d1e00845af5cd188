"""Ingest files into the base: one transaction per document, the index updated after.

Public surface: `plan_paths` + `run_plan` (what `kb ingest` does, in two steps so that the
command can show a progress bar), `ingest_paths` (both at once), `ingest_uploads` (the web
upload), and the report types `IngestReport`, `FileOutcome`, `STATUS_LABELS`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import ReadError
from ingest.sources import SourceFile, iter_source_files, read_sidecar
from kb.context import KbContext
from kb.ingestion.report import STATUS_LABELS, FileOutcome, IngestReport, MissingSource
from kb.ingestion.runs import Job, find_missing, ingest_blob
from kb.ingestion.store import Candidate
from kb.ingestion.uploads import ingest_uploads
from kb.taxonomy.tagging import tag_after_ingest

__all__ = [
    "STATUS_LABELS", "FileOutcome", "IngestPlan", "IngestReport", "MissingSource",
    "ingest_paths", "ingest_uploads", "plan_paths", "run_plan",
]
Progress = Callable[[SourceFile, list[FileOutcome]], None]


@dataclass
class IngestPlan:
    """The files to ingest, the folders they were found in, and paths that do not exist."""

    sources: list[SourceFile] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def plan_paths(paths: Sequence[Path], include: Sequence[str] = (),
               exclude: Sequence[str] = ()) -> IngestPlan:
    """Walk `paths` (folders recursively, include/exclude patterns on relative paths)."""
    plan = IngestPlan()
    for path in paths:
        if not path.exists():
            plan.not_found.append(str(path))
            continue
        if path.is_dir():
            plan.folders.append(path)
        plan.sources.extend(iter_source_files([path], include, exclude))
    return plan


def ingest_paths(
    ctx: KbContext,
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
) -> IngestReport:
    """Ingest every file under `paths`; a bad file is reported and the batch goes on."""
    return run_plan(ctx, plan_paths(paths, include, exclude), progress, dry_run=dry_run)


def run_plan(ctx: KbContext, plan: IngestPlan, progress: Progress | None = None, *,
             dry_run: bool = False) -> IngestReport:
    """Ingest a plan file by file; `progress` is called after each file with its outcomes."""
    labels = [str(p) for p in (*plan.folders, *(s.path for s in plan.sources if not s.root))]
    job = Job.start(ctx, "commande", labels, dry_run=dry_run)
    for missing_path in plan.not_found:
        job.add(FileOutcome(missing_path, "failed", message="chemin introuvable"))
    for source in plan.sources:
        outcomes = ingest_file(ctx, source, job)
        if progress:
            progress(source, outcomes)
    for folder in plan.folders:
        job.report.missing.extend(find_missing(ctx, folder, job))
    report = job.finish()
    if not dry_run:  # automatic tagging (issue 5); skipped when there is no taxonomy
        tag_after_ingest(ctx, [o.document_id for o in report.outcomes
                               if o.status in ("added", "updated") and o.document_id])
    return report


def ingest_file(ctx: KbContext, source: SourceFile, job: Job) -> list[FileOutcome]:
    """One file from disk: size checked before reading, sidecar read beside it."""
    root = str(source.root.resolve()) if source.root else None
    job.seen_path(root, source.source_key)
    if source.refusal:
        return [job.fail(source.source_key, source.refusal, root, source.source_key)]
    try:
        size = source.path.stat().st_size
        if size > ctx.settings.max_file_bytes:
            raise ReadError(f"fichier trop volumineux ({size} octets, limite "
                            f"{ctx.settings.max_file_bytes // (1024 * 1024)} Mo)")
        data = source.path.read_bytes()
        sidecar = read_sidecar(source.path)
    except ReadError as exc:
        return [job.fail(source.source_key, exc.reason, root, source.source_key)]
    except OSError as exc:
        return [job.fail(source.source_key, f"lecture impossible ({exc.strerror or exc})",
                         root, source.source_key)]
    base = Candidate(source.source_key, source.path.name, data, root, source.source_key,
                     source.hint, sidecar=sidecar)
    return ingest_blob(ctx, base, job)
