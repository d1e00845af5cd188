"""Ranked search over an index snapshot: query syntax, BM25F, facets, snippets."""
