"""Changing a catalogue: add resources (from a document page or a results page), notes,
sections and order."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.catalogues.items import (
    Placement,
    add_item,
    add_section,
    delete_section,
    move_item,
    move_item_to_section,
    move_section,
    remove_item,
    rename_section,
    update_note,
)
from kb.catalogues.lists import Target, add_targets
from kb.documents.reading import get_readable_document
from kb.errors import KbError
from kb.models import Document
from webui.catalogues.forms import AddItemForm, MoveToSectionForm, NoteForm, SectionForm
from webui.common.context import (
    current_reader,
    instance,
    local_path,
    login_required,
    roles_required,
    wants_json,
)
from webui.common.feedback import flash_at
from webui.common.forms import ConfirmForm

bp = Blueprint("catalogue_edit", __name__, url_prefix="/catalogues")
DIRECTIONS = {"monter": -1, "descendre": 1}


def _change(catalogue_id: str, form: ConfirmForm | SectionForm | NoteForm | MoveToSectionForm,
            change: Callable[[], str], target: str = "") -> Response:
    """Apply one change from a valid form and go back to the catalogue page; with `target`
    (the id of the section or resource changed), back to that place, the message beside it."""
    if not form.validate_on_submit():
        message, category = "Formulaire incomplet ou expiré : rechargez la page.", "error"
    else:
        try:
            message, category = change(), "success"
        except KbError as error:
            if error.status >= 500:
                raise
            message, category = f"Action refusée — {error.message}.", "error"
    if target:
        flash_at(message, target, category)
    else:
        flash(message, category)
    page = url_for("catalogues.show", catalogue_id=catalogue_id)
    return redirect(f"{page}#{target}" if target else page)


def _placed(placement: Placement, delta: int = 0) -> str:
    """What a move did, in words: « X » est maintenant 2e sur 5 dans « Section »."""
    if placement.within:
        where = f"dans « {placement.within} »"
        if not placement.moved:
            edge = "en tête" if delta < 0 else "en dernière position"
            return f"« {placement.title} » est déjà {edge} {where}."
        return (f"« {placement.title} » est maintenant en position {placement.position} "
                f"sur {placement.count} {where}.")
    if not placement.moved:
        edge = "la première" if delta < 0 else "la dernière"
        return f"La section « {placement.title} » est déjà {edge}."
    return (f"La section « {placement.title} » est maintenant en position {placement.position} "
            f"sur {placement.count}.")


def _delta(direction: str) -> int:
    if direction not in DIRECTIONS:
        raise KbError("Direction inconnue.", status=404)
    return DIRECTIONS[direction]


def _add(form: AddItemForm, document: Document, targets: list[Target]) -> tuple[str | None, str]:
    """Add the document where the form says: (the catalogue's id or None, what happened)."""
    if not form.validate_on_submit():
        return None, "Choisissez un de vos catalogues (qui ne contient pas déjà ce document)."
    catalogue_id, section_id = form.chosen()
    try:
        add_item(instance(), current_reader(), catalogue_id, document.id, section_id,
                 form.note.data or "")
    except KbError as error:
        if error.status >= 500:
            raise
        return None, f"Ajout refusé — {error.message}"
    label = next(t.label for t in targets if (t.catalogue_id, t.section_id)
                 == (catalogue_id, section_id))
    return catalogue_id, f"« {document.title} » ajouté à « {label} »."


@bp.route("/ajouter/<doc_id>", methods=["GET", "POST"])
@roles_required("formateur")
def add(doc_id: str) -> str | Response | tuple[str | Response, int]:
    """Add a document to a catalogue. The document page's panel posts here and goes on to the
    catalogue; a search result names its page (`retour`) and gets back to it, at the same
    result, with the message beside it; the result's script asks for JSON instead and says
    it in place. GET shows the choice on a page of its own."""
    document = get_readable_document(instance(), current_reader(), doc_id)
    targets, holding = add_targets(instance(), current_reader(), doc_id)
    form = AddItemForm(data={"document_id": doc_id})
    form.set_targets(targets)
    if request.method == "GET":
        return render_template("catalogues/add.html", form=form, document=document,
                               targets=targets, holding=holding)
    catalogue_id, message = _add(form, document, targets)
    back = local_path(request.form.get("retour"))
    if wants_json():
        return jsonify(added=catalogue_id is not None, message=message), \
            200 if catalogue_id else 409
    if back:
        flash_at(message, f"resultat-{doc_id}", "success" if catalogue_id else "error")
        return redirect(f"{back}#resultat-{doc_id}")
    if catalogue_id is None:
        flash(message, "error")
        return render_template("catalogues/add.html", form=form, document=document,
                               targets=targets, holding=holding), 400
    flash(message, "success")
    return redirect(url_for("catalogues.show", catalogue_id=catalogue_id))


@bp.post("/<catalogue_id>/sections")
@login_required
def new_section(catalogue_id: str) -> Response:
    form = SectionForm()
    return _change(catalogue_id, form, lambda: add_section(
        instance(), current_reader(), catalogue_id, form.title.data or "") and "Section ajoutée.")


@bp.post("/<catalogue_id>/sections/<int:section_id>/renommer")
@login_required
def section_title(catalogue_id: str, section_id: int) -> Response:
    form = SectionForm()
    return _change(catalogue_id, form, lambda: rename_section(
        instance(), current_reader(), catalogue_id, section_id, form.title.data or "")
        or "Section renommée.")


@bp.post("/<catalogue_id>/sections/<int:section_id>/supprimer")
@login_required
def drop_section(catalogue_id: str, section_id: int) -> Response:
    return _change(catalogue_id, ConfirmForm(), lambda: delete_section(
        instance(), current_reader(), catalogue_id, section_id) or "Section supprimée.")


@bp.post("/<catalogue_id>/sections/<int:section_id>/<direction>")
@login_required
def order_section(catalogue_id: str, section_id: int, direction: str) -> Response:
    delta = _delta(direction)
    return _change(catalogue_id, ConfirmForm(), lambda: _placed(move_section(
        instance(), current_reader(), catalogue_id, section_id, delta), delta),
        f"section-{section_id}")


@bp.post("/<catalogue_id>/ressources/<int:item_id>/note")
@login_required
def note(catalogue_id: str, item_id: int) -> Response:
    form = NoteForm()
    return _change(catalogue_id, form, lambda: update_note(
        instance(), current_reader(), catalogue_id, item_id, form.note.data or "")
        or "Note enregistrée.", f"ressource-{item_id}")


@bp.post("/<catalogue_id>/ressources/<int:item_id>/section")
@login_required
def item_section(catalogue_id: str, item_id: int) -> Response:
    form = MoveToSectionForm()
    target = int(form.section.data) if (form.section.data or "").isdigit() else 0
    return _change(catalogue_id, form, lambda: _placed(move_item_to_section(
        instance(), current_reader(), catalogue_id, item_id, target)), f"ressource-{item_id}")


@bp.post("/<catalogue_id>/ressources/<int:item_id>/retirer")
@login_required
def remove(catalogue_id: str, item_id: int) -> Response:
    return _change(catalogue_id, ConfirmForm(), lambda: remove_item(
        instance(), current_reader(), catalogue_id, item_id) or "Ressource retirée du catalogue.")


@bp.post("/<catalogue_id>/ressources/<int:item_id>/<direction>")
@login_required
def order_item(catalogue_id: str, item_id: int, direction: str) -> Response:
    delta = _delta(direction)
    return _change(catalogue_id, ConfirmForm(), lambda: _placed(move_item(
        instance(), current_reader(), catalogue_id, item_id, delta), delta),
        f"ressource-{item_id}")
