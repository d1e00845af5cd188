"""The web upload as a service: several files at once, names never trusted, no Flask here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath

from ingest.metadata import canonical_metadata
from kb.context import KbContext
from kb.documents.publishing import UPLOAD_ROOT, can_publish, check_publication, upload_prefix
from kb.errors import InvalidInput
from kb.ingestion.report import IngestReport
from kb.ingestion.runs import Job, ingest_blob
from kb.ingestion.store import Candidate
from kb.visibility import Reader

MAX_NAME = 150
_FORBIDDEN = re.compile(r'[<>:"|?*\\/]')


def safe_upload_name(raw: str) -> str:
    """A file name safe to show and to key on: the last path part only, no control or
    invisible characters, no leading dots, bounded length, suffix kept."""
    name = unicodedata.normalize("NFC", str(raw)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_FORBIDDEN.sub("_", name).split()).strip(" .")
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return name or "fichier"


def _unique(names: Sequence[str]) -> list[str]:
    """Two files of one upload with the same name become `x.pdf` and `x (2).pdf`."""
    seen: dict[str, int] = {}
    unique: list[str] = []
    for name in names:
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        if count > 1:
            path = PurePosixPath(name)
            name = f"{path.stem} ({count}){path.suffix}"
        unique.append(name)
    return unique


def check_overrides(overrides: dict[str, object]) -> None:
    """Form values must be valid: a bad kind, date or visibility is refused, not ignored."""
    _, warnings = canonical_metadata(overrides)
    if warnings:
        raise InvalidInput("; ".join(warnings))


def ingest_uploads(ctx: KbContext, files: list[tuple[str, bytes]],
                   overrides: dict[str, object] | None = None, *,
                   uploader: str | None = None, reader: Reader | None = None) -> IngestReport:
    """Ingest uploaded `(name, bytes)` pairs; `overrides` (the form's fields) win over every
    other metadata. Each file gets an outcome; archives and exports are expanded. Who may
    publish what is applied for `reader` (the operator's rights when none is given): form
    values beyond it are refused, a file's own are lowered with a warning."""
    overrides = dict(overrides or {})
    check_overrides(overrides)
    reader = reader or Reader.operator()
    check_publication(reader, canonical_metadata(overrides)[0])
    uploader = uploader or (str(overrides["uploaded_by"]) if overrides.get("uploaded_by")
                            else None)
    prefix = upload_prefix(uploader)
    names = _unique([safe_upload_name(name) for name, _ in files])
    job = Job.start(ctx, "televersement", names, by=uploader)
    for name, (_, data) in zip(names, files, strict=True):
        key = prefix + name
        if len(data) > ctx.settings.max_file_bytes:
            job.fail(key, f"fichier trop volumineux ({len(data)} octets, limite "
                          f"{ctx.settings.max_file_bytes // (1024 * 1024)} Mo)")
            continue
        base = Candidate(key, name, data, UPLOAD_ROOT, key, name, overrides=overrides,
                         may_publish=can_publish(reader))
        ingest_blob(ctx, base, job)
    return job.finish()
