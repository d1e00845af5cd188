"""Experience sheet pages: list, write (new and edit), read, and change state."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.accounts.users import get_user
from kb.errors import Forbidden, KbError
from kb.models import Sheet
from kb.sheets.rules import can_edit, can_write_sheets
from kb.sheets.states import (
    can_approve,
    missing_for_review,
)
from kb.sheets.themes import ThemeSuggestion, suggest_themes
from kb.sheets.writing import (
    SaveOutcome,
    create_sheet,
    get_sheet,
    list_sheets,
    narrator_account,
    save_draft,
)
from webui.common.context import (
    current_reader,
    current_user,
    instance,
    login_required,
    roles_required,
)
from webui.common.feedback import refused
from webui.sheets.forms import (
    ApprovalForm,
    ChangesForm,
    SheetForm,
    VersionForm,
    form_data,
)

bp = Blueprint("sheets", __name__, url_prefix="/fiches")


@bp.get("/")
@login_required
def index() -> str:
    reader = current_reader()
    return render_template("sheets/index.html", sheets=list_sheets(instance(), reader),
                           can_write=can_write_sheets(reader))


def _narrator_email(sheet: Sheet) -> str:
    return get_user(instance(), sheet.narrator_user_id).email if sheet.narrator_user_id else ""


def _render_form(form: SheetForm, sheet: Sheet | None, status: int = 200,
                 suggestions: list[ThemeSuggestion] | None = None) -> tuple[str, int]:
    html = render_template("sheets/form.html", form=form, sheet=sheet, suggestions=suggestions)
    return html, status


def _with_added_themes(form: SheetForm) -> None:
    """Themes ticked among the suggestions (without JavaScript) join the list."""
    added = [t for t in request.form.getlist("ajouter_themes") if t.strip()]
    if added:
        form.themes.data = "\n".join([*(form.themes.data or "").splitlines(), *added])


def _after_save(form: SheetForm, outcome: SaveOutcome) -> tuple[str, int] | Response:
    sheet = outcome.sheet
    if outcome.status == "conflit":
        flash(outcome.message + " Relisez la version actuelle (lien « Versions ») avant "
              "d'enregistrer de nouveau.", "error")
        form.version.data = str(sheet.version)
        return _render_form(form, sheet, 409)
    flash(outcome.message, "success")
    if request.form.get("action") == "suggest":
        form.version.data = str(sheet.version)
        content = form.content()
        text = "\n\n".join((content.context, content.actors, content.narrative,
                            content.difficulties, content.lessons))
        found = suggest_themes(instance(), text, content.title, exclude=content.themes)
        if not found:
            flash("Aucun thème de la base n'a été reconnu dans le texte.", "info")
        return _render_form(form, sheet, 200, found)
    return redirect(url_for("sheets.edit", sheet_id=sheet.id))


@bp.route("/nouvelle", methods=["GET", "POST"])
@roles_required("maieuticien")
def new() -> tuple[str, int] | Response:
    form = SheetForm()
    if request.method == "GET":
        user = current_user()
        form.client_key.data = uuid.uuid4().hex
        form.maieuticien.data = user.display_name if user else ""
        form.version.data = "0"
        return _render_form(form, None)
    if not form.validate_on_submit():
        return _render_form(form, None, 400)
    _with_added_themes(form)
    try:
        narrator_id = narrator_account(instance(), form.narrator_email.data or "")
        outcome = create_sheet(instance(), current_reader(), form.content(),
                               form.settings(narrator_id), form.client_key.data)
    except KbError as error:
        refused(error)
        return _render_form(form, None, 400)
    return _after_save(form, outcome)


@bp.route("/<sheet_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(sheet_id: str) -> tuple[str, int] | Response:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    if not can_edit(reader, sheet):
        raise Forbidden("Seul·e l'auteur·rice de la fiche peut la modifier.")
    if request.method == "GET":
        return _render_form(SheetForm(data=form_data(sheet, _narrator_email(sheet))), sheet)
    form = SheetForm()
    if not form.validate_on_submit():
        return _render_form(form, sheet, 400)
    _with_added_themes(form)
    try:
        narrator_id = narrator_account(instance(), form.narrator_email.data or "")
        outcome = save_draft(instance(), reader, sheet_id, form.content(),
                             form.settings(narrator_id), form.base_version())
    except KbError as error:
        refused(error)
        return _render_form(form, sheet, 400)
    return _after_save(form, outcome)


@bp.get("/<sheet_id>")
@login_required
def show(sheet_id: str) -> str:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    version = {"version": str(sheet.version)}
    approval = ApprovalForm(data={"narrator_name": sheet.narrator, **version})
    return render_template(
        "sheets/show.html", sheet=sheet, content=sheet,
        editable=can_edit(reader, sheet), approver=can_approve(reader, sheet),
        missing=missing_for_review(sheet), approval_form=approval,
        changes_form=ChangesForm(data=version), version_form=VersionForm(data=version))

