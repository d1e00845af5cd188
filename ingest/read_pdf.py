"""PDF reader (pypdf): text page by page, document information, repeated headers removed."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text

MEDIA_TYPE = "application/pdf"
NO_TEXT_WARNING = "aucun texte : OCR nécessaire"
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
    except (PyPdfError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ReadError(f"PDF corrompu ou tronqué ({type(exc).__name__} : {exc})") from exc


def _page_texts(reader: PdfReader) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise ReadError(f"PDF corrompu, page {number} illisible ({exc})") from exc
    return texts


def _strip_repeated_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop first/last lines that recur on most pages (running headers, footers, folios)."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    edges = Counter()
    for lines in pages:
        for line in {*lines[:2], *lines[-2:]}:
            edges[key(line)] += 1
    repeated = {k for k, n in edges.items() if k and n >= max(3, int(0.6 * len(pages)))}
    return [
        [line for i, line in enumerate(lines) if not ((i < 2 or i >= len(lines) - 2)
                                                    and key(line) in repeated)]
        for lines in pages
    ]


def _info(reader: PdfReader) -> dict[str, object]:
    try:
        info = reader.metadata or {}
    except PyPdfError:
        return {}
    fields: dict[str, object] = {}
    if title := info.get("/Title"):
        fields["title"] = normalize_inline(str(title))
    if author := info.get("/Author"):
        fields["authors"] = as_list(str(author))
    if keywords := info.get("/Keywords"):
        fields["themes"] = as_list(str(keywords))
    if subject := info.get("/Subject"):
        fields["subject"] = str(subject)
    created = info.get("/CreationDate")
    if created and (match := re.match(r"D:(\d{4})(\d{2})?(\d{2})?", str(created))):
        fields["date"] = parse_date(f"{match[1]}-{match[2] or '01'}-{match[3] or '01'}")
    return fields


def read(data: bytes) -> ExtractedDocument:
    reader = _open(data)
    pages = [normalize_text(t).split("\n") for t in _page_texts(reader)]
    pages = _strip_repeated_lines(pages)
    paragraphs: list[str] = []
    for lines in pages:
        for block in re.split(r"\n\s*\n", normalize_text("\n".join(lines))):
            if block.strip():
                paragraphs.append(normalize_inline(block))
    document = ExtractedDocument(MEDIA_TYPE, [Section("", 0, paragraphs)] if paragraphs else [],
                                 page_count=len(pages))
    info = _info(reader)
    document.metadata.update({k: v for k, v in info.items() if k != "subject"})
    if not paragraphs:
        document.warnings.append(NO_TEXT_WARNING)
    return document
