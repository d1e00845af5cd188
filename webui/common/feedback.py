"""Refusals shown where the person acted: a client error becomes a message on the page."""

from __future__ import annotations

from flask import flash

from kb.errors import KbError


def refused(error: KbError) -> None:
    """Client errors become a message on the page; server errors go to the error page."""
    if error.status >= 500:
        raise error
    flash(f"Action refusée — {error.message}.", "error")
