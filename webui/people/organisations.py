"""Organisations of the directory: their list, a page with their members and what those did,
and the form where the association or a member describes one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import Forbidden, KbError
from kb.models.people import ORGANISATION_KINDS
from kb.people.organisations import get_organisation, list_organisations, update_organisation
from webui.common.context import current_reader, instance, login_required
from webui.common.feedback import refused
from webui.people.forms import OrganisationForm

bp = Blueprint("organisations", __name__, url_prefix="/annuaire/organisations")


@bp.get("/")
def index() -> str:
    return render_template("people/organisations.html",
                           organisations=list_organisations(instance(), current_reader()),
                           kinds=ORGANISATION_KINDS)


@bp.get("/<organisation_id>")
def show(organisation_id: str) -> str:
    return render_template("people/organisation.html",
                           view=get_organisation(instance(), current_reader(), organisation_id),
                           kinds=ORGANISATION_KINDS)


@bp.route("/<organisation_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(organisation_id: str) -> str | BaseResponse:
    view = get_organisation(instance(), current_reader(), organisation_id)
    if not view.can_edit:
        raise Forbidden("Seul·e·s ses membres et l'association modifient cette organisation.")
    organisation = view.organisation
    form = OrganisationForm(data={"kind": organisation.kind, "territory": organisation.territory,
                                  "website": organisation.website,
                                  "presentation": organisation.presentation})
    if form.validate_on_submit():
        try:
            update_organisation(instance(), current_reader(), organisation_id, {
                "kind": form.kind.data, "territory": form.territory.data or "",
                "website": form.website.data or "",
                "presentation": form.presentation.data or ""})
        except KbError as error:
            refused(error)
        else:
            flash("Organisation enregistrée.", "success")
            return redirect(url_for("organisations.show", organisation_id=organisation_id))
    return render_template("people/organisation_edit.html", form=form, view=view)
