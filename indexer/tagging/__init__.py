"""Tagging against a thesaurus: concepts scored from the labels found in documents."""
