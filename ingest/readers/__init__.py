"""One reader per format, each exposing `read(data) -> ExtractedDocument`."""
