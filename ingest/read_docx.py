"""DOCX reader (python-docx): headings, paragraphs and tables in order, core properties."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.metadata import as_list
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)


def _heading_level(paragraph: Paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    if match := _HEADING_STYLE.match(name or ""):
        return int(match[1])
    return 0


def _properties(document: docx.document.Document) -> dict[str, object]:
    props = document.core_properties
    fields: dict[str, object] = {}
    if props.title:
        fields["title"] = normalize_inline(props.title)
    if props.author:
        fields["authors"] = as_list(props.author)
    if props.created:
        fields["date"] = props.created.date()
    if props.keywords:
        fields["themes"] = as_list(props.keywords)
    if props.category:
        fields["kind"] = props.category
    if props.language:
        fields["language"] = props.language
    return fields


def read(data: bytes) -> ExtractedDocument:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"document Word (DOCX) invalide ou corrompu ({exc})") from exc
    sections = [Section("", 0)]
    title_from_style: str | None = None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [normalize_inline(cell.text) for cell in row.cells]
                if any(cells):
                    sections[-1].paragraphs.append(" | ".join(cells))
            continue
        text = normalize_inline(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.lower() in ("title", "titre") and title_from_style is None:
            title_from_style = text
            sections.append(Section(text, 1))
        elif level := _heading_level(block):
            sections.append(Section(text, level))
        else:
            bullet = "• " if "list" in style.lower() or "liste" in style.lower() else ""
            sections[-1].paragraphs.append(bullet + text)
    extracted = ExtractedDocument(MEDIA_TYPE, [s for s in sections if s.heading or s.paragraphs])
    extracted.metadata.update(_properties(document))
    if title_from_style and "title" not in extracted.metadata:
        extracted.metadata["title"] = title_from_style
    return extracted
