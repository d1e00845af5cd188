"""French analysis, the Whoosh schema, indexing and search; knows nothing of Flask or SQL."""
