"""The taxonomy pages' blueprint, shared by the reading pages and the curation forms."""

from __future__ import annotations

from flask import Blueprint, abort

from webui.common.forms import ConfirmForm

bp = Blueprint("taxonomy", __name__, url_prefix="/taxonomie")


def checked_form() -> None:
    """A state change must carry the form's CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
