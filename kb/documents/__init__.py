"""Documents as readers meet them: pages, originals, metadata edits."""
