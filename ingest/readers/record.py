"""One record of a bulk export (a JSON object with a text and metadata) as a document."""

from __future__ import annotations

import json
import re

from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text
from ingest.readers.html import read as read_html
from ingest.readers.markdown import markdown_sections

MEDIA_TYPE = "application/json"
TEXT_KEYS = ("text", "texte", "body", "corps", "contenu", "content")
FORMAT_KEYS = ("format", "text_format")


def _sections(text: str, text_format: str) -> list[Section]:
    if text_format in ("markdown", "md"):
        return markdown_sections(normalize_text(text) + "\n")
    if text_format in ("html", "text/html"):
        return read_html(text.encode("utf-8")).sections
    paragraphs = [normalize_inline(p) for p in re.split(r"\n\s*\n", normalize_text(text))]
    kept = [p for p in paragraphs if p]
    return [Section("", 0, kept)] if kept else []


def read(data: bytes) -> ExtractedDocument:
    try:
        record = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReadError(f"JSON invalide ({exc})") from exc
    if not isinstance(record, dict):
        raise ReadError("un objet JSON {…} est attendu")
    key = next((k for k in TEXT_KEYS if k in record), None)
    text = record.get(key) if key else None
    if not isinstance(text, str):
        raise ReadError(f"champ « text » manquant ou non textuel (champs : "
                        f"{', '.join(sorted(map(str, record))[:12])})")
    text_format = str(next((record[k] for k in FORMAT_KEYS if k in record), "")).lower()
    document = ExtractedDocument(MEDIA_TYPE, _sections(text, text_format))
    document.metadata.update(
        {k: v for k, v in record.items() if k not in TEXT_KEYS and k not in FORMAT_KEYS})
    return document
