"""Readers: bytes in, extracted text and metadata out; no database, no web.

Public surface: `ingest.registry.read_file(path)` and `read_bytes(data, name)` return an
`ingest.model.ExtractedDocument` or raise `ReadError`; `ingest.containers.expand(data, name)`
cuts exports and archives into entries; `ingest.registry.detect_type` names the format;
`ingest.sources` walks source folders; `ingest.limits.Limits` bounds what one input may cost;
`READER_VERSION` changes when the readers extract differently.
"""
