"""Document pages, metadata edit and original downloads, each read checked on the server."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.documents.publishing import can_edit_document
from kb.documents.reading import (
    OriginalDownload,
    get_readable_document,
    read_original,
    read_revision_original,
    update_metadata,
)
from kb.errors import Forbidden, KbError
from kb.models import Document
from kb.visibility import Reader
from webui.common.context import current_reader, current_user, instance, login_required
from webui.common.downloads import attachment
from webui.common.panels import document_panels
from webui.documents.forms import MetadataForm, limit_publishing_choices

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _split(raw: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (raw or "").split(separator) if part.strip()]


def _can_edit(reader: Reader, document: Document) -> bool:
    user = current_user()
    return can_edit_document(reader, document, user.email if user else None)


@bp.get("/<doc_id>")
def show(doc_id: str) -> str:
    reader = current_reader()
    document = get_readable_document(instance(), reader, doc_id)
    return render_template("document.html", document=document,
                           can_edit=_can_edit(reader, document),
                           panels=document_panels(document, reader))


@bp.route("/<doc_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(doc_id: str) -> str | BaseResponse:
    reader = current_reader()
    document = get_readable_document(instance(), reader, doc_id)
    if not _can_edit(reader, document):
        raise Forbidden("Votre rôle ne permet pas de modifier ce document.")
    form = MetadataForm(
        title=document.title, kind=document.kind, authors="; ".join(document.authors),
        date=document.date.isoformat() if document.date else "",
        territory=document.territory or "", themes="\n".join(document.themes),
        visibility=document.visibility, groups=", ".join(document.groups))
    limit_publishing_choices(form, reader)
    if form.validate_on_submit():
        changes = {
            "title": form.title.data, "kind": form.kind.data,
            "authors": _split(form.authors.data, ";"), "date": form.date.data,
            "territory": form.territory.data, "themes": _split(form.themes.data, "\n"),
            "visibility": form.visibility.data, "groups": _split(form.groups.data, ","),
        }
        try:
            update_metadata(instance(), reader, doc_id, changes)
        except KbError as error:
            if error.status >= 500:
                raise
            flash(f"Modification refusée — {error.message.rstrip('.')}.", "error")
            return render_template("document_edit.html", form=form, document=document), \
                error.status
        flash("Métadonnées enregistrées.", "success")
        return redirect(url_for("documents.show", doc_id=doc_id))
    return render_template("document_edit.html", form=form, document=document)


@bp.get("/<doc_id>/original")
def original(doc_id: str) -> Response:
    return _download(read_original(instance(), current_reader(), doc_id))


@bp.get("/<doc_id>/versions/<int:number>/original")
def revision_original(doc_id: str, number: int) -> Response:
    return _download(read_revision_original(instance(), current_reader(), doc_id, number))


def _download(download: OriginalDownload) -> Response:
    """An original as an attachment, never with a type a browser would run."""
    response = attachment(download.data, download.safe_media_type, download.filename)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
