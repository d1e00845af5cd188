"""Readers: bytes in, extracted text and metadata out; no database, no web.

Public surface: `read_file(path)` and `read_bytes(data, name)` return an `ExtractedDocument`
or raise `ReadError`; `detect_type` names the format; `iter_files` walks a source folder.
"""

from ingest.model import ExtractedDocument, ReadError
from ingest.registry import detect_type, read_bytes, read_file

__all__ = ["ExtractedDocument", "ReadError", "detect_type", "read_bytes", "read_file"]
