"""HTML reader: main text without navigation or scripts, title and meta tags.

A broken attribute quote (`<p class="intro>…`) makes a parser, like a browser, swallow the
rest of the page into the attribute, or drop the element; when the parsed text is less than
half the text found between the tags (in the same parts of the page), that text is read
instead, cut at block tags, with a warning."""

from __future__ import annotations

import html
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag

from ingest.metadata import as_list, parse_date
from ingest.model import ExtractedDocument, Section
from ingest.normalize import normalize_inline
from ingest.readers.text import decode_text

MEDIA_TYPE = "text/html"
_DROP = ("script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg",
         "button", "object", "embed", "select", "dialog", "canvas")
# The site's banner and footer go; an article's own header (its title) stays.
_SITE_PARTS = ("header", "footer")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = frozenset((*_HEADINGS, "p", "li", "tr", "blockquote", "pre", "dd", "dt", "div",
                     "section", "article", "main", "ul", "ol", "dl", "table", "tbody",
                     "thead", "figure", "figcaption", "address", "body", "td", "th", "br"))
_ROLES_DROPPED = ("navigation", "banner", "contentinfo", "search", "complementary")
_META = {
    "author": "authors", "dc.creator": "authors", "article:author": "authors",
    "keywords": "themes", "dc.subject": "themes", "article:tag": "themes",
    "date": "date", "dc.date": "date", "article:published_time": "date",
    "og:title": "title", "dc.title": "title", "description": "summary",
    "og:description": "summary", "dc.language": "language",
}
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.I)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_UNREAD_TAGS = "|".join(("head", *_DROP, *_SITE_PARTS))
_UNREAD = re.compile(rf"<({_UNREAD_TAGS})\b.*?(?:</\1\s*>|$)", re.S | re.I)
_MAIN = re.compile(r"<(main|article)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(_BLOCKS))})\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
LENIENT_WARNING = "balisage HTML abîmé (guillemet non fermé ?) : texte lu entre les balises"


def _meta_fields(soup: BeautifulSoup) -> dict[str, object]:
    fields: dict[str, object] = {}
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        content = meta.get("content")
        target = _META.get(name)
        if not target or not content or target in fields:
            continue
        content = str(content)
        if target == "date":
            if date := parse_date(content[:10]):
                fields["date"] = date
        elif target in ("authors", "themes"):
            fields[target] = as_list(content, people=target == "authors")
        else:
            fields[target] = normalize_inline(content)
    if "title" not in fields and soup.title and soup.title.string:
        fields["title"] = normalize_inline(soup.title.string)
    html = soup.find("html")
    if "language" not in fields and isinstance(html, Tag) and html.get("lang"):
        fields["language"] = str(html["lang"])[:2].lower()
    return fields


class _Collector:
    """Walks the tree: text accumulates until a block boundary, headings open sections."""

    def __init__(self) -> None:
        self.sections = [Section("", 0)]
        self.buffer: list[str] = []

    def flush(self, prefix: str = "") -> None:
        line = normalize_inline("".join(self.buffer))
        self.buffer.clear()
        if line:
            self.sections[-1].paragraphs.append(prefix + line)

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not comments, CDATA, doctypes
                    self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self.visit(child)

    def visit(self, tag: Tag) -> None:
        if tag.name not in _BLOCKS:
            self.walk(tag)
            return
        self.flush()
        if tag.name in _HEADINGS:
            heading = normalize_inline(tag.get_text(" "))
            if heading:
                self.sections.append(Section(heading, int(tag.name[1])))
        elif tag.name == "tr":
            cells = [normalize_inline(c.get_text(" ")) for c in tag.find_all(["td", "th"])]
            if any(cells):
                self.sections[-1].paragraphs.append(" | ".join(cells))
        else:
            self.walk(tag)
            self.flush("• " if tag.name == "li" else "")


def lenient_paragraphs(text: str) -> list[str]:
    """The text between the tags of the page's main part, one paragraph per block, without
    what the reader drops anyway (menus, scripts…): what a broken page still says."""
    text = _COMMENT.sub(" ", text)
    if main := _MAIN.search(text):
        text = main.group(0)
    text = _UNREAD.sub(" ", text)
    text = html.unescape(_TAG.sub(" ", _BLOCK_TAG.sub("\n\n", text)))
    return [line for line in (normalize_inline(p) for p in text.split("\n\n")) if line]


def _decode(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 first; then the charset the page declares; then detection."""
    declared = _CHARSET.search(data[:4096])
    if declared and declared[1].lower() not in (b"utf-8", b"utf8"):
        try:
            return data.decode(declared[1].decode("ascii")), []
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def read(data: bytes) -> ExtractedDocument:
    text, notes = _decode(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "lxml")
    fields = _meta_fields(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(_SITE_PARTS):
        if tag.find_parent(("article", "main")) is None:
            tag.decompose()
    for tag in soup.find_all(attrs={"role": _ROLES_DROPPED}):
        tag.decompose()
    for tag in soup.find_all(attrs={"hidden": True}):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    collector = _Collector()
    collector.walk(root)
    collector.flush()
    sections = [s for s in collector.sections if s.heading or s.paragraphs]
    parsed = sum(len(p) for s in sections for p in (s.heading, *s.paragraphs))
    lenient = lenient_paragraphs(text)
    if 2 * parsed < sum(len(p) for p in lenient):
        sections, notes = [Section("", 0, lenient)], [*notes, LENIENT_WARNING]
    document = ExtractedDocument(MEDIA_TYPE, sections, warnings=notes)
    document.metadata.update(fields)
    return document
