"""Catalogue pages: list, create, read, describe, export (DOCX, Markdown) and print."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from kb.catalogues.catalogue import (
    can_compose,
    create_catalogue,
    delete_catalogue,
    update_catalogue,
    view_catalogue,
)
from kb.catalogues.export import catalogue_docx, catalogue_markdown
from kb.catalogues.lists import add_targets, list_catalogues, visible_counts
from kb.errors import Forbidden, KbError
from kb.models import Document
from kb.models.catalogues import SHARING_LABELS
from kb.sheets.publishing import DOCX_TYPE
from kb.slug import slug
from kb.visibility import Reader
from webui.catalogues.forms import AddItemForm, CatalogueForm, catalogue_data
from webui.common.context import current_reader, instance, login_required, roles_required
from webui.common.downloads import attachment
from webui.common.feedback import refused
from webui.common.forms import ConfirmForm

bp = Blueprint("catalogues", __name__, url_prefix="/catalogues")


def catalogue_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """« Ajouter au catalogue » on a document page, for trainers."""
    if not can_compose(reader):
        return None
    targets, holding = add_targets(instance(), reader, document.id)
    form = AddItemForm(formdata=None, data={"document_id": document.id})
    form.set_targets(targets)
    return {"form": form, "targets": targets, "holding": holding}


def mine_section(reader: Reader) -> dict[str, object] | None:
    """« Mes catalogues » on the home page, for those who compose or own catalogues."""
    mine, _shared = list_catalogues(instance(), reader)
    composer = can_compose(reader)
    if not mine and not composer:
        return None
    mine = mine[:5]
    return {"catalogues": mine, "can_compose": composer,
            "counts": visible_counts(instance(), reader, [c.id for c in mine])}


@bp.get("/")
def index() -> str:
    reader = current_reader()
    mine, shared = list_catalogues(instance(), reader)
    counts = visible_counts(instance(), reader, [c.id for c in mine + shared])
    return render_template("catalogues/index.html", mine=mine, shared=shared, counts=counts,
                           can_compose=can_compose(reader), sharing_labels=SHARING_LABELS)


@bp.route("/nouveau", methods=["GET", "POST"])
@roles_required("formateur")
def new() -> tuple[str, int] | BaseResponse:
    form = CatalogueForm()
    if form.validate_on_submit():
        try:
            catalogue = create_catalogue(instance(), current_reader(), form.values())
        except KbError as error:
            refused(error)
        else:
            flash("Catalogue créé : ajoutez-y des ressources depuis les pages des documents.",
                  "success")
            return redirect(url_for("catalogues.show", catalogue_id=catalogue.id))
    status = 400 if form.is_submitted() else 200
    return render_template("catalogues/form.html", form=form, catalogue=None), status


@bp.get("/<catalogue_id>")
def show(catalogue_id: str) -> str:
    view = view_catalogue(instance(), current_reader(), catalogue_id)
    return render_template("catalogues/show.html", view=view, sharing_labels=SHARING_LABELS,
                           confirm=ConfirmForm())


@bp.route("/<catalogue_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(catalogue_id: str) -> tuple[str, int] | BaseResponse:
    view = view_catalogue(instance(), current_reader(), catalogue_id)
    if not view.editable:
        raise Forbidden("Seul·e l'auteur·rice du catalogue peut le modifier.")
    form = CatalogueForm(data=catalogue_data(view.catalogue)) if request.method == "GET" \
        else CatalogueForm()
    if form.validate_on_submit():
        try:
            update_catalogue(instance(), current_reader(), catalogue_id, form.values())
        except KbError as error:
            refused(error)
        else:
            flash("Catalogue enregistré.", "success")
            return redirect(url_for("catalogues.show", catalogue_id=catalogue_id))
    status = 400 if form.is_submitted() else 200
    return render_template("catalogues/form.html", form=form, catalogue=view.catalogue), status


@bp.post("/<catalogue_id>/supprimer")
@login_required
def delete(catalogue_id: str) -> BaseResponse:
    if ConfirmForm().validate_on_submit():
        delete_catalogue(instance(), current_reader(), catalogue_id)
        flash("Catalogue supprimé (les documents, eux, restent dans la base).", "success")
    return redirect(url_for("catalogues.index"))


def _link(document_id: str) -> str:
    return url_for("documents.show", doc_id=document_id, _external=True)


@bp.get("/<catalogue_id>/catalogue.<extension>")
def export(catalogue_id: str, extension: str) -> Response:
    """The handout as DOCX or Markdown, with only what this reader may read."""
    view = view_catalogue(instance(), current_reader(), catalogue_id)
    name = f"catalogue-{slug(view.catalogue.title, 'sans-titre')}.{extension}"
    if extension == "docx":
        return attachment(catalogue_docx(view, _link), DOCX_TYPE, name)
    if extension == "md":
        return attachment(catalogue_markdown(view, _link), "text/markdown", name)
    raise KbError("Format inconnu.", status=404)


@bp.get("/<catalogue_id>/imprimer")
def printable(catalogue_id: str) -> str:
    view = view_catalogue(instance(), current_reader(), catalogue_id)
    return render_template("catalogues/print.html", view=view, link=_link)
