"""Dossier pages: the list, the inbox, one dossier with its debate and history, proposals.

`init_app(app)` registers this blueprint and the workflow's others (actions, labels,
« Fondamentaux »), its template filters, the document page panel and navigation links.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.documents import get_readable_document
from kb.errors import KbError, NotFound
from kb.models import Document
from kb.models.workflow import (
    DOSSIER_KIND_LABELS,
    EVENT_LABELS,
    STANCE_LABELS,
    STATE_LABELS,
    STATES,
)
from kb.visibility import Reader
from kb.workflow import propose_document
from kb.workflow_criteria import CRITERION_LABELS
from kb.workflow_decision import DecisionRule
from kb.workflow_exports import history_csv, history_json
from kb.workflow_queries import document_dossiers, get_dossier, history, inbox, list_dossiers
from webui.context import current_reader, kb, login_required
from webui.panels import register_nav, register_panel
from webui.workflow_forms import (
    ActionForm,
    AnswerForm,
    CriteriaForm,
    DecisionForm,
    PositionForm,
    ProposeForm,
    RevisionForm,
)

bp = Blueprint("workflow", __name__)
DOCTRINE_LABELS = {
    "aucun": "", "propose": "Proposé comme doctrine", "en-debat": "Doctrine en débat",
    "doctrine": "Doctrine validée", "non-retenu": "Non retenu comme doctrine",
    "a-reviser": "Doctrine — à réviser",
}
SIMPLE_ACTIONS = ("ouvrir-debat", "demander-modifications", "reprendre-debat", "retirer",
                  "rouvrir", "retirer-label")


def doctrine_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """The document page's panel: doctrine status, its dossiers and their history."""
    if not reader.is_member:
        return None
    dossiers = document_dossiers(kb(), reader, document.id)
    has_open = any(d.open_key for d, _ in dossiers)
    return {"dossiers": dossiers, "can_propose": reader.user_id is not None and not has_open}


register_panel("partials/doctrine_panel.html", doctrine_panel, order=20)
register_nav("fundamentals.index", "Fondamentaux", None, order=20)
register_nav("labels.index", "Labels", None, order=22)
register_nav("workflow.index", "Dossiers", {"members"}, order=40)
register_nav("workflow.inbox", "À traiter", {"collectif"}, order=41)


def init_app(app: Flask) -> None:
    from webui import workflow_actions, workflow_fundamentals, workflow_labels

    for blueprint in (bp, workflow_actions.bp, workflow_labels.bp, workflow_fundamentals.bp):
        app.register_blueprint(blueprint)
    app.add_template_filter(lambda s: DOCTRINE_LABELS.get(s, s), "doctrine_label")
    app.add_template_filter(lambda s: STATE_LABELS.get(s or "", s or ""), "dossier_state")
    app.add_template_filter(lambda s: STANCE_LABELS.get(s, s), "stance_label")
    app.add_template_filter(lambda s: EVENT_LABELS.get(s, s), "event_label")
    app.add_template_filter(lambda s: DOSSIER_KIND_LABELS.get(s, s), "dossier_kind")
    app.add_template_filter(lambda s: CRITERION_LABELS.get(s, s), "criterion_label")


@bp.get("/dossiers")
@login_required
def index() -> str:
    state = request.args.get("etat", "")
    kind = request.args.get("type", "")
    dossiers = list_dossiers(kb(), current_reader(), {state} if state in STATES else None,
                             kind if kind in DOSSIER_KIND_LABELS else None)
    return render_template("workflow/list.html", dossiers=dossiers, state=state, kind=kind,
                           states=STATES, kinds=DOSSIER_KIND_LABELS)


@bp.get("/dossiers/a-traiter", endpoint="inbox")
@login_required
def inbox_page() -> str:
    return render_template("workflow/inbox.html", box=inbox(kb(), current_reader()))


def dossier_forms(view) -> dict[str, object]:  # type: ignore[no-untyped-def]
    dossier = view.dossier
    ticked = [key for key, on in (dossier.criteria or {}).items() if on]
    criteria = CriteriaForm(formdata=None, prefix="criteres", criteria=ticked)
    criteria.criteria.choices = [(key, label) for group in view.checklist
                                 for key, label in group.criteria]
    mine = view.my_position
    return {
        "actions": {a: ActionForm(formdata=None, prefix=a, version=dossier.version)
                    for a in (*SIMPLE_ACTIONS, "commenter")},
        "position": PositionForm(formdata=None, prefix="position",
                                 stance=mine.stance if mine else None,
                                 comment=mine.comment if mine else ""),
        "answers": {p.position.id: AnswerForm(formdata=None, prefix=f"r{p.position.id}")
                    for p in view.positions},
        "decision": DecisionForm(formdata=None, prefix="decision", version=dossier.version,
                                 revision=dossier.revision_number or ""),
        "criteria": criteria,
        "revision": RevisionForm(formdata=None, prefix="version"),
    }


def render_dossier(dossier_id: str, status: int = 200) -> tuple[str, int]:
    view = get_dossier(kb(), current_reader(), dossier_id)
    rule = DecisionRule(kb().settings.quorum)
    follow_up = view.actions - {"commenter", "prendre-position", "repondre-objection",
                                "cocher-critere"}
    return render_template("workflow/show.html", view=view, forms=dossier_forms(view),
                           rule=rule.describe(), follow_up=follow_up), status


@bp.get("/dossiers/<dossier_id>")
@login_required
def show(dossier_id: str) -> tuple[str, int]:
    return render_dossier(dossier_id)


@bp.get("/dossiers/<dossier_id>/historique.<fmt>")
@login_required
def export_history(dossier_id: str, fmt: str) -> Response:
    if fmt not in ("csv", "json"):
        raise NotFound("Format d'export inconnu (csv ou json).")
    dossier, events = history(kb(), current_reader(), dossier_id)
    if fmt == "csv":
        body, mimetype = "\ufeff" + history_csv(events), "text/csv; charset=utf-8"
    else:
        body, mimetype = history_json(dossier, events), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="historique-dossier-{dossier.id}.{fmt}"')
    return response


@bp.get("/documents/<doc_id>/dossier")
@login_required
def document_dossier(doc_id: str) -> BaseResponse:
    """The badge's link: the document's current (or latest) dossier."""
    dossiers = document_dossiers(kb(), current_reader(), doc_id)
    if not dossiers:
        raise NotFound("Aucun dossier pour ce document.")
    return redirect(url_for("workflow.show", dossier_id=dossiers[0][0].id))


@bp.route("/documents/<doc_id>/proposer", methods=["GET", "POST"])
@login_required
def propose(doc_id: str) -> str | BaseResponse | tuple[str, int]:
    reader = current_reader()
    document = get_readable_document(kb(), reader, doc_id)
    form = ProposeForm()
    if form.validate_on_submit():
        try:
            dossier = propose_document(kb(), reader, doc_id, form.motivation.data or "")
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
