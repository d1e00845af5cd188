"""User accounts: email, hashed password, one role, named groups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, one_of, utcnow

ROLE_LABELS = {
    "allie": "allié·e",
    "maieuticien": "maïeuticien·ne",
    "formateur": "formateur·rice",
    "collectif": "membre du collectif qualifié",
    "admin": "administrateur·rice",
}


class User(Base):
    """A member of the alliance who signs in; visitors without an account have no row."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # What others see of the account, never the address (`kb.accounts.names`).
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # True when kb derived the name from the address: its owner is invited to choose one.
    display_name_derived: Mapped[bool] = mapped_column(default=False,
                                                       server_default=false())
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="allie")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or disabling: older sessions stop being valid.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    __table_args__ = (one_of("role", ROLE_LABELS),)

    @property
    def name(self) -> str:
        """The display name; never the email address, which others must not see."""
        return self.display_name or f"compte n° {self.id}"


class ApiToken(Base):
    """A member's personal API token: only its SHA-256 is kept (the token is shown once);
    the API then reads with the member's current rights until it is revoked or expires."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so that a member can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
