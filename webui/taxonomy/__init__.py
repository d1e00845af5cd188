"""Taxonomy pages: the tree, concepts, candidates, tag review."""
