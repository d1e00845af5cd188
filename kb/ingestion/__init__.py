"""Ingestion: files, folders and uploads into the base, one transaction per document."""
