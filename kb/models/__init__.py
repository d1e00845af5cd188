"""Typed SQLAlchemy models, one module per area; importing this package registers them all."""

from kb.models.accounts import ROLE_LABELS, User
from kb.models.base import Base, new_id, utcnow
from kb.models.documents import (
    DOCTRINE_STATUSES,
    KIND_LABELS,
    KINDS,
    Document,
    Revision,
)

__all__ = [
    "DOCTRINE_STATUSES",
    "KINDS",
    "KIND_LABELS",
    "ROLE_LABELS",
    "Base",
    "Document",
    "Revision",
    "User",
    "new_id",
    "utcnow",
]
