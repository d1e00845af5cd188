"""Personal API tokens on the account page: made (and shown once), listed, revoked."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kb.accounts.tokens import create_token, list_tokens, revoke_token
from kb.errors import KbError
from webui.accounts.forms import NAME_HELP, DisplayNameForm, PasswordChangeForm, TokenForm
from webui.common.context import current_user, instance, login_required
from webui.common.forms import ConfirmForm

bp = Blueprint("tokens", __name__, url_prefix="/compte/jetons")


def account_page(password_form: PasswordChangeForm | None = None,
                 token_form: TokenForm | None = None, new_secret: str | None = None,
                 status: int = 200, name_form: DisplayNameForm | None = None
                 ) -> tuple[str, int]:
    """The account page with its display name, password and token forms."""
    user = current_user()
    assert user is not None
    name_form = name_form or DisplayNameForm(formdata=None, prefix="nom",
                                             display_name=user.display_name)
    return render_template("account.html", user=user, form=password_form or PasswordChangeForm(),
                           name_form=name_form, name_help=NAME_HELP,
                           token_form=token_form or TokenForm(), confirm=ConfirmForm(),
                           tokens=list_tokens(instance(), user.id),
                           new_secret=new_secret), status


@bp.post("")
@login_required
def create() -> tuple[str, int] | Response:
    user = current_user()
    assert user is not None
    form = TokenForm()
    if not form.validate_on_submit():
        return account_page(token_form=form, status=400)
    try:
        made = create_token(instance(), user.id, form.name.data or "",
                            int(form.lifetime.data) if form.lifetime.data else None)
    except KbError as error:
        flash(f"Jeton non créé : {error.message}.", "error")
        return account_page(token_form=form, status=error.status)
    # Shown in this response only: never in a flash message, which the session cookie keeps.
    response = make_response(account_page(token_form=TokenForm(formdata=None),
                                          new_secret=made.secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:token_id>/revoquer")
@login_required
def revoke(token_id: int) -> Response:
    user = current_user()
    assert user is not None
    if ConfirmForm().validate_on_submit():
        revoked = revoke_token(instance(), user.id, token_id)
        flash(f"Jeton « {revoked.name} » révoqué : il ne donne plus accès à l'API.", "success")
    return redirect(url_for("auth.account") + "#jetons")
