"""Migrations: the migrated schema is exactly the models' schema, and upgrades are idempotent."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kb import db
from kb.config import Settings
from kb.models import Base


def test_migrations_match_models(settings: Settings) -> None:
    engine = db.make_engine(settings)
    db.upgrade(engine)
    db.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []
    assert db.is_initialised(engine)
    engine.dispose()
