"""Markdown reader: YAML front matter for metadata, headings and paragraphs as sections."""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text
from ingest.readers.text import decode_text, split_header

MEDIA_TYPE = "text/markdown"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_PARSER = MarkdownIt("commonmark").enable("table")


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return the YAML front matter as a mapping and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ligne {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntaxe invalide"
        raise ReadError(f"en-tête YAML invalide{where} : {problem}") from exc
    if not isinstance(data, dict):
        raise ReadError("en-tête YAML invalide : un dictionnaire clé: valeur est attendu")
    return data, text[match.end():]


def _inline_text(token: Token) -> str:
    """Text of an inline token. Inline HTML is kept as literal text, as an author who types
    `<b>` in Markdown sees it: stored text is escaped wherever it is shown."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return normalize_inline("".join(parts))


def markdown_sections(body: str) -> list[Section]:
    """Cut a Markdown body into sections; list items and table rows become paragraphs."""
    sections = [Section("", 0)]
    tokens = _PARSER.parse(body)
    heading_level = 0
    row: list[str] | None = None
    list_depth = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            sections[-1].paragraphs.append(" | ".join(row))
            row = None
        elif token.type == "inline":
            text = _inline_text(token)
            if heading_level:
                sections.append(Section(text, heading_level))
                heading_level = 0
            elif row is not None:
                row.append(text)
            elif text:
                prefix = "• " if list_depth and tokens[index - 1].type == "paragraph_open" else ""
                sections[-1].paragraphs.append(prefix + text)
        elif token.type in ("fence", "code_block"):
            sections[-1].paragraphs.append(normalize_text(token.content))
    return [s for s in sections if s.heading or s.paragraphs]


def read(data: bytes) -> ExtractedDocument:
    text, warnings = decode_text(data)
    front, body = split_front_matter(normalize_text(text) + "\n")
    if not front:
        front, body = split_header(body)
    document = ExtractedDocument(MEDIA_TYPE, markdown_sections(body), warnings=warnings)
    document.metadata.update(front)
    return document
