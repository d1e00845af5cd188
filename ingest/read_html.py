"""HTML reader: main text without navigation or scripts, title and meta tags."""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, Section
from ingest.normalize import normalize_inline
from ingest.read_text import decode_text

MEDIA_TYPE = "text/html"
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
         "form", "iframe", "svg", "button", "object", "embed")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "blockquote", "pre", "dd", "dt")
_META = {
    "author": "authors", "dc.creator": "authors", "article:author": "authors",
    "keywords": "themes", "dc.subject": "themes",
    "date": "date", "dc.date": "date", "article:published_time": "date",
    "og:title": "title", "dc.title": "title",
}


def _meta_fields(soup: BeautifulSoup) -> dict[str, object]:
    fields: dict[str, object] = {}
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = meta.get("content")
        target = _META.get(name)
        if not target or not content or target in fields:
            continue
        if target == "date":
            if date := parse_date(content[:10]):
                fields["date"] = date
        elif target in ("authors", "themes"):
            fields[target] = as_list(content)
        else:
            fields[target] = normalize_inline(content)
    if "title" not in fields and soup.title and soup.title.string:
        fields["title"] = normalize_inline(soup.title.string)
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        fields["language"] = str(html["lang"])[:2].lower()
    return fields


def read(data: bytes) -> ExtractedDocument:
    text, notes = decode_text(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    fields = _meta_fields(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    sections = [Section("", 0)]
    for block in root.find_all(_BLOCKS):
        if block.find_parent(_BLOCKS) is not None and block.name != "tr":
            continue
        if block.name == "tr":
            cells = [normalize_inline(c.get_text(" ")) for c in block.find_all(["td", "th"])]
            line = " | ".join(c for c in cells)
        else:
            line = normalize_inline(block.get_text(" "))
        if not line:
            continue
        if block.name[0] == "h" and block.name[1:].isdigit():
            sections.append(Section(line, int(block.name[1])))
        else:
            sections[-1].paragraphs.append(("• " if block.name == "li" else "") + line)
    document = ExtractedDocument(MEDIA_TYPE, [s for s in sections if s.heading or s.paragraphs],
                                 warnings=notes)
    document.metadata.update(fields)
    return document
