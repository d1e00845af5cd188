"""Administration of accounts: create users, set roles and groups, disable."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kb.accounts.users import create_user, list_users, set_active, set_groups, set_role
from kb.errors import KbError
from webui.accounts.forms import UserCreateForm, UserUpdateForm
from webui.common.context import current_user, instance, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _groups(raw: str | None) -> list[str]:
    return [g.strip() for g in (raw or "").split(",") if g.strip()]


@bp.route("/utilisateurs", methods=["GET", "POST"])
@roles_required("admin")
def users() -> str | Response:
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            created = create_user(instance(), form.email.data or "", form.password.data or "",
                                  form.role.data or "allie", form.display_name.data or "",
                                  _groups(form.groups.data))
        except KbError as error:
            flash(f"Compte non créé : {error.message}.", "error")
        else:
            flash(f"Compte créé pour {created.email} ({created.display_name}).", "success")
            return redirect(url_for("admin.users"))
    accounts = list_users(instance())
    forms = {u.id: UserUpdateForm(prefix=f"u{u.id}", role=u.role, groups=", ".join(u.groups),
                                  active=u.active) for u in accounts}
    return render_template("admin_users.html", form=form, accounts=accounts, forms=forms)


@bp.post("/utilisateurs/<int:user_id>")
@roles_required("admin")
def update_user(user_id: int) -> Response:
    form = UserUpdateForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        flash("Modification refusée : formulaire invalide.", "error")
        return redirect(url_for("admin.users"))
    me = current_user()
    if me is not None and me.id == user_id and (form.role.data != "admin" or not form.active.data):
        flash("Vous ne pouvez pas retirer vos propres droits d'administration.", "error")
        return redirect(url_for("admin.users"))
    set_role(instance(), user_id, form.role.data or "allie")
    set_groups(instance(), user_id, _groups(form.groups.data))
    set_active(instance(), user_id, bool(form.active.data))
    flash("Compte mis à jour.", "success")
    return redirect(url_for("admin.users"))
