"""Experience sheet pages: list, write (new and edit), read, and change state."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.accounts.users import get_user
from kb.errors import Forbidden, KbError
from kb.models import Sheet
from kb.sheets.content import SheetContent
from kb.sheets.rules import MissingFields, can_edit, can_write_sheets
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
    MIDWIFE_ROLE,
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
    html = render_template("sheets/form.html", form=form.with_spare_rows(), sheet=sheet,
                           suggestions=suggestions)
    return html, status


def _with_added_themes(form: SheetForm) -> None:
    """Themes ticked among the suggestions (without JavaScript) join the list."""
    added = [t for t in request.form.getlist("ajouter_themes") if t.strip()]
    if added:
        form.themes.data = "\n".join([*(form.themes.data or "").splitlines(), *added])


def _suggestions(form: SheetForm, sheet: Sheet | None) -> tuple[str, int]:
    """« Suggérer des thèmes » without JavaScript: the form comes back with the themes found
    in its text; nothing is saved until the author saves."""
    content = form.content()
    text = "\n\n".join((content.context, content.actors, content.narrative,
                         content.difficulties, content.lessons))
    found = suggest_themes(instance(), text, content.title, exclude=content.themes)
    flash("Aucun thème de la base n'a été reconnu dans le texte." if not found else
          "Thèmes suggérés ci-dessous : rien n'est enregistré tant que vous n'enregistrez pas.",
          "info")
    return _render_form(form, sheet, 200, found)


def _refused(form: SheetForm, sheet: Sheet | None, error: KbError) -> tuple[str, int]:
    """The form back with the refusal; empty fields are named beside themselves."""
    refused(error)
    if isinstance(error, MissingFields):
        for name in error.fields:
            form[name].errors = [*form[name].errors, "À remplir pour enregistrer la fiche."]  # type: ignore[misc]
    return _render_form(form, sheet, 400)


def _after_save(form: SheetForm, outcome: SaveOutcome) -> tuple[str, int] | Response:
    sheet = outcome.sheet
    if outcome.status == "conflit":
        flash(outcome.message + " Relisez la version actuelle (lien « Versions ») avant "
              "d'enregistrer de nouveau.", "error")
        form.version.data = str(sheet.version)
        return _render_form(form, sheet, 409)
    flash(outcome.message, "success")
    return redirect(url_for("sheets.edit", sheet_id=sheet.id))


def _submit(sheet: Sheet | None,
            save: Callable[[SheetForm, int | None], SaveOutcome]) -> tuple[str, int] | Response:
    """A sent sheet form: shown again when invalid or when themes are asked for, else saved
    (a new sheet or a draft, as `save` does) with the narrator's account it names."""
    form = SheetForm()
    if not form.validate_on_submit():
        return _render_form(form, sheet, 400)
    _with_added_themes(form)
    if request.form.get("action") == "suggest":
        return _suggestions(form, sheet)
    try:
        outcome = save(form, narrator_account(instance(), form.narrator_email.data or ""))
    except KbError as error:
        return _refused(form, sheet, error)
    return _after_save(form, outcome)


def _new_form() -> SheetForm:
    """A blank sheet: a row for the person who tells the experience, then its writer."""
    user = current_user()
    form = SheetForm(data={"authors": [
        {"name": "", "role": ""},
        {"name": user.display_name if user else "", "role": MIDWIFE_ROLE}]})
    form.client_key.data = uuid.uuid4().hex
    form.version.data = "0"
    return form


@bp.route("/nouvelle", methods=["GET", "POST"])
@roles_required("maieuticien")
def new() -> tuple[str, int] | Response:
    if request.method == "GET":
        return _render_form(_new_form(), None)
    return _submit(None, lambda form, narrator_id: create_sheet(
        instance(), current_reader(), form.content(), form.settings(narrator_id),
        form.client_key.data))


@bp.route("/<sheet_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(sheet_id: str) -> tuple[str, int] | Response:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    if not can_edit(reader, sheet):
        raise Forbidden("Seul·e l'auteur·rice de la fiche peut la modifier.")
    if request.method == "GET":
        return _render_form(SheetForm(data=form_data(sheet, _narrator_email(sheet))), sheet)
    return _submit(sheet, lambda form, narrator_id: save_draft(
        instance(), reader, sheet_id, form.content(), form.settings(narrator_id),
        form.base_version()))


@bp.get("/<sheet_id>")
@login_required
def show(sheet_id: str) -> str:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    version = {"version": str(sheet.version)}
    approval = ApprovalForm(data={"narrator_name": SheetContent.of(sheet).narrator, **version})
    return render_template(
        "sheets/show.html", sheet=sheet, content=sheet,
        editable=can_edit(reader, sheet), approver=can_approve(reader, sheet),
        missing=missing_for_review(sheet), approval_form=approval,
        changes_form=ChangesForm(data=version), version_form=VersionForm(data=version))

