"""Sheet files and background calls: DOCX/ODT export, DOCX import, autosave, theme suggestions."""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import Forbidden, KbError
from kb.models import utcnow
from kb.sheets.content import SheetContent
from kb.sheets.export import sheet_docx, sheet_odt
from kb.sheets.importing import sheet_from_docx
from kb.sheets.publishing import DOCX_TYPE
from kb.sheets.rules import can_edit
from kb.sheets.themes import suggest_themes
from kb.sheets.writing import (
    get_sheet,
    import_content,
    narrator_account,
    save_draft,
)
from kb.slug import slug
from webui.common.context import current_reader, instance, login_required, roles_required
from webui.common.downloads import attachment
from webui.common.feedback import refused
from webui.sheets.forms import ImportForm, SheetForm, split_lines, version_of

bp = Blueprint("sheet_files", __name__, url_prefix="/fiches")
ODT_TYPE = "application/vnd.oasis.opendocument.text"
MAX_SUGGEST_CHARS = 100_000


@bp.get("/<sheet_id>/fiche.<extension>")
@login_required
def export(sheet_id: str, extension: str) -> Response:
    """The working copy as DOCX or ODT, for the narrator to read offline."""
    sheet = get_sheet(instance(), current_reader(), sheet_id)
    content = SheetContent.of(sheet)
    name = f"fiche-{slug(sheet.title, 'sans-titre')}-v{sheet.version}.{extension}"
    if extension == "docx":
        return attachment(sheet_docx(content, utcnow()), DOCX_TYPE, name)
    if extension == "odt":
        return attachment(sheet_odt(content, utcnow()), ODT_TYPE, name)
    raise KbError("Format inconnu.", status=404)


@bp.route("/<sheet_id>/importer", methods=["GET", "POST"])
@login_required
def import_docx(sheet_id: str) -> str | tuple[str, int] | BaseResponse:
    reader = current_reader()
    sheet = get_sheet(instance(), reader, sheet_id)
    if not can_edit(reader, sheet):
        raise Forbidden("Seul·e l'auteur·rice de la fiche peut y importer un fichier.")
    form = ImportForm(data={"version": str(sheet.version)} if request.method == "GET" else None)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("sheets/import.html", form=form, sheet=sheet), status
    try:
        imported = sheet_from_docx(form.file.data.read())
        outcome = import_content(instance(), reader, sheet_id, imported, version_of(form))
    except KbError as error:
        refused(error)
        return render_template("sheets/import.html", form=form, sheet=sheet), 400
    if outcome.status == "conflit":
        flash(outcome.message, "error")
    elif outcome.status == "unchanged":
        flash("Le fichier importé ne change rien à la fiche.", "info")
    else:
        flash(f"Fichier importé : version {outcome.sheet.version}.", "success")
    if imported.unplaced:
        flash(f"{len(imported.unplaced)} passage(s) n'ont pas pu être placés : ils sont "
              "affichés sur la fiche, à replacer à la main.", "error")
    return redirect(url_for("sheets.show", sheet_id=sheet_id))


@bp.post("/<sheet_id>/enregistrer")
@login_required
def autosave(sheet_id: str) -> tuple[Response, int]:
    """Background save of the edit form (JSON): same rules as the save button."""
    form = SheetForm()
    if not form.validate_on_submit():
        errors = {name: field.errors for name, field in form._fields.items() if field.errors}
        return jsonify(status="invalide", errors=errors,
                       message="Formulaire invalide : enregistrez avec le bouton."), 400
    try:
        narrator_id = narrator_account(instance(), form.narrator_email.data or "")
        outcome = save_draft(instance(), current_reader(), sheet_id, form.content(),
                             form.settings(narrator_id), form.base_version())
    except KbError as error:
        return jsonify(status="refuse", message=error.message), error.status
    status = 409 if outcome.status == "conflit" else 200
    return jsonify(status=outcome.status, version=outcome.sheet.version,
                   revision=outcome.revision, message=outcome.message), status


@bp.post("/themes-suggeres")
@roles_required("maieuticien")
def themes() -> Response:
    """Themes found in the text being written (JSON), called by sheets.js while typing."""
    text = request.form.get("text", "")[:MAX_SUGGEST_CHARS]
    found = suggest_themes(instance(), text, request.form.get("title", "")[:500],
                           exclude=split_lines(request.form.get("themes")))
    return jsonify(suggestions=[{"label": s.label, "score": s.score} for s in found])
