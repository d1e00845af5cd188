"""Plain-text reader: encoding detected, a free `Clé : valeur` header read as metadata."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ingest.metadata import canonical_key
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.normalize import normalize_inline, normalize_text

MEDIA_TYPE = "text/plain"
_HEADER_LINE = re.compile(r"^([A-Za-zÀ-ÿ][\wÀ-ÿ .·()’'-]{1,30}?)\s*:\s*(.+)$")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or a detected legacy
    encoding such as Windows-1252; raise `ReadError` when none fits or the result is binary."""
    text, warnings = _decode(data)
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > 0.02:
        raise ReadError("fichier binaire ou encodage inconnu (caractères de contrôle)")
    return text, warnings


def _decode(data: bytes) -> tuple[str, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError as exc:
                raise ReadError(f"texte {encoding} corrompu à l'octet {exc.start}") from exc
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise ReadError("fichier binaire ou encodage inconnu (octets nuls sans BOM UTF-16)")
    guess = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "mac_roman"]).best()
    if guess is None or guess.encoding is None:
        raise ReadError("encodage du texte inconnu (ni UTF-8, ni UTF-16, ni Windows-1252 ou "
                        "Latin-1) : réenregistrez le fichier en UTF-8")
    encoding = "cp1252" if guess.encoding in ("latin_1", "iso8859_15") else guess.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(guess.encoding)
        encoding = guess.encoding
    return text, [f"encodage détecté : {encoding}"]


def split_header(text: str) -> tuple[dict[str, object], str]:
    """A free header: `Titre : …`, `Auteur : …` lines (any known key, French or English)
    before the first blank line; anything else there means there is no header."""
    lines = text.split("\n")
    header: dict[str, object] = {}
    for position, line in enumerate(lines):
        if not line.strip():
            if header:
                return header, "\n".join(lines[position + 1:])
            return {}, text
        match = _HEADER_LINE.match(line.strip())
        if not match or canonical_key(match[1]) is None:
            return {}, text
        header[match[1].strip()] = match[2].strip()
    return header, ""


def read(data: bytes) -> ExtractedDocument:
    text, warnings = decode_text(data)
    text = normalize_text(text)
    header, body = split_header(text)
    paragraphs = [normalize_inline(p) for p in re.split(r"\n\s*\n", body) if p.strip()]
    sections = [Section("", 0, paragraphs)] if paragraphs else []
    document = ExtractedDocument(MEDIA_TYPE, sections, warnings=warnings)
    document.metadata.update(header)
    return document
