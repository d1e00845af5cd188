"""One's own profile: create it or claim the one documents made, edit it (or, for the
association, anyone's), give or withdraw consent, export it, delete it."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import KbError
from kb.models import Person
from kb.models.people import VISIBILITY_AUDIENCES
from kb.people.competences import concept_for_label
from kb.people.lifecycle import delete_person, export_person
from kb.people.privacy import CONSENT_TEXT, is_association
from kb.people.profiles import (
    ProfileView,
    create_own_profile,
    get_profile,
    own_person,
    set_consent,
    update_profile,
)
from kb.people.review import claim_profile, claimable
from webui.common.context import current_reader, instance, login_required
from webui.common.downloads import attachment
from webui.common.feedback import refused
from webui.common.forms import ConfirmForm
from webui.people.forms import DeleteForm, ProfileForm

bp = Blueprint("my_profile", __name__, url_prefix="/annuaire")


@bp.get("/mon-profil")
@login_required
def mine() -> str | BaseResponse:
    reader = current_reader()
    person = own_person(instance(), reader)
    if person is not None:
        return redirect(url_for("my_profile.edit", person_id=person.id))
    return render_template("people/mine_start.html", candidates=claimable(instance(), reader),
                           form=ConfirmForm())


@bp.post("/mon-profil/creer")
@login_required
def create() -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        flash("Le formulaire a expiré : recommencez.", "error")
        return redirect(url_for("my_profile.mine"))
    person = create_own_profile(instance(), current_reader())
    flash("Votre profil est créé. Complétez-le, puis choisissez qui peut le voir.", "success")
    return redirect(url_for("my_profile.edit", person_id=person.id))


@bp.post("/mon-profil/reclamer/<person_id>")
@login_required
def claim(person_id: str) -> BaseResponse:
    if ConfirmForm().validate_on_submit():
        claim_profile(instance(), current_reader(), person_id)
        flash("Demande envoyée : l'association vérifie et rattache ce profil à votre compte.",
              "success")
    return redirect(url_for("my_profile.mine"))


def _form_data(person: Person, view: ProfileView) -> dict[str, object]:
    organisation, role = (view.organisations[0] if view.organisations else (None, ""))
    chosen = person.field_visibility or {}
    return {"name": person.name, "headline": person.headline,
            "presentation": person.presentation,
            "organisation": organisation.name if organisation else "",
            "organisation_kind": organisation.kind if organisation else "association",
            "organisation_role": role, "territories": "\n".join(person.territories),
            "competences": "\n".join(label for _, label, _ in view.competences),
            "links": "\n".join(person.links), "contact_email": person.contact_email,
            "contact_phone": person.contact_phone, "contact_note": person.contact_note,
            "visibility": person.visibility if person.consented else "membres",
            "show_contact": chosen.get("contact", "membres"),
            "show_organisations": chosen.get("organisations", "public"),
            "show_territoires": chosen.get("territoires", "public"),
            "consent": person.consented}


def _values(form: ProfileForm) -> dict[str, object]:
    organisation = (form.organisation.data or "").strip()
    return {
        "name": form.name.data, "headline": form.headline.data,
        "presentation": form.presentation.data, "territories": form.territories.data or "",
        "competences": competence_uris(form.competences.data or ""),
        "links": form.links.data or "", "contact_email": form.contact_email.data or "",
        "contact_phone": form.contact_phone.data, "contact_note": form.contact_note.data,
        "field_visibility": {"contact": form.show_contact.data,
                             "organisations": form.show_organisations.data,
                             "territoires": form.show_territoires.data},
        "organisations": [{"name": organisation, "kind": form.organisation_kind.data,
                           "role": form.organisation_role.data}] if organisation else [],
    }


def competence_uris(text: str) -> list[str]:
    """Declared competences: a concept's URI when a line is one of its labels."""
    return [concept_for_label(instance(), line) or line.strip()
            for line in text.splitlines() if line.strip()]


def _save(person_id: str, form: ProfileForm, person: Person) -> None:
    reader = current_reader()
    update_profile(instance(), reader, person_id, _values(form))
    if form.consent.data:
        if not person.consented or person.visibility != form.visibility.data:
            set_consent(instance(), reader, person_id, form.visibility.data, True,
                        form.consent_note.data or "")
    elif person.consented:
        set_consent(instance(), reader, person_id, "association", False)


@bp.route("/personnes/<person_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(person_id: str) -> str | BaseResponse:
    reader = current_reader()
    view = get_profile(instance(), reader, person_id)
    if not view.can_edit:
        raise KbError("Seul·e la personne ou l'association peut modifier ce profil.", 403)
    person = view.person
    form = ProfileForm(data=_form_data(person, view))
    if form.validate_on_submit():
        try:
            _save(person_id, form, person)
        except KbError as error:
            refused(error)
        else:
            flash("Profil enregistré.", "success")
            return redirect(url_for("my_profile.edit", person_id=person_id))
    return render_template("people/edit.html", form=form, view=view, person=person,
                           visibility_labels=VISIBILITY_AUDIENCES,
                           consent_text=CONSENT_TEXT, delete_form=DeleteForm(),
                           on_behalf=is_association(reader) and person.user_id != reader.user_id)


@bp.get("/personnes/<person_id>/export.json")
@login_required
def export(person_id: str) -> Response:
    return attachment(json.dumps(export_person(instance(), current_reader(), person_id),
                                 ensure_ascii=False, indent=2), "application/json",
                      "mon-profil.json")


@bp.post("/personnes/<person_id>/supprimer")
@login_required
def delete(person_id: str) -> BaseResponse:
    form = DeleteForm()
    if not form.validate_on_submit():
        flash("Cochez la case pour confirmer la suppression.", "error")
        return redirect(url_for("my_profile.edit", person_id=person_id))
    changed = delete_person(instance(), current_reader(), person_id,
                            request.form.getlist("detacher"))
    flash(f"Profil supprimé ; nom retiré de {changed} document(s).", "success")
    return redirect(url_for("people.directory"))
