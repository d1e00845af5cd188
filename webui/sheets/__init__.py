"""Experience sheet pages."""
