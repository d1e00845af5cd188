"""Dossier pages: doctrine validation, labels, fundamentals."""
