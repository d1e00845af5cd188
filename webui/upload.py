"""Upload of several files at once by signed-in members, through the ingesters."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from webui.context import current_user, kb, login_required
from webui.forms import UploadForm

bp = Blueprint("upload", __name__)


@bp.route("/deposer", methods=["GET", "POST"])
@login_required
def upload() -> str | Response:
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        from kb.ingestion import ingest_uploads

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
        report = ingest_uploads(kb(), files, overrides)
        status = 200 if not report.failed else 422
        return render_template("upload.html", form=UploadForm(formdata=None), report=report), \
            status
    return render_template("upload.html", form=form, report=report)
