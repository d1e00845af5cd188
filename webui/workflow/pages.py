"""Dossier pages: the list, the inbox, one dossier with its debate and history, proposals."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.documents.reading import get_readable_document
from kb.errors import KbError, NotFound
from kb.models import Document
from kb.models.workflow import (
    DOSSIER_KIND_LABELS,
    STATES,
)
from kb.visibility import Reader
from kb.workflow.dossiers import propose_document
from kb.workflow.exports import history_csv, history_json
from kb.workflow.queries import document_dossiers, history, inbox, list_dossiers
from webui.common.context import current_reader, instance, login_required
from webui.common.downloads import attachment
from webui.workflow.dossier_view import render_dossier
from webui.workflow.forms import (
    ProposeForm,
)

bp = Blueprint("workflow", __name__)



def doctrine_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """The document page's panel: doctrine status, its dossiers and their history."""
    if not reader.is_member:
        return None
    dossiers = document_dossiers(instance(), reader, document.id)
    has_open = any(d.open_key for d, _ in dossiers)
    return {"dossiers": dossiers, "can_propose": reader.user_id is not None and not has_open}


@bp.get("/dossiers")
@login_required
def index() -> str:
    state = request.args.get("etat", "")
    kind = request.args.get("type", "")
    dossiers = list_dossiers(instance(), current_reader(), {state} if state in STATES else None,
                             kind if kind in DOSSIER_KIND_LABELS else None)
    return render_template("workflow/list.html", dossiers=dossiers, state=state, kind=kind,
                           states=STATES, kinds=DOSSIER_KIND_LABELS)


@bp.get("/dossiers/a-traiter", endpoint="inbox")
@login_required
def inbox_page() -> str:
    return render_template("workflow/inbox.html", box=inbox(instance(), current_reader()))


@bp.get("/dossiers/<dossier_id>")
@login_required
def show(dossier_id: str) -> tuple[str, int]:
    return render_dossier(dossier_id)


@bp.get("/dossiers/<dossier_id>/historique.<fmt>")
@login_required
def export_history(dossier_id: str, fmt: str) -> Response:
    if fmt not in ("csv", "json"):
        raise NotFound("Format d'export inconnu (csv ou json).")
    dossier, events = history(instance(), current_reader(), dossier_id)
    if fmt == "csv":
        body, mimetype = "\ufeff" + history_csv(events), "text/csv"
    else:
        body, mimetype = history_json(dossier, events), "application/json"
    return attachment(body, mimetype, f"historique-dossier-{dossier.id}.{fmt}")


@bp.get("/documents/<doc_id>/dossier")
@login_required
def document_dossier(doc_id: str) -> BaseResponse:
    """The badge's link: the document's current (or latest) dossier."""
    dossiers = document_dossiers(instance(), current_reader(), doc_id)
    if not dossiers:
        raise NotFound("Aucun dossier pour ce document.")
    return redirect(url_for("workflow.show", dossier_id=dossiers[0][0].id))


@bp.route("/documents/<doc_id>/proposer", methods=["GET", "POST"])
@login_required
def propose(doc_id: str) -> str | BaseResponse | tuple[str, int]:
    reader = current_reader()
    document = get_readable_document(instance(), reader, doc_id)
    form = ProposeForm()
    if form.validate_on_submit():
        try:
            dossier = propose_document(instance(), reader, doc_id, form.motivation.data or "")
        except KbError as error:
            if error.status >= 500:
                raise
            flash(f"Proposition refusée — {error.message}", "error")
            return render_template("workflow/propose.html", form=form,
                                   document=document), error.status
        flash("Dossier ouvert : le collectif qualifié va pouvoir en débattre.", "success")
        return redirect(url_for("workflow.show", dossier_id=dossier.id))
    status = 400 if form.errors else 200
    return render_template("workflow/propose.html", form=form, document=document), status
