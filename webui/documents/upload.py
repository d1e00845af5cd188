"""Upload of several files at once by signed-in members, through the ingesters."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, render_template, request

from kb.documents.publishing import can_publish, publication_refusals
from kb.ingestion.batches import IngestReport, ingest_uploads
from kb.taxonomy.reading import has_taxonomy
from kb.taxonomy.tagging_status import queue_tagging, tag_and_record
from kb.visibility import Reader
from webui.common.context import current_reader, current_user, instance, login_required
from webui.documents.forms import UploadForm, limit_publishing_choices

bp = Blueprint("upload", __name__)


def _tag_in_background(ids: list[str]) -> None:
    """Suggest themes for new documents after the answer (spaCy's load must not be waited
    for); the outcome, or the error, is recorded for the document page and `kb check`."""
    if ids and has_taxonomy(instance()):
        current_app.extensions["kb_tasks"].submit(tag_and_record, instance(),
                                                  queue_tagging(instance(), ids))
        flash("Les thèmes de la taxonomie seront proposés dans quelques instants.", "info")


def _overrides(form: UploadForm) -> dict[str, object]:
    overrides: dict[str, object] = {"visibility": form.visibility.data}
    if form.kind.data:
        overrides["kind"] = form.kind.data
    groups = [g.strip() for g in (form.groups.data or "").split(",") if g.strip()]
    if groups:
        overrides["groups"] = groups
    return overrides


def _refused(form: UploadForm, reader: Reader) -> bool:
    """Values the reader may not publish, each shown beside its field."""
    refusals = publication_refusals(reader, {"kind": form.kind.data,
                                             "visibility": form.visibility.data})
    for refusal in refusals:
        target = form.kind if refusal.startswith("type") else form.visibility
        target.errors = [*target.errors, refusal.split(" : ", 1)[1]]  # type: ignore[misc]
    return bool(refusals)


@bp.route("/deposer", methods=["GET", "POST"])
@login_required
def upload() -> tuple[str, int]:
    reader = current_reader()
    form = UploadForm()
    limit_publishing_choices(form, reader)
    if not form.validate_on_submit():
        return _page(form, reader, None, 400 if form.is_submitted() else 200)
    if _refused(form, reader):
        return _page(form, reader, None, 403)
    user = current_user()
    overrides = _overrides(form)
    if user is not None:
        overrides["uploaded_by"] = user.email
    files = [(f.filename or "fichier", f.read()) for f in request.files.getlist("files")
             if f and f.filename]
    report = ingest_uploads(instance(), files, overrides, reader=reader)
    _tag_in_background([o.document_id for o in report.outcomes
                        if o.status in ("added", "updated") and o.document_id])
    fresh = UploadForm(formdata=None)
    limit_publishing_choices(fresh, reader)
    return _page(fresh, reader, report, 200 if not report.failed else 422)


def _page(form: UploadForm, reader: Reader, report: IngestReport | None,
          status: int) -> tuple[str, int]:
    return render_template("upload.html", form=form, report=report,
                           publisher=can_publish(reader)), status
