"""Upload of several files at once by signed-in members, through the ingesters."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, render_template, request
from werkzeug.wrappers import Response

from kb.ingestion.batches import ingest_uploads
from kb.taxonomy.reading import has_taxonomy
from kb.taxonomy.tagging import tag_after_ingest
from webui.common.context import current_user, instance, login_required
from webui.documents.forms import UploadForm

bp = Blueprint("upload", __name__)


def _tag_in_background(ids: list[str]) -> None:
    """Suggest themes for new documents after the answer: spaCy's load must not be waited for."""
    if ids and has_taxonomy(instance()):
        current_app.extensions["kb_tasks"].submit(tag_after_ingest, instance(), ids)
        flash("Les thèmes de la taxonomie seront proposés dans quelques instants.", "info")


@bp.route("/deposer", methods=["GET", "POST"])
@login_required
def upload() -> str | Response:
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        user = current_user()
        files = [(f.filename or "fichier", f.read()) for f in request.files.getlist("files")
                 if f and f.filename]
        overrides: dict[str, object] = {"visibility": form.visibility.data}
        if form.kind.data:
            overrides["kind"] = form.kind.data
        groups = [g.strip() for g in (form.groups.data or "").split(",") if g.strip()]
        if groups:
            overrides["groups"] = groups
        if user is not None:
            overrides["uploaded_by"] = user.email
        report = ingest_uploads(instance(), files, overrides)
        _tag_in_background([o.document_id for o in report.outcomes
                            if o.status in ("added", "updated") and o.document_id])
        status = 200 if not report.failed else 422
        return render_template("upload.html", form=UploadForm(formdata=None), report=report), \
            status
    return render_template("upload.html", form=form, report=report)
