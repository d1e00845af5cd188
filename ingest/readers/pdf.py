"""PDF reader (pypdf): text page by page, document information, repeated headers removed,
and sections opened by the headings, told from the body text by their larger print."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text

MEDIA_TYPE = "application/pdf"
NO_TEXT_WARNING = "aucun texte : OCR nécessaire"
MAX_RUNNING_LINE = 100
# Headings are printed at least this much larger than the body text, on short lines, and
# are a small share of the text (otherwise large print is the body: slides, posters).
HEADING_RATIO = 1.1
MAX_HEADING = 200
MAX_HEADING_SHARE = 0.3
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


@dataclass
class PageText:
    """A page's text, how many of its characters are printed at each size (in points), and
    its lines with the smallest size of their characters (0 for a blank line)."""

    text: str
    sizes: Counter[float] = field(default_factory=Counter)
    lines: list[tuple[str, float]] = field(default_factory=list)  # (line, smallest size)


def _size(font_size: float, cm: list[float], tm: list[float]) -> float:
    """The printed size of text: its font size scaled by the text and page matrices."""
    scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
    return round(font_size * scale * 2) / 2  # half points: 10.5 and 10.52 are one size


def _extract(page: PageObject) -> PageText:
    chunks: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object,
              font_size: float) -> None:
        chunks.append((text, _size(font_size, cm, tm)))

    text = page.extract_text(visitor_text=visit) or ""
    found = PageText(text)
    if "".join(chunk for chunk, _size_ in chunks) != text:
        return found  # the visitor saw other text than the page gives: sizes unknown
    line, smallest = "", 0.0
    for chunk, size in chunks:
        for number, piece in enumerate(chunk.split("\n")):
            if number:
                found.lines.append((line, smallest))
                line, smallest = "", 0.0
            if piece.strip():
                found.sizes[size] += len(piece.strip())
                smallest = min(smallest, size) if smallest else size
            line += piece
    found.lines.append((line, smallest))
    return found


def _page_texts(reader: PdfReader, warnings: list[str]) -> list[PageText]:
    """Text of each page; a page pypdf cannot read is skipped with a warning, and the
    document fails only when no page at all can be read."""
    texts: list[PageText] = []
    failed: list[int] = []
    try:
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises anything on hostile files
        raise ReadError(f"PDF corrompu : pages illisibles ({type(exc).__name__})") from exc
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(_extract(page))
        except Exception:  # noqa: BLE001 - same reason, per page
            texts.append(PageText(""))
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


def _join_page_break(section: Section | None, paragraphs: list[str]) -> None:
    """A sentence cut by a page break goes on in the paragraph it started."""
    if (section and section.paragraphs and paragraphs
            and not _END.search(section.paragraphs[-1]) and paragraphs[0][:1].islower()):
        section.paragraphs[-1] += " " + paragraphs.pop(0)


def _page_sections(pages: list[list[str]]) -> list[Section]:
    """One section per page, for PDFs whose headings cannot be told from the text."""
    sections: list[Section] = []
    for number, lines in enumerate(pages, start=1):
        paragraphs = _paragraphs(lines)
        _join_page_break(next((s for s in reversed(sections) if s.paragraphs), None),
                         paragraphs)
        if paragraphs:
            sections.append(Section("", 0, paragraphs, page=number))
    return sections


def _heading_levels(pages: list[PageText]) -> dict[float, int]:
    """Sizes printed larger than the body text, largest first, as heading levels 1, 2…;
    empty when the document has no such headings (one size, or large text everywhere)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        sizes.update(page.sizes)
    if not sizes:
        return {}
    body = sizes.most_common(1)[0][0]
    larger = sorted((size for size in sizes if size >= body * HEADING_RATIO), reverse=True)
    if not larger or sum(sizes[size] for size in larger) > MAX_HEADING_SHARE * sizes.total():
        return {}
    return {size: level for level, size in enumerate(larger[:6], start=1)}


def _headings(page: PageText, levels: dict[float, int]) -> dict[str, int]:
    """The page's heading lines (normalised) and their levels: short lines printed wholly
    at a heading size."""
    found: dict[str, int] = {}
    for line, size in page.lines:
        text = normalize_inline(line)
        if size in levels and 0 < len(text) <= MAX_HEADING:
            found.setdefault(text, levels[size])
    return found


def _add_body(sections: list[Section], body: list[str], page: int) -> None:
    """The paragraphs of `body` into the current section (an untitled one before the first
    heading)."""
    paragraphs = _paragraphs(body)
    body.clear()
    if not paragraphs:
        return
    if not sections:
        sections.append(Section("", 0, [], page=page))
    _join_page_break(sections[-1], paragraphs)
    sections[-1].paragraphs.extend(paragraphs)


def _heading_sections(pages: list[list[str]], headings: list[dict[str, int]]) -> list[Section]:
    """Sections opened by the heading lines; a heading set on two lines stays one."""
    sections: list[Section] = []
    for number, (lines, page_headings) in enumerate(zip(pages, headings, strict=True), 1):
        body: list[str] = []
        for line in lines:
            text = normalize_inline(line)
            level = page_headings.get(text)
            if level is None:
                body.append(line)
                continue
            _add_body(sections, body, number)
            last = sections[-1] if sections else None
            if last is not None and last.level == level and not last.paragraphs:
                last.heading = f"{last.heading} {text}"  # a heading on two lines
            else:
                sections.append(Section(text, level, [], page=number))
        _add_body(sections, body, number)
    return sections


def read(data: bytes) -> ExtractedDocument:
    reader = _open(data)
    warnings: list[str] = []
    texts = _page_texts(reader, warnings)
    pages = _strip_repeated_lines([normalize_text(t.text).split("\n") for t in texts])
    levels = _heading_levels(texts)
    if levels:
        sections = _heading_sections(pages, [_headings(t, levels) for t in texts])
    else:
        sections = _page_sections(pages)
    document = ExtractedDocument(MEDIA_TYPE, sections, page_count=len(pages),
                                 warnings=warnings)
    info = _info(reader)
    document.metadata.update({k: v for k, v in info.items() if k != "subject"})
    if not sections:
        document.warnings.append(NO_TEXT_WARNING)
    return document
