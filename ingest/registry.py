"""The registry of readers, keyed by a media type detected from content, then suffix.

Public surface: `detect_type(data, name)`, `read_bytes(data, name)`, `read_file(path)`,
and `READERS` (media type -> module name) for listing supported formats.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from ingest.model import ExtractedDocument, ReadError

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Readers are imported only when a file of their type is read.
READERS: dict[str, str] = {
    "application/pdf": "ingest.read_pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "ingest.read_docx",
    "application/vnd.oasis.opendocument.text": "ingest.read_odt",
    "text/markdown": "ingest.read_markdown",
    "text/html": "ingest.read_html",
    "text/plain": "ingest.read_text",
}
FORMAT_NAMES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "text/markdown": "Markdown",
    "text/html": "HTML",
    "text/plain": "texte",
    "application/zip": "archive ZIP",
}
SUFFIX_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".md": "text/markdown", ".markdown": "text/markdown",
    ".html": "text/html", ".htm": "text/html", ".xhtml": "text/html",
    ".txt": "text/plain", ".text": "text/plain",
}
_BINARY_SIGNATURES = {
    b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif",
    b"\xd0\xcf\x11\xe0": "application/msword (ancien format Office)", b"\x7fELF": "exécutable",
    b"MZ": "exécutable Windows", b"\x1f\x8b": "archive gzip", b"Rar!": "archive RAR",
    b"7z\xbc\xaf": "archive 7z",
}


def _zip_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX_TYPE
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype
    except (zipfile.BadZipFile, KeyError, OSError):
        return "application/zip"
    return "application/zip"



def detect_type(data: bytes, name: str = "") -> str:
    """The media type of `data`, sniffed from its bytes; the suffix only tells text kinds apart."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-") or head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_type(data)
    for signature, media_type in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            return media_type
    suffix = Path(name).suffix.lower()
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in (".html", ".htm", ".xhtml") or lowered.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if suffix in (".md", ".markdown") or head.startswith(b"---\n") or head.startswith(b"---\r\n"):
        return "text/markdown"
    return "text/plain"


def _reader(media_type: str) -> Callable[[bytes], ExtractedDocument]:
    module = READERS.get(media_type)
    if module is None:
        raise ReadError(f"format non pris en charge ({FORMAT_NAMES.get(media_type, media_type)})")
    return importlib.import_module(module).read  # type: ignore[no-any-return]


def read_bytes(data: bytes, name: str) -> ExtractedDocument:
    """Extract a document from `data`; `name` is used for messages and text kinds only."""
    if not data:
        raise ReadError("fichier vide (0 octet)", name)
    media_type = detect_type(data, name)
    expected = SUFFIX_TYPES.get(Path(name).suffix.lower())
    binary_expected = expected is not None and not expected.startswith("text/")
    if binary_expected and media_type != expected:
        found = FORMAT_NAMES.get(media_type, media_type)
        raise ReadError(
            f"le contenu ne correspond pas à l'extension {Path(name).suffix} (contenu détecté : "
            f"{found})", name)
    try:
        document = _reader(media_type)(data)
    except ReadError as exc:
        exc.name = name
        raise
    except RecursionError as exc:
        raise ReadError("structure trop profonde (fichier hostile ?)", name) from exc
    document.media_type = media_type
    return document


def read_file(path: Path | str) -> ExtractedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"lecture impossible ({exc.strerror or exc})", str(path)) from exc
    return read_bytes(data, path.name)
