"""The association's review page: uncertain names, claims of profiles, same names, territories
to place. Every change is a button a person presses; nothing is merged silently."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kb.errors import KbError
from kb.people.review import (
    confirm_mention,
    decide_claim,
    link_territory_text,
    merge_people,
    review_queue,
    separate_mention,
)
from kb.people.territories import data as territory_data
from kb.people.territories import kinds
from webui.common.context import current_reader, instance, roles_required
from webui.common.feedback import refused
from webui.common.forms import ConfirmForm

bp = Blueprint("people_review", __name__, url_prefix="/annuaire/a-verifier")


@bp.get("/")
@roles_required("admin")
def queue() -> str:
    return render_template("people/review.html", queue=review_queue(instance(), current_reader()),
                           form=ConfirmForm(), kinds=kinds(),
                           departements=list(territory_data().departements.values()))


def _act(action: str) -> str:
    reader, form = current_reader(), request.form
    if action == "confirmer":
        confirm_mention(instance(), reader, int(form["mention"]), form["personne"])
        return "Nom rattaché au profil."
    if action == "separer":
        separate_mention(instance(), reader, int(form["mention"]))
        return "Profil distinct créé pour ce nom."
    if action in ("accepter", "refuser"):
        decide_claim(instance(), reader, form["personne"], action == "accepter")
        return "Demande acceptée : le compte est rattaché au profil." if action == "accepter" \
            else "Demande refusée."
    if action == "fusionner":
        merge_people(instance(), reader, form["garder"], form["absorber"])
        return "Profils fusionnés."
    if action == "territoire":
        link_territory_text(instance(), reader, form["texte"], form.get("departement", ""),
                            form.get("type", ""))
        return "Territoire rattaché."
    raise KbError("Action inconnue.", 400)


@bp.post("/<action>")
@roles_required("admin")
def act(action: str) -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        flash("Le formulaire a expiré : recommencez.", "error")
    else:
        try:
            flash(_act(action), "success")
        except (KbError, KeyError, ValueError) as error:
            refused(error if isinstance(error, KbError) else KbError("Formulaire incomplet.",
                                                                     400))
    return redirect(url_for("people_review.queue"))
