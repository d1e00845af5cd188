"""User-defined document properties (Word's and LibreOffice's "custom properties")."""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_PROPS_BYTES = 1024 * 1024
_ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"


def _parse(archive: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = archive.getinfo(name)
        if info.file_size > MAX_PROPS_BYTES:
            return None
        return ElementTree.fromstring(archive.read(info))
    except (KeyError, ElementTree.ParseError, DefusedXmlException, zipfile.BadZipFile,
            OSError, ValueError):
        return None  # properties are a bonus: a broken part never fails the document


def docx_custom(archive: zipfile.ZipFile) -> dict[str, object]:
    """`docProps/custom.xml`: `<property name="Territoire"><vt:lpwstr>…</vt:lpwstr>`."""
    root = _parse(archive, "docProps/custom.xml")
    if root is None:
        return {}
    fields: dict[str, object] = {}
    for prop in root:
        name = prop.get("name")
        value = "".join(prop.itertext()).strip()
        if name and value:
            fields[name] = value
    return fields


def odt_custom(meta: Element | None) -> dict[str, object]:
    """`<meta:user-defined meta:name="Territoire">…</meta:user-defined>` in meta.xml."""
    if meta is None:
        return {}
    fields: dict[str, object] = {}
    for prop in meta.iter(f"{{{_ODF_META}}}user-defined"):
        name = prop.get(f"{{{_ODF_META}}}name")
        value = "".join(prop.itertext()).strip()
        if name and value:
            fields[name] = value
    return fields
