"""Document pages, metadata edits, original downloads and uploads."""
