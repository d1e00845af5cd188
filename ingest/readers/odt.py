"""ODT reader (standard zipfile and a hardened XML parser): text, headings, tables, meta."""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline
from ingest.readers.office_props import odt_custom

MEDIA_TYPE = "application/vnd.oasis.opendocument.text"
MAX_XML_BYTES = 64 * 1024 * 1024
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
TEXT = "{{{}}}".format(NS["text"])
TABLE = "{{{}}}".format(NS["table"])


def _xml(archive: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise ReadError(f"ODT : {name} trop volumineux ({info.file_size} octets)")
    try:
        return ElementTree.fromstring(archive.read(name))
    except (ElementTree.ParseError, DefusedXmlException, zipfile.BadZipFile, zlib.error,
            OSError, EOFError) as exc:
        raise ReadError(f"ODT : {name} invalide ({exc})") from exc


def _text_of(element: Element) -> str:
    """Text of a paragraph, with <text:s/>, <text:tab/> and line breaks as spaces
    (and the paragraphs of a table cell separated by spaces)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag in (TEXT + "s", TEXT + "tab", TEXT + "line-break"):
            parts.append(" ")
        elif tag in (TEXT + "p", TEXT + "h"):
            parts.append(" " + _text_of(child) + " ")
        elif tag != TEXT + "note":
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk(element: Element, sections: list[Section], in_list: bool = False) -> None:
    for child in element:
        if child.tag == TEXT + "h":
            level = int(child.get(TEXT + "outline-level", "1") or 1)
            sections.append(Section(normalize_inline(_text_of(child)), level))
        elif child.tag == TEXT + "p":
            text = normalize_inline(_text_of(child))
            if text:
                sections[-1].paragraphs.append(("• " if in_list else "") + text)
        elif child.tag == TABLE + "table-row":
            cells = [normalize_inline(_text_of(cell)) for cell in child.iter(TABLE + "table-cell")]
            if any(cells):
                sections[-1].paragraphs.append(" | ".join(cells))
        elif child.tag in (TEXT + "list", TEXT + "list-item"):
            _walk(child, sections, in_list=True)
        else:
            _walk(child, sections, in_list)


def _meta(root: Element | None) -> dict[str, object]:
    if root is None:
        return {}
    fields: dict[str, object] = {}

    def find(path: str) -> str | None:
        node = root.find(path, NS)
        return node.text.strip() if node is not None and node.text else None

    if title := find(".//dc:title"):
        fields["title"] = normalize_inline(title)
    if creator := find(".//meta:initial-creator") or find(".//dc:creator"):
        fields["authors"] = as_list(creator, people=True)
    if created := find(".//meta:creation-date") or find(".//dc:date"):
        fields["date"] = parse_date(created[:10])
    keywords = [k.text.strip() for k in root.iterfind(".//meta:keyword", NS) if k.text]
    if keywords:
        fields["themes"] = [t for k in keywords for t in (as_list(k) if ";" in k else [k])]
    if language := find(".//dc:language"):
        fields["language"] = language
    if description := find(".//dc:description"):
        fields["summary"] = description
    fields.update(odt_custom(root))
    return {k: v for k, v in fields.items() if v}


def read(data: bytes) -> ExtractedDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError("document ODT invalide (archive ZIP illisible)") from exc
    with archive:
        content = _xml(archive, "content.xml")
        if content is None:
            raise ReadError("document ODT invalide : content.xml absent")
        meta = _xml(archive, "meta.xml")
    body = content.find("office:body/office:text", NS)
    if body is None:
        raise ReadError("document OpenDocument sans corps de texte (pas un ODT texte ?)")
    sections = [Section("", 0)]
    _walk(body, sections)
    document = ExtractedDocument(MEDIA_TYPE, [s for s in sections if s.heading or s.paragraphs])
    document.metadata.update(_meta(meta))
    return document
