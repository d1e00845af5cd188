"""What an ingest did, file by file: the outcomes, missing files and the summary counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

STATUSES = ("added", "updated", "unchanged", "duplicate", "failed")
STATUS_LABELS = {
    "added": "ajouté", "updated": "mis à jour", "unchanged": "inchangé",
    "duplicate": "doublon", "failed": "échec",
}
NO_TEXT_MARK = "OCR nécessaire"


@dataclass
class FileOutcome:
    """What happened to one document of the input (a file, a record or an archive member)."""

    source_key: str
    status: str
    document_id: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    title: str | None = None

    @property
    def needs_ocr(self) -> bool:
        return any(NO_TEXT_MARK in w for w in self.warnings)


@dataclass
class MissingSource:
    """A document whose file was not found again in a re-ingested folder (kept, not deleted)."""

    source_key: str
    document_id: str
    title: str


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    missing: list[MissingSource] = field(default_factory=list)
    index_error: str | None = None
    dry_run: bool = False
    run_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(o.status for o in self.outcomes)
        return {status: counter.get(status, 0) for status in STATUSES}

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def needs_ocr(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("added", "updated") and o.needs_ocr]

    def summary(self) -> str:
        """One French line: the counts of each status."""
        c = self.counts
        return (f"{c['added']} ajouté(s), {c['updated']} mis à jour, "
                f"{c['unchanged']} inchangé(s), {c['duplicate']} doublon(s), "
                f"{c['failed']} échec(s)")

    def as_dict(self) -> dict[str, object]:
        return {
            "counts": self.counts,
            "dry_run": self.dry_run,
            "run_id": self.run_id,
            "files": [asdict(o) for o in self.outcomes],
            "missing": [asdict(m) for m in self.missing],
            "needs_ocr": [o.source_key for o in self.needs_ocr],
            "index_error": self.index_error,
        }
