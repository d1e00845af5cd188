"""The database's tables as database-neutral rows: one JSON object per row, read from one
consistent snapshot, and written back into SQLite or PostgreSQL.

Tables are found by reflecting the database, not listed by hand: a table added by a later
migration is in every backup without anyone thinking of it."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from more_itertools import chunked
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    Time,
    func,
    select,
    text,
)
from sqlalchemy.types import TypeEngine

from kb.errors import InvalidInput

VERSION_TABLE = "alembic_version"
BATCH = 500
Decoder = Callable[[Any], Any]
DECODERS: list[tuple[type, Decoder]] = [
    (DateTime, dt.datetime.fromisoformat),
    (Date, dt.date.fromisoformat),
    (Time, dt.time.fromisoformat),
    (LargeBinary, base64.b64decode),
    (Float, float),  # before Numeric, of which it is a kind
    (Numeric, decimal.Decimal),
]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one state of the database from its first query to
    its end, while the service keeps writing."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite starts no transaction for reads; WAL keeps this one's snapshot.
            connection.exec_driver_sql("BEGIN")
        else:
            connection.execution_options(isolation_level="REPEATABLE READ",
                                         postgresql_readonly=True)
        try:
            yield connection
        finally:
            connection.rollback()


def data_tables(connection: Connection) -> list[Table]:
    """Every table of the database but Alembic's, parents before the tables that refer to
    them."""
    metadata = MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables if t.name != VERSION_TABLE]


def schema_revision(connection: Connection) -> str | None:
    metadata = MetaData()
    metadata.reflect(connection, only=lambda name, _: name == VERSION_TABLE)
    if VERSION_TABLE not in metadata.tables:
        return None
    return connection.scalar(select(metadata.tables[VERSION_TABLE].c.version_num))


def encode(value: Any) -> Any:
    """A column value as JSON: dates in ISO 8601, bytes in base64, JSON columns as they are."""
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def decoder(column_type: TypeEngine[Any]) -> Decoder:
    """How to turn a JSON value back into what the column takes."""
    for kind, parse in DECODERS:
        if isinstance(column_type, kind):
            return lambda value: None if value is None else parse(value)
    return lambda value: value



def table_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows in primary-key order, encoded."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*order))
    for row in result.mappings():
        yield {name: encode(value) for name, value in row.items()}


def count_rows(connection: Connection, table: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def insert_rows(connection: Connection, table: Table, rows: Iterable[dict[str, Any]],
                where: str) -> int:
    """Insert encoded rows into `table`; a row whose columns differ from the table's is an
    error naming `where` (the archive member) and the line."""
    decoders = {column.name: decoder(column.type) for column in table.columns}
    expected = set(decoders)
    count = 0
    for batch in chunked(rows, BATCH):
        values = []
        for row in batch:
            count += 1
            if set(row) != expected:
                raise InvalidInput(_column_mismatch(where, count, set(row), expected))
            values.append({name: decoders[name](value) for name, value in row.items()})
        connection.execute(table.insert(), values)
    return count


def _column_mismatch(where: str, line: int, found: set[str], expected: set[str]) -> str:
    unknown, missing = sorted(found - expected), sorted(expected - found)
    parts = ([f"colonnes inconnues : {', '.join(unknown)}"] if unknown else []) + (
        [f"colonnes absentes : {', '.join(missing)}"] if missing else [])
    return f"{where}, ligne {line} : {' ; '.join(parts)}"


def reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL hands out ids from sequences that inserted ids do not advance: move each
    one past the largest id restored. (SQLite takes the largest id itself.)"""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                         {"t": quote(table.name), "c": column.name})
            if sequence:
                connection.execute(text(
                    f"SELECT setval(:s, coalesce(max({quote(column.name)}), 0) + 1, false) "
                    f"FROM {quote(table.name)}"), {"s": sequence})
