"""The registry of readers, keyed by a media type detected from content, then suffix.

Public surface: `detect_type(data, name)`, `read_bytes(data, name)`, `read_file(path)`,
`READERS` (media type -> module name) and `CONTAINER_TYPES` (inputs holding several
documents, cut by `ingest.containers.expand`)."""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ingest.language import guess_language
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.metadata import canonical_metadata
from ingest.model import ExtractedDocument, ReadError
from ingest.safezip import open_archive

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
JSONL_TYPE = "application/x-ndjson"
# Bump whenever a reader extracts differently: files ingested again unchanged are then read
# again (2: PDF headings told by their print size; 3: narrators and maïeuticien·ne·s kept;
# 4: HTML with broken quotes, right-to-left direction marks dropped).
READER_VERSION = 4
# Readers are imported only when a file of their type is read.
READERS: dict[str, str] = {
    "application/pdf": "ingest.readers.pdf",
    DOCX_TYPE: "ingest.readers.docx",
    ODT_TYPE: "ingest.readers.odt",
    "text/markdown": "ingest.readers.markdown",
    "text/html": "ingest.readers.html",
    "text/plain": "ingest.readers.text",
    "application/json": "ingest.readers.record",
}
CONTAINER_TYPES = ("application/zip", JSONL_TYPE)
FORMAT_NAMES = {
    "application/pdf": "PDF", DOCX_TYPE: "DOCX", ODT_TYPE: "ODT", "text/markdown": "Markdown",
    "text/html": "HTML", "text/plain": "texte", "application/json": "enregistrement JSON",
    "application/zip": "archive ZIP", JSONL_TYPE: "export JSON Lines",
    "application/vnd.ms-office": "ancien format Microsoft Office (.doc, .xls, .ppt) : "
                                 "enregistrez-le en DOCX, ODT ou PDF",
    "application/rtf": "RTF : enregistrez-le en DOCX, ODT ou PDF",
    "application/vnd.openxmlformats-officedocument": "classeur ou présentation Office",
    "application/vnd.oasis.opendocument.spreadsheet": "classeur OpenDocument (ODS)",
    "application/vnd.oasis.opendocument.presentation": "présentation OpenDocument (ODP)",
    "application/epub+zip": "livre EPUB",
}
SUFFIX_TYPES = {
    ".pdf": "application/pdf", ".docx": DOCX_TYPE, ".odt": ODT_TYPE, ".zip": "application/zip",
    ".md": "text/markdown", ".markdown": "text/markdown",
    ".html": "text/html", ".htm": "text/html", ".xhtml": "text/html",
    ".txt": "text/plain", ".text": "text/plain", "": "text/plain",
    ".jsonl": JSONL_TYPE, ".ndjson": JSONL_TYPE, ".json": "application/json",
}
_BINARY_SIGNATURES = {
    b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif",
    b"\xd0\xcf\x11\xe0": "application/vnd.ms-office", b"{\\rtf": "application/rtf",
    b"\x7fELF": "programme exécutable", b"MZ": "programme exécutable Windows",
    b"\x1f\x8b": "archive gzip", b"Rar!": "archive RAR", b"7z\xbc\xaf": "archive 7z",
    b"II*\x00": "image/tiff", b"MM\x00*": "image/tiff",
}


def _zip_type(data: bytes) -> str:
    """DOCX, an OpenDocument type, another Office package, or a plain archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX_TYPE
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                return archive.read("mimetype").decode("ascii", "replace").strip()
            if "[Content_Types].xml" in names:
                return "application/vnd.openxmlformats-officedocument"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        pass
    return "application/zip"


# How a page without `<!doctype>` nor `<html>` may start (a fragment saved as a file).
_HTML_START = re.compile(rb"<(?:!--|head|body|meta|title|h[1-6]|p|div|section|article|main)[\s>/]")


def _text_type(head: bytes, suffix: str) -> str:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in (".html", ".htm", ".xhtml") or lowered.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if suffix == "" and _HTML_START.match(lowered):
        return "text/html"
    if suffix in (".jsonl", ".ndjson") or (suffix == ".json" and lowered.startswith(b"[")):
        return JSONL_TYPE
    if suffix == ".json":
        return "application/json"
    if suffix in (".md", ".markdown") or head.startswith((b"---\n", b"---\r\n")):
        return "text/markdown"
    if suffix not in SUFFIX_TYPES:
        return f"texte d'extension {suffix}"
    return "text/plain"


_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")


def _late_pdf_header(data: bytes) -> bool:
    """A PDF whose header comes after a few bytes of something else (a mail gateway's or a
    server's line): viewers and pypdf accept it within the first 1,024 bytes. The end-of-file
    marker tells it from a text that merely mentions the header."""
    return _PDF_HEADER.search(data[:1024]) is not None and b"%%EOF" in data[-2048:]


def detect_type(data: bytes, name: str = "") -> str:
    """The media type of `data`, sniffed from its bytes; the suffix only tells text kinds
    apart (an unknown suffix on text content is named, not guessed)."""
    head = data[:1024]
    if head.startswith(b"%PDF") or _late_pdf_header(data):
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_type(data)
    for signature, media_type in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            return media_type
    return _text_type(head, PurePosixPath(name).suffix.lower())


def _reader(media_type: str) -> Callable[[bytes], ExtractedDocument]:
    module = READERS.get(media_type)
    if module is None:
        if media_type in CONTAINER_TYPES:
            raise ReadError("plusieurs documents dans ce fichier : à lire avec expand()")
        raise ReadError(f"format non pris en charge ({FORMAT_NAMES.get(media_type, media_type)})")
    return importlib.import_module(module).read  # type: ignore[no-any-return]


def _check_suffix(media_type: str, name: str) -> None:
    """A binary suffix (`.pdf`, `.docx`, `.odt`) must match the content."""
    suffix = PurePosixPath(name).suffix.lower()
    expected = SUFFIX_TYPES.get(suffix)
    binary = ("application/pdf", DOCX_TYPE, ODT_TYPE, "application/zip")
    if expected in binary and media_type != expected:
        found = FORMAT_NAMES.get(media_type, media_type)
        raise ReadError(f"le contenu ne correspond pas à l'extension {suffix} "
                        f"(contenu détecté : {found})")


def read_bytes(data: bytes, name: str, media_type: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Extract one document from `data`; `name` serves for messages and text kinds only;
    `media_type` forces the reader (records cut from an export)."""
    try:
        if not data:
            raise ReadError("fichier vide (0 octet)")
        if len(data) > limits.max_file_bytes:
            raise ReadError(f"fichier trop volumineux ({len(data)} octets, limite "
                            f"{limits.max_file_bytes // (1024 * 1024)} Mo)")
        media_type = media_type or detect_type(data, name)
        _check_suffix(media_type, name)
        read = _reader(media_type)
        if media_type in (DOCX_TYPE, ODT_TYPE):
            open_archive(data, limits).close()  # refuse bombs before a reader inflates parts
        document = read(data)
    except ReadError as exc:
        exc.name = name
        raise
    except RecursionError as exc:
        raise ReadError("structure trop profonde (fichier hostile ?)", name) from exc
    document.media_type = media_type
    return finish(document)


def finish(document: ExtractedDocument) -> ExtractedDocument:
    """Fill the typed fields from the metadata as found, the first heading and the text."""
    fields, warnings = canonical_metadata(document.metadata)
    document.warnings.extend(warnings)
    document.title = str(fields.get("title") or "") or document.first_heading()
    document.authors = list(fields.get("authors") or [])  # type: ignore[call-overload]
    document.date = fields.get("date")  # type: ignore[assignment]
    language = fields.get("language")
    document.language = str(language)[:2].lower() if language else guess_language(
        document.text)
    return document


def read_file(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ReadError(f"fichier trop volumineux ({size} octets, limite "
                            f"{limits.max_file_bytes // (1024 * 1024)} Mo)", path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"lecture impossible ({exc.strerror or exc})", path.name) from exc
    return read_bytes(data, path.name, limits=limits)
