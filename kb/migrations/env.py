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
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
