"""DOCX reader (python-docx): headings, paragraphs and tables in order, core properties."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from ingest.metadata import as_list
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline
from ingest.readers.office_props import docx_custom

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)


# python-docx stamps new files with these; they describe the tool, not the document.
_GENERATOR_AUTHOR = "python-docx"
_GENERATOR_DATE = dt.date(2013, 12, 23)


def _properties(document: docx.document.Document) -> dict[str, object]:
    """Core properties, then custom ones (which people fill in on purpose) over them."""
    props = document.core_properties
    fields: dict[str, object] = {}
    if props.title:
        fields["title"] = normalize_inline(props.title)
    if props.author and props.author != _GENERATOR_AUTHOR:
        fields["authors"] = as_list(props.author, people=True)
    if props.created and props.created.date() != _GENERATOR_DATE:
        fields["date"] = props.created.date()
    if props.keywords:
        fields["themes"] = as_list(props.keywords)
    if props.category:
        fields["kind"] = props.category
    if props.language:
        fields["language"] = props.language
    if props.comments:
        fields["summary"] = props.comments
    return fields


def _style_names(document: docx.document.Document) -> tuple[dict[str, str], str]:
    """Style id -> name, and the default paragraph style's name: looked up once, because
    `Paragraph.style` scans every style of the document on each call."""
    names = {style.style_id: style.name or "" for style in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return names, (default.name or "") if default is not None else ""


def _sections(document: docx.document.Document) -> tuple[list[Section], str | None]:
    names, default = _style_names(document)
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
        style_id = block._p.style  # the raw pStyle value; no public accessor without a scan
        style = names.get(style_id, default) if style_id else default
        if style.lower() in ("title", "titre") and title_from_style is None:
            title_from_style = text
            sections.append(Section(text, 1))
        elif match := _HEADING_STYLE.match(style):
            sections.append(Section(text, int(match[1])))
        else:
            bullet = "• " if "list" in style.lower() or "liste" in style.lower() else ""
            sections[-1].paragraphs.append(bullet + text)
    return [s for s in sections if s.heading or s.paragraphs], title_from_style


def read(data: bytes) -> ExtractedDocument:
    try:
        document = docx.Document(io.BytesIO(data))
        sections, title_from_style = _sections(document)
        properties = _properties(document)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError,
            TypeError) as exc:
        raise ReadError(f"document Word (DOCX) invalide ou corrompu ({exc})") from exc
    extracted = ExtractedDocument(MEDIA_TYPE, sections)
    extracted.metadata.update(properties)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        extracted.metadata.update(docx_custom(archive))
    if title_from_style and "title" not in extracted.metadata:
        extracted.metadata["title"] = title_from_style
    return extracted
