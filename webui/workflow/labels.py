"""Labels pages: the public list of labelled initiatives, and new label proposals."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kb.errors import KbError
from kb.workflow.labels import create_initiative, list_labels, propose_label
from webui.common.context import current_reader, instance, roles_required
from webui.workflow.forms import InitiativeForm

bp = Blueprint("labels", __name__)


@bp.get("/labels")
def index() -> str:
    """Public: the initiatives whose label is in force today."""
    return render_template("workflow/labels.html", entries=list_labels(instance()))


@bp.route("/labels/proposer", methods=["GET", "POST"])
@roles_required("admin")
def propose() -> str | Response | tuple[str, int]:
    """The association registers an initiative and proposes it for a label."""
    form = InitiativeForm()
    if form.validate_on_submit():
        reader = current_reader()
        try:
            initiative = create_initiative(instance(), reader, form.name.data or "",
                                           form.description.data or "",
                                           form.territory.data or "", form.carrier.data or "")
            dossier = propose_label(instance(), reader, initiative.id, form.kind.data or "",
                                    form.motivation.data or "")
        except KbError as error:
            if error.status >= 500:
                raise
            flash(f"Proposition refusée — {error.message}", "error")
            return render_template("workflow/label_propose.html", form=form), error.status
        flash("Dossier de labellisation ouvert.", "success")
        return redirect(url_for("workflow.show", dossier_id=dossier.id))
    status = 400 if form.errors else 200
    return render_template("workflow/label_propose.html", form=form), status
