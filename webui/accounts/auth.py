"""Sign in, sign out, display name and password; failed sign-ins are limited per account
and per address (`kb.accounts.signin`)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from kb.accounts.signin import SignInGuard, TooManyAttempts
from kb.accounts.users import change_password, set_display_name
from kb.errors import InvalidInput, KbError
from webui.accounts.forms import DisplayNameForm, LoginForm, PasswordChangeForm
from webui.accounts.tokens import account_page
from webui.common.context import current_user, instance, local_path, login_required

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """One sign-in guard (failure counters) per app."""
    app.extensions["kb_signin"] = SignInGuard()
    app.register_blueprint(bp)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    return local_path(target) or url_for("search.home")


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        guard: SignInGuard = current_app.extensions["kb_signin"]
        try:
            # Behind trusted proxies (KB_TRUSTED_PROXIES), ProxyFix set the client's address.
            user = guard.sign_in(instance(), form.email.data or "", form.password.data or "",
                                 request.remote_addr or "")
        except TooManyAttempts as refusal:
            flash(refusal.message, "error")
            response = make_response(render_template("login.html", form=form), 429)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        except KbError:
            flash("Adresse ou mot de passe incorrect.", "error")
            return make_response(render_template("login.html", form=form), 401)
        session.clear()
        session.permanent = True
        session["user_id"] = user.id
        session["session_version"] = user.session_version
        flash(f"Bienvenue, {user.name}.", "success")
        if user.display_name_derived:
            flash(f"Votre nom affiché, « {user.name} », a été tiré de votre adresse : "
                  "choisissez celui que verront les autres membres, sur « Mon compte ».", "info")
        return redirect(_safe_next(request.args.get("suivant")))
    return render_template("login.html", form=form)


@bp.post("/deconnexion")
def logout() -> Response:
    session.clear()
    flash("Vous êtes déconnecté·e.", "success")
    return redirect(url_for("search.home"))


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def account() -> tuple[str, int] | Response:
    user = current_user()
    assert user is not None
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            updated = change_password(instance(), user.id, form.current.data or "",
                                      form.new.data or "")
        except KbError as error:
            flash(f"Mot de passe inchangé : {error.message}.", "error")
            return account_page(password_form=form, status=400)
        session["session_version"] = updated.session_version
        flash("Mot de passe modifié. Vos autres sessions sont fermées.", "success")
        return redirect(url_for("auth.account"))
    return account_page(password_form=form)


@bp.post("/compte/nom")
@login_required
def rename() -> tuple[str, int] | Response:
    """The signed-in person chooses the name others see."""
    user = current_user()
    assert user is not None
    form = DisplayNameForm(prefix="nom")
    if form.validate_on_submit():
        try:
            set_display_name(instance(), user.id, form.display_name.data or "")
        except InvalidInput as error:
            form.display_name.errors = [error.message.split(" : ", 1)[-1]]
        else:
            flash("Nom affiché enregistré.", "success")
            return redirect(url_for("auth.account"))
    return account_page(name_form=form, status=400)
