"""Accounts: creation, sign-in, roles, password changes; the reader a user stands for."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from kb.accounts.names import check_display_name
from kb.context import KbContext
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.models import User, utcnow
from kb.visibility import ROLES, Reader

MIN_PASSWORD = 10
# scrypt with N=2**15, r=8, p=1 (werkzeug's default, written out): about 0.1 s per hash. The
# parameters are stored in each hash, so that raising them later still checks older ones.
PASSWORD_METHOD = "scrypt:32768:8:1"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked against when the email is unknown, so that timing does not tell who has an account.
_DUMMY_HASH = generate_password_hash("kb-dummy-password", method=PASSWORD_METHOD)


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"adresse e-mail invalide : « {email} »")
    return email


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
    return password


def hash_password(password: str) -> str:
    """The stored form of a password that passed `check_password`."""
    return generate_password_hash(check_password(password), method=PASSWORD_METHOD)


def create_user(ctx: KbContext, email: str, password: str, role: str = "allie",
                display_name: str = "", groups: list[str] | None = None) -> User:
    """A new account; its display name (what others see, never the address) is required."""
    email = normalize_email(email)
    name = check_display_name(display_name)
    user = User(email=email, password_hash=hash_password(password),
                role=check_role(role), display_name=name,
                groups=sorted({g.strip().lower() for g in groups or [] if g.strip()}))
    with ctx.sessions.begin() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise Conflict(f"un compte existe déjà pour {email}")
        session.add(user)
    return user


def get_user(ctx: KbContext, user_id: int) -> User:
    with ctx.sessions() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Compte introuvable.")
        return user


def find_user(ctx: KbContext, email: str) -> User:
    with ctx.sessions() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            raise NotFound(f"aucun compte pour {email.strip().lower()}")
        return user


def list_users(ctx: KbContext) -> list[User]:
    with ctx.sessions() as session:
        return list(session.scalars(select(User).order_by(User.email)))


def authenticate(ctx: KbContext, email: str, password: str) -> User:
    """The active user with these credentials; the same error whatever was wrong."""
    refused = Forbidden("Adresse ou mot de passe incorrect.", status=401)
    try:
        email = normalize_email(email)
    except InvalidInput:
        raise refused from None
    with ctx.sessions.begin() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
            raise refused
        if not check_password_hash(user.password_hash, password) or not user.active:
            raise refused
        user.last_login_at = utcnow()
        return user


def _update(ctx: KbContext, user_id: int, **changes: object) -> User:
    with ctx.sessions.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Compte introuvable.")
        for name, value in changes.items():
            setattr(user, name, value)
        return user


def set_role(ctx: KbContext, user_id: int, role: str) -> User:
    return _update(ctx, user_id, role=check_role(role))


def set_display_name(ctx: KbContext, user_id: int, display_name: str) -> User:
    """The name others see; chosen by its owner (or an administrator), no longer derived."""
    return _update(ctx, user_id, display_name=check_display_name(display_name),
                   display_name_derived=False)


def set_groups(ctx: KbContext, user_id: int, groups: list[str]) -> User:
    return _update(ctx, user_id, groups=sorted({g.strip().lower() for g in groups if g.strip()}))


def set_active(ctx: KbContext, user_id: int, active: bool) -> User:
    user = get_user(ctx, user_id)
    return _update(ctx, user_id, active=active, session_version=user.session_version + 1)


def change_password(ctx: KbContext, user_id: int, current: str, new: str) -> User:
    user = get_user(ctx, user_id)
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput("mot de passe actuel incorrect")
    return _update(ctx, user_id, password_hash=hash_password(new),
                   session_version=user.session_version + 1)


def reader_for(user: User | None) -> Reader:
    """The visibility reader a signed-in user stands for (anonymous without a user)."""
    if user is None or not user.active:
        return Reader.anonymous()
    return Reader(user_id=user.id, roles=frozenset({user.role}), groups=frozenset(user.groups))
