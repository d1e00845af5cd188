"""Per-request access to the instance context, the signed-in user and the current reader."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from kb.accounts.users import reader_for
from kb.context import KbContext
from kb.errors import Forbidden
from kb.models import User
from kb.visibility import Reader


def instance() -> KbContext:
    """The kb instance this app serves."""
    return current_app.extensions["kb"]  # type: ignore[no-any-return]


def current_user() -> User | None:
    """The signed-in, active user whose session is still valid, or None."""
    if "user" not in g:
        g.user = None
        user_id = session.get("user_id")
        if user_id is not None:
            with instance().sessions() as db_session:
                user = db_session.get(User, user_id)
            if user and user.active and user.session_version == session.get("session_version"):
                g.user = user
            else:
                session.clear()
    return g.user  # type: ignore[no-any-return]


def current_reader() -> Reader:
    """The reader of this request: the signed-in user's rights, or an anonymous visitor's."""
    return reader_for(current_user())


def local_path(target: str | None) -> str | None:
    """`target` when it is a path of this site, else None: only those are followed after a
    form (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


def wants_json() -> bool:
    """The page's script asked for JSON (a form posted in the background)."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) \
        == "application/json"


MEMBERS_ONLY = "Cette page est réservée aux membres de l'alliance : connectez-vous pour y accéder."


def to_sign_in() -> Response:
    """Send a visitor to the sign-in form, saying why, and back here afterwards."""
    flash(MEMBERS_ONLY, "info")
    return redirect(url_for("auth.login", suivant=request.full_path.rstrip("?")))


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return to_sign_in()
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-in users holding one of `roles` (administrators always pass)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return to_sign_in()
            if user.role != "admin" and user.role not in roles:
                raise Forbidden("Votre rôle ne permet pas cette action.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
