"""Personal API tokens: made for a member, shown once, kept as a SHA-256 hash, revoked by
the member; the API reads with the member's current rights (role, groups, active account).

A token is 32 random bytes: a fast hash is enough to store it (nothing to guess), and it
lets a request find its token by hash in one indexed lookup."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import ApiToken, User, utcnow

PREFIX = "kb_"
MAX_ACTIVE = 20
LIFETIMES_DAYS = (30, 90, 365)  # or none: the token lasts until revoked
# Last use is written at most this often, so that a busy client does not write on each call.
TOUCH_EVERY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` is shown to the member this once and kept nowhere."""

    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _refused() -> Forbidden:
    return Forbidden("jeton d'API inconnu, révoqué ou expiré", status=401)


def create_token(ctx: KbContext, user_id: int, name: str,
                 lifetime_days: int | None = 365) -> NewToken:
    name = " ".join(name.split())[:100]
    if not name:
        raise InvalidInput("nom du jeton manquant : dites à quoi il servira")
    if lifetime_days is not None and lifetime_days not in LIFETIMES_DAYS:
        raise InvalidInput(f"durée de validité inconnue : {lifetime_days} jours")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with ctx.sessions.begin() as session:
        if session.get(User, user_id) is None:
            raise NotFound("Compte introuvable.")
        if len(_active(session, user_id, now)) >= MAX_ACTIVE:
            raise InvalidInput(f"{MAX_ACTIVE} jetons actifs au plus : révoquez-en un d'abord")
        token = ApiToken(user_id=user_id, name=name, token_hash=_digest(secret),
                         prefix=secret[:len(PREFIX) + 6], created_at=now,
                         expires_at=now + dt.timedelta(days=lifetime_days)
                         if lifetime_days else None)
        session.add(token)
    return NewToken(token, secret)


def _active(session: Session, user_id: int, now: dt.datetime) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
                               (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def list_tokens(ctx: KbContext, user_id: int) -> list[ApiToken]:
    """The member's tokens still valid, newest first."""
    with ctx.sessions() as session:
        return _active(session, user_id, utcnow())


def revoke_token(ctx: KbContext, user_id: int, token_id: int) -> ApiToken:
    """Revoke one of the member's own tokens (another's is not found)."""
    with ctx.sessions.begin() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != user_id or token.revoked_at is not None:
            raise NotFound("Jeton introuvable.")
        token.revoked_at = utcnow()
        return token


def user_for_token(ctx: KbContext, secret: str) -> User:
    """The active member whose valid token this is; the same 401 error whatever was wrong."""
    if not secret.startswith(PREFIX):
        raise _refused()
    now = utcnow()
    with ctx.sessions() as session:
        row = session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == _digest(secret))).one_or_none()
        if row is None:
            raise _refused()
        token, user = row
        expired = token.expires_at is not None and token.expires_at <= now
        if token.revoked_at is not None or expired or not user.active:
            raise _refused()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        with ctx.sessions.begin() as session:
            session.execute(update(ApiToken).where(ApiToken.id == token.id)
                            .values(last_used_at=now))
    return user

