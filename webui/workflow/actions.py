"""Actions on a dossier (POST only): each calls one service; a refusal shows on the page."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from kb.errors import InvalidInput, KbError
from kb.workflow.dossiers import act, decide
from kb.workflow.labels import set_criteria, withdraw_label
from kb.workflow.positions import (
    answer_objection,
    set_aside_objection,
    take_position,
    withdraw_objection,
)
from kb.workflow.revisions import submit_revision
from kb.workflow.transitions import COMMENT_ACTIONS
from webui.common.context import current_reader, instance, login_required
from webui.workflow.dossier_view import render_dossier
from webui.workflow.forms import (
    ActionForm,
    AnswerForm,
    CriteriaForm,
    DecisionForm,
    PositionForm,
    RevisionForm,
    SetAsideForm,
    WithdrawForm,
)

bp = Blueprint("dossier_actions", __name__, url_prefix="/dossiers/<dossier_id>")
DONE = {
    "ouvrir-debat": "Débat ouvert.", "commenter": "Commentaire ajouté.",
    "demander-modifications": "Modifications demandées au proposant.",
    "reprendre-debat": "Débat repris.", "retirer": "Dossier retiré.",
    "rouvrir": "Dossier rouvert : le texte est à réviser.", "retirer-label": "Label retiré.",
}


def _version(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _run(dossier_id: str, form: FlaskForm, call: Callable[[], object],
         done: str) -> Response | tuple[str, int]:
    """Validate the form, call the service, then go back to the dossier; a refusal is
    shown on the dossier page with its status and nothing is changed."""
    if not form.validate_on_submit():
        problems = "; ".join(f"{form[name].label.text} : {' '.join(errors)}"
                             for name, errors in form.errors.items() if name in form)
        flash(f"Action refusée — {problems or 'formulaire expiré, rechargez la page'}.",
              "error")
        return render_dossier(dossier_id, 400)
    try:
        call()
    except KbError as error:
        if error.status >= 500:
            raise
        flash(f"Action refusée — {error.message}", "error")
        return render_dossier(dossier_id, error.status)
    flash(done, "success")
    return redirect(url_for("workflow.show", dossier_id=dossier_id))


@bp.post("/action/<action>")
@login_required
def simple(dossier_id: str, action: str) -> Response | tuple[str, int]:
    if action not in COMMENT_ACTIONS:
        raise InvalidInput(f"action : « {action} » inconnue")
    form = ActionForm(prefix=action)
    if action == "retirer-label":
        return _run(dossier_id, form, lambda: withdraw_label(
            instance(), current_reader(), dossier_id, form.comment.data or "",
            _version(form.version.data)), DONE[action])
    return _run(dossier_id, form, lambda: act(
        instance(), current_reader(), dossier_id, action, form.comment.data or "",
        _version(form.version.data)), DONE[action])


@bp.post("/position")
@login_required
def position(dossier_id: str) -> Response | tuple[str, int]:
    form = PositionForm(prefix="position")
    return _run(dossier_id, form, lambda: take_position(
        instance(), current_reader(), dossier_id, form.stance.data or "", form.comment.data or ""),
        "Position enregistrée.")


@bp.post("/objections/<int:position_id>/reponse")
@login_required
def answer(dossier_id: str, position_id: int) -> Response | tuple[str, int]:
    form = AnswerForm(prefix=f"r{position_id}")
    return _run(dossier_id, form, lambda: answer_objection(
        instance(), current_reader(), dossier_id, position_id, form.answer.data or ""),
        "Réponse enregistrée. L'objection reste ouverte jusqu'à ce que son auteur·rice la "
        "retire, ou que le collectif l'écarte en disant pourquoi.")


@bp.post("/objections/<int:position_id>/ecarter")
@login_required
def set_aside(dossier_id: str, position_id: int) -> Response | tuple[str, int]:
    form = SetAsideForm(prefix=f"e{position_id}")
    return _run(dossier_id, form, lambda: set_aside_objection(
        instance(), current_reader(), dossier_id, position_id, form.reason.data or "",
        _version(form.version.data)),
        "Objection écartée : la raison du collectif est consignée dans l'historique.")


@bp.post("/position/retirer-objection")
@login_required
def withdraw(dossier_id: str) -> Response | tuple[str, int]:
    form = WithdrawForm(prefix="retrait")
    return _run(dossier_id, form, lambda: withdraw_objection(
        instance(), current_reader(), dossier_id, form.stance.data or "",
        form.comment.data or ""), "Objection retirée.")


@bp.post("/decision")
@login_required
def decision(dossier_id: str) -> Response | tuple[str, int]:
    form = DecisionForm(prefix="decision")
    return _run(dossier_id, form, lambda: decide(
        instance(), current_reader(), dossier_id, form.outcome.data or "",
        form.rationale.data or "", _version(form.version.data),
        _version(form.revision.data)), "Décision enregistrée.")


@bp.post("/criteres")
@login_required
def criteria(dossier_id: str) -> Response | tuple[str, int]:
    form = CriteriaForm(prefix="criteres")
    return _run(dossier_id, form, lambda: set_criteria(
        instance(), current_reader(), dossier_id, form.criteria.data or []),
        "Critères enregistrés.")


@bp.post("/version")
@login_required
def revision(dossier_id: str) -> Response | tuple[str, int]:
    form = RevisionForm(prefix="version")

    def upload() -> None:
        file = form.file.data
        number = submit_revision(instance(), current_reader(), dossier_id,
                                 file.filename or "document", file.read())
        flash(f"Version {number} déposée : le débat reprend sur elle.", "success")

    return _run(dossier_id, form, upload, "Nouvelle version enregistrée.")
