"""OpenDocument XML helpers: namespaces, qualified names, element building, serialisation."""

from __future__ import annotations

from xml.etree import ElementTree as ET

ODF_VERSION = "1.2"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def q(name: str) -> str:
    """`prefix:local` as an ElementTree qualified name."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def el(parent: ET.Element | None, name: str, attrs: dict[str, str] | None = None,
       text: str | None = None) -> ET.Element:
    attrib = {q(k): v for k, v in (attrs or {}).items()}
    node = ET.Element(q(name), attrib) if parent is None else ET.SubElement(parent, q(name), attrib)
    node.text = text
    return node


def xml_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
