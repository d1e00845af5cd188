"""The declarative base shared by every model, and small column helpers."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from functools import cache

from sqlalchemy import CheckConstraint, MetaData, String, Table, event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapper

from kb.errors import InvalidInput


class Base(DeclarativeBase):
    # SQLAlchemy's default index names, and CHECK constraints named after their table:
    # `ck_<table>_<column>_allowed`.
    metadata = MetaData(naming_convention={"ix": "ix_%(column_0_label)s",
                                           "ck": "ck_%(table_name)s_%(constraint_name)s"})


def one_of(column: str, values: Iterable[str]) -> CheckConstraint:
    """The database refuses any value of `column` outside `values` (a model's state tuple)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_allowed")


def new_id() -> str:
    """A stable, URL-safe identifier."""
    return uuid.uuid4().hex[:16]


def utcnow() -> dt.datetime:
    """Naive UTC now, as stored in the database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# Texts longer than their VARCHAR(n) column: PostgreSQL refuses them with a bare error, SQLite
# keeps them whole. Both refuse them here, naming the field.

def check_lengths(limits: Iterable[tuple[str, int]], values: Mapping[str, object],
                  what: str = "") -> None:
    for name, limit in limits:
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            where = f"{what} : " if what else ""
            raise InvalidInput(f"{where}champ « {name} » trop long ({len(value)} caractères, "
                               f"{limit} au plus)")


def table_limits(table: Table) -> list[tuple[str, int]]:
    """(column, longest text) for each `VARCHAR(n)` column: for rows written in bulk."""
    return [(c.name, c.type.length) for c in table.columns
            if isinstance(c.type, String) and c.type.length]


@cache
def _mapper_limits(mapper: Mapper[Base]) -> list[tuple[str, int]]:
    return [(prop.key, column.type.length) for prop in mapper.column_attrs
            for column in prop.columns
            if isinstance(column.type, String) and column.type.length]


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _check_row_lengths(mapper: Mapper[Base], _connection: Connection, target: Base) -> None:
    # The loaded values only: reading an expired attribute would query during the flush.
    check_lengths(_mapper_limits(mapper), inspect(target).dict, mapper.persist_selectable.name)
