"""The declarative base shared by every model, and small column helpers."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def new_id() -> str:
    """A stable, URL-safe identifier."""
    return uuid.uuid4().hex[:16]


def utcnow() -> dt.datetime:
    """Naive UTC now, as stored in the database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
