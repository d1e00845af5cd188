"""Sheet state changes (review, approval, publication), revisions and restores, adoption."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kb.errors import KbError
from kb.models import Document
from kb.models.sheets import SHEET_STATE_LABELS
from kb.sheets.content import SheetContent
from kb.sheets.publishing import KIND
from kb.sheets.rules import can_edit, can_view, can_write_sheets
from kb.sheets.states import (
    adopt_document,
    back_to_draft,
    publish,
    record_approval,
    sheet_for_document,
    submit_for_review,
)
from kb.sheets.writing import delete_draft, dismiss_unplaced, get_sheet, restore_revision
from kb.visibility import Reader
from webui.common.context import current_reader, instance, login_required, roles_required
from webui.common.feedback import refused
from webui.sheets.forms import ApprovalForm, ChangesForm, VersionForm, version_of

bp = Blueprint("sheet_states", __name__, url_prefix="/fiches")


def sheet_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """On an experience sheet's page: its structured sheet, or the offer to make one."""
    if document.kind != KIND:
        return None
    sheet = sheet_for_document(instance(), document.id)
    if sheet is not None:
        return {"sheet": sheet, "visible": can_view(reader, sheet),
                "state_label": SHEET_STATE_LABELS[sheet.state]} \
            if can_view(reader, sheet) or can_write_sheets(reader) else None
    if not can_write_sheets(reader):
        return None
    return {"sheet": None}


def _transition(sheet_id: str, form: VersionForm | ApprovalForm | ChangesForm,
                change: Callable[[int], str]) -> Response:
    """Apply a state change to the version the page showed; refusals become messages."""
    if not form.validate_on_submit():
        flash("Formulaire incomplet ou expiré : rechargez la page.", "error")
    else:
        try:
            flash(change(version_of(form)), "success")
        except KbError as error:
            refused(error)
    return redirect(url_for("sheets.show", sheet_id=sheet_id))


@bp.post("/<sheet_id>/relecture")
@login_required
def review(sheet_id: str) -> Response:
    def change(version: int) -> str:
        submit_for_review(instance(), current_reader(), sheet_id, version)
        return "La fiche est en relecture : le narrateur ou la narratrice peut la lire."

    return _transition(sheet_id, VersionForm(), change)


@bp.post("/<sheet_id>/accord")
@login_required
def approve(sheet_id: str) -> Response:
    form = ApprovalForm()

    def change(version: int) -> str:
        record_approval(instance(), current_reader(), sheet_id, version,
                        form.narrator_name.data or "", form.approved_on.data,
                        form.note.data or "")
        return "Accord du narrateur consigné."

    return _transition(sheet_id, form, change)


@bp.post("/<sheet_id>/brouillon")
@login_required
def to_draft(sheet_id: str) -> Response:
    form = ChangesForm()

    def change(version: int) -> str:
        back_to_draft(instance(), current_reader(), sheet_id, version, form.note.data or "")
        return "La fiche est revenue au brouillon."

    return _transition(sheet_id, form, change)


@bp.post("/<sheet_id>/publier")
@login_required
def publish_sheet(sheet_id: str) -> Response:
    def change(version: int) -> str:
        outcome = publish(instance(), current_reader(), sheet_id, version)
        if outcome.index_error:
            flash(outcome.index_error, "error")
        return "Fiche publiée : elle est désormais trouvée par la recherche."

    return _transition(sheet_id, VersionForm(), change)


@bp.post("/<sheet_id>/supprimer")
@login_required
def delete(sheet_id: str) -> Response:
    """Delete a draft never published (the page asks for confirmation first)."""
    if not VersionForm().validate_on_submit():
        flash("Formulaire incomplet ou expiré : rechargez la page.", "error")
        return redirect(url_for("sheets.show", sheet_id=sheet_id))
    try:
        title = delete_draft(instance(), current_reader(), sheet_id)
    except KbError as error:
        refused(error)
        return redirect(url_for("sheets.show", sheet_id=sheet_id))
    flash(f"Brouillon « {title} » supprimé.", "success")
    return redirect(url_for("sheets.index"))


@bp.get("/<sheet_id>/versions/<int:number>")
@login_required
def revision(sheet_id: str, number: int) -> str:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    found = next((r for r in sheet.revisions if r.number == number), None)
    if found is None:
        raise KbError("Révision introuvable.", status=404)
    return render_template(
        "sheets/revision.html", sheet=sheet, revision=found,
        content=SheetContent.from_dict(dict(found.content)), editable=can_edit(reader, sheet),
        version_form=VersionForm(data={"version": str(sheet.version)}))


@bp.post("/<sheet_id>/versions/<int:number>/restaurer")
@login_required
def restore(sheet_id: str, number: int) -> Response:
    form = VersionForm()

    def change(version: int) -> str:
        outcome = restore_revision(instance(), current_reader(), sheet_id, number, version)
        if outcome.status == "conflit":
            raise KbError(outcome.message, status=409)
        return (f"Texte rétabli : il devient la version {outcome.sheet.version}."
                if outcome.status == "saved" else "Ce texte est déjà celui de la fiche.")

    return _transition(sheet_id, form, change)


@bp.post("/<sheet_id>/texte-non-place/ecarter")
@login_required
def dismiss(sheet_id: str) -> Response:
    def change(_version: int) -> str:
        dismiss_unplaced(instance(), current_reader(), sheet_id)
        return "Passages non placés écartés (ils restent dans l'historique des versions)."

    return _transition(sheet_id, VersionForm(), change)


@bp.post("/depuis-document/<doc_id>")
@roles_required("maieuticien")
def adopt(doc_id: str) -> Response:
    if not VersionForm().validate_on_submit():
        flash("Formulaire expiré : rechargez la page.", "error")
        return redirect(url_for("documents.show", doc_id=doc_id))
    try:
        sheet = adopt_document(instance(), current_reader(), doc_id)
    except KbError as error:
        refused(error)
        return redirect(url_for("documents.show", doc_id=doc_id))
    if sheet.unplaced:
        flash(f"{len(sheet.unplaced)} passage(s) n'ont pas pu être placés : ils sont affichés "
              "ci-dessous.", "error")
    return redirect(url_for("sheets.show", sheet_id=sheet.id))
