"""Alembic environment: runs migrations on the engine handed over by `kb.db.upgrade`."""

from __future__ import annotations

from alembic import context

from kb.models import Base

target_metadata = Base.metadata
engine = context.config.attributes.get("engine")
if engine is None:  # pragma: no cover - alembic CLI use
    from kb.config import Settings
    from kb.db import make_engine

    engine = make_engine(Settings.from_env())

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds a table (copy, drop, rename): with foreign keys on,
        # dropping the old `documents` would cascade to its revisions. The pragma is only
        # read outside a transaction; the check after the migrations finds any broken key.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=sqlite)
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        if broken:
            raise RuntimeError(f"clés étrangères rompues après migration : {broken[:5]}")
