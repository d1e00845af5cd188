"""Readers: bytes in, extracted text and metadata out; no database, no web.

Public surface: `read_file(path)` and `read_bytes(data, name)` return an `ExtractedDocument`
or raise `ReadError`; `expand(data, name)` cuts exports and archives into `Entry`s;
`detect_type` names the format; `ingest.sources` walks source folders; `Limits` bounds
what one input may cost; `READER_VERSION` changes when the readers extract differently.
"""

from ingest.containers import Entry, expand
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.model import ExtractedDocument, ReadError, Section
from ingest.registry import READER_VERSION, detect_type, read_bytes, read_file

__all__ = [
    "DEFAULT_LIMITS", "READER_VERSION", "Entry", "ExtractedDocument", "Limits", "ReadError",
    "Section",
    "detect_type", "expand", "read_bytes", "read_file",
]
