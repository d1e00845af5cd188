"""PDF reader (pypdf): text page by page, document information, repeated headers removed."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text

MEDIA_TYPE = "application/pdf"
NO_TEXT_WARNING = "aucun texte : OCR nécessaire"
MAX_RUNNING_LINE = 100
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many "protected" PDFs only forbid copying and open with the empty password.
            if not reader.decrypt(""):
                raise ReadError("PDF chiffré : mot de passe requis")
        return reader
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError("PDF chiffré : mot de passe requis") from exc
    except DependencyError as exc:
        raise ReadError(f"PDF chiffré illisible : {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises anything on hostile files
        raise ReadError(f"PDF corrompu ou tronqué ({type(exc).__name__} : {exc})") from exc


def _page_texts(reader: PdfReader, warnings: list[str]) -> list[str]:
    """Text of each page; a page pypdf cannot read is skipped with a warning, and the
    document fails only when no page at all can be read."""
    texts: list[str] = []
    failed: list[int] = []
    try:
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises anything on hostile files
        raise ReadError(f"PDF corrompu : pages illisibles ({type(exc).__name__})") from exc
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 - same reason, per page
            texts.append("")
            failed.append(number)
    if failed and len(failed) == len(pages):
        raise ReadError("PDF corrompu : aucune page lisible")
    if failed:
        warnings.append(f"page(s) illisible(s) ignorée(s) : {', '.join(map(str, failed))}")
    return texts


def _strip_repeated_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop short first/last lines that recur on most pages (running headers, footers,
    folios such as "Page 3 / 10": digits are ignored when comparing)."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        line = line.strip()
        return re.sub(r"\d+", "#", line.lower()) if 0 < len(line) <= MAX_RUNNING_LINE else ""

    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({key(line) for line in (*lines[:2], *lines[-2:])})
    repeated = {k for k, n in edges.items() if k and n >= max(3, int(0.6 * len(pages)))}
    return [
        [line for i, line in enumerate(lines)
         if not ((i < 2 or i >= len(lines) - 2) and key(line) in repeated)]
        for lines in pages
    ]


def _info(reader: PdfReader) -> dict[str, object]:
    try:
        info = reader.metadata or {}
    except Exception:  # noqa: BLE001 - metadata is a bonus, never a reason to fail
        return {}
    fields: dict[str, object] = {}
    if title := info.get("/Title"):
        fields["title"] = normalize_inline(str(title))
    if author := info.get("/Author"):
        fields["authors"] = as_list(str(author), people=True)
    if keywords := info.get("/Keywords"):
        fields["themes"] = as_list(str(keywords))
    if subject := info.get("/Subject"):
        fields["subject"] = str(subject)
    created = info.get("/CreationDate")
    if created and (match := re.match(r"D:(\d{4})(\d{2})?(\d{2})?", str(created))):
        fields["date"] = parse_date(f"{match[1]}-{match[2] or '01'}-{match[3] or '01'}")
    return fields


_END = re.compile(r"[.!?:»\")…]$")
_ITEM = re.compile(r"^(?:[•▪◦‣–*-]|\d{1,2}[.)]|[a-z][.)])\s")


def _standalone(line: str, following: str, width: int) -> bool:
    """A heading-like line: short, capitalised, no closing punctuation, and followed by a
    capitalised line (« Contexte » above « Le PETR… »); it stays a paragraph of its own."""
    return (0 < len(line) <= min(60, 0.6 * width) and line[:1].isupper()
            and not line.endswith((".", ",", ";", ":", "…", "-"))
            and following[:1].isupper())


def _paragraphs(lines: list[str]) -> list[str]:
    """Join a page's lines into paragraphs: a new one after a blank line, after a short line
    that ends a sentence, around a heading-like line, or before a list item."""
    lines = [line.strip() for line in lines]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        previous = paragraphs[-1][-1] if paragraphs[-1] else ""
        if not line:
            paragraphs.append([])
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        ended = bool(_END.search(previous)) and len(previous) < 0.85 * width
        heading = _standalone(line, following, width)
        if previous and (ended or heading or _ITEM.match(line)):
            paragraphs.append([])
        paragraphs[-1].append(line)
        if heading:
            paragraphs.append([])
    return [normalize_inline(" ".join(p)) for p in paragraphs if p]


def _page_sections(pages: list[list[str]]) -> list[Section]:
    """One section per page; a sentence cut by a page break is joined to its start."""
    sections: list[Section] = []
    for number, lines in enumerate(pages, start=1):
        paragraphs = _paragraphs(lines)
        last = next((s for s in reversed(sections) if s.paragraphs), None)
        if (last and paragraphs and not _END.search(last.paragraphs[-1])
                and paragraphs[0][:1].islower()):
            last.paragraphs[-1] += " " + paragraphs.pop(0)
        if paragraphs:
            sections.append(Section("", 0, paragraphs, page=number))
    return sections


def read(data: bytes) -> ExtractedDocument:
    reader = _open(data)
    warnings: list[str] = []
    pages = [normalize_text(t).split("\n") for t in _page_texts(reader, warnings)]
    sections = _page_sections(_strip_repeated_lines(pages))
    document = ExtractedDocument(MEDIA_TYPE, sections, page_count=len(pages),
                                 warnings=warnings)
    info = _info(reader)
    document.metadata.update({k: v for k, v in info.items() if k != "subject"})
    if not sections:
        document.warnings.append(NO_TEXT_WARNING)
    return document
