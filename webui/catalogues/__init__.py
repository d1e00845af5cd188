"""Catalogue pages for trainers."""
