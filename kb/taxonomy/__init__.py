"""The doctrine taxonomy (SKOS in and out, editing, candidates) and tagging against it."""
