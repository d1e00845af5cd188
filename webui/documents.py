"""Document pages and original downloads, each read checked against the visibility rule."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from kb.documents import get_readable_document, read_original
from webui.context import current_reader, kb

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.get("/<doc_id>")
def show(doc_id: str) -> str:
    document = get_readable_document(kb(), current_reader(), doc_id)
    return render_template("document.html", document=document)


@bp.get("/<doc_id>/original")
def original(doc_id: str) -> Response:
    download = read_original(kb(), current_reader(), doc_id)
    response = Response(download.data, content_type=download.safe_media_type)
    response.headers["Content-Disposition"] = download.content_disposition
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
