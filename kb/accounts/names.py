"""Display names: what others see of an account, never its email address.

Every account has a display name, chosen at creation (web or command line) and editable by
its owner. Accounts created before names were required got one derived from their address
(`derive_display_name`), flagged so that their owner is invited to choose it.
`EmailMask` replaces the addresses an older record may hold with the accounts' names.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.errors import InvalidInput
from kb.models import User

MAX_NAME = 100
_SEPARATORS = re.compile(r"[._\-+]+")
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+$")


def check_display_name(name: str | None) -> str:
    """The cleaned name (one line, spaces collapsed); a missing, over-long or address-like
    name is refused, naming the field."""
    text = " ".join("".join(ch for ch in unicodedata.normalize("NFC", name or "")
                            if unicodedata.category(ch)[0] != "C").split())
    if not text:
        raise InvalidInput("nom affiché : obligatoire (c'est ce que les autres membres voient, "
                           "jamais votre adresse)")
    if len(text) > MAX_NAME:
        raise InvalidInput(f"nom affiché : {MAX_NAME} caractères au plus")
    if "@" in text:
        raise InvalidInput("nom affiché : une adresse e-mail ne peut pas servir de nom affiché")
    return text


def derive_display_name(email: str) -> str:
    """A provisional name from the part before the @: « jeanne.dupont » → « Jeanne Dupont »."""
    local = email.split("@", 1)[0]
    words = [w for w in _SEPARATORS.split(local) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)[:MAX_NAME] or "Membre"


class EmailMask:
    """Replaces account addresses found in stored texts with the accounts' display names."""

    def __init__(self, names_by_email: dict[str, str]) -> None:
        self.names = names_by_email

    @classmethod
    def load(cls, session: Session) -> EmailMask:
        return cls({user.email: user.name for user in session.scalars(select(User))})

    def text(self, value: str) -> str:
        if "@" not in value or not _EMAIL_LIKE.match(value.strip()):
            return value
        return self.names.get(value.strip().lower(), "membre")

    def value(self, value: object) -> object:
        """`value` with every string that is an account's address replaced, in depth."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value
