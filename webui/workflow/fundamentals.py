"""« Fondamentaux »: the validated doctrine by theme, and its export as one bundle."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from kb.models import utcnow
from kb.workflow.exports import bundle_docx, markdown_zip
from kb.workflow.fundamentals import fundamentals
from webui.common.context import current_reader, instance
from webui.common.downloads import attachment

bp = Blueprint("fundamentals", __name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/fondamentaux")
def index() -> str:
    """Everyone sees the validated texts they may read (visitors: the public ones)."""
    return render_template("workflow/fundamentals.html",
                           bundle=fundamentals(instance(), current_reader()))


def _download(data: bytes, mimetype: str, extension: str) -> Response:
    return attachment(data, mimetype, f"fondamentaux-{utcnow().date().isoformat()}.{extension}")


@bp.get("/fondamentaux.zip")
def export_zip() -> Response:
    bundle = fundamentals(instance(), current_reader())
    return _download(markdown_zip(bundle, utcnow().date()), "application/zip", "zip")


@bp.get("/fondamentaux.docx")
def export_docx() -> Response:
    bundle = fundamentals(instance(), current_reader())
    return _download(bundle_docx(bundle, utcnow().date()), DOCX, "docx")
