"""The block model every writer renders: headings, paragraphs, lists, tables, with emphasis."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text with simple emphasis, and an optional link target."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


Inline = list[Run]


@dataclass
class Heading:
    level: int  # 1 = document title, 2 = section, 3 = subsection
    runs: Inline


@dataclass
class Para:
    runs: Inline


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list[list[Block]] = field(default_factory=list)


@dataclass
class TableBlock:
    header: list[Inline]
    rows: list[list[Inline]]


Block = Heading | Para | ListBlock | TableBlock


@dataclass(frozen=True)
class DocMeta:
    """Properties written into a file: title, authors, date, keywords, subject."""

    title: str
    created: dt.datetime
    authors: str = ""
    keywords: tuple[str, ...] = ()
    subject: str = ""
    language: str = "fr"
    generator: str = "Fabrique des transitions (kb)"


def plain(runs: Inline) -> str:
    return "".join(run.text for run in runs)


def column_weights(table: TableBlock) -> list[float]:
    """Relative column widths from the length of the cells (long text, long words)."""
    columns = list(zip(*([table.header] + table.rows), strict=True))
    weights = []
    for cells in columns:
        texts = [plain(cell) for cell in cells]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest_cell = max((len(t) for t in texts), default=1)
        weights.append(max(min(longest_cell, 40), longest_word + 4, 12))
    total = sum(weights)
    return [w / total for w in weights]


def fixed_zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A ZIP with fixed timestamps (same input, same bytes); `mimetype` stored uncompressed."""
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def rezip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a ZIP (as saved by python-docx) with fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return fixed_zip(entries, when)
