"""Per-request access to the instance context and the current reader."""

from __future__ import annotations

from flask import current_app

from kb.context import KbContext
from kb.visibility import Reader


def kb() -> KbContext:
    return current_app.extensions["kb"]  # type: ignore[no-any-return]


def current_reader() -> Reader:
    """The reader of this request (anonymous until accounts arrive)."""
    return Reader.anonymous()
