"""Migrations: the migrated schema is exactly the models' schema, and upgrades are idempotent."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kb import db
from kb.config import Settings
from kb.models import Base


def test_migrations_match_models(bare_settings: Settings) -> None:
    engine = db.make_engine(bare_settings)
    assert not db.is_initialised(engine)
    db.upgrade(engine)
    db.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []
    assert db.is_initialised(engine)
    engine.dispose()


def test_newest_revision_is_alembics_single_head() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(db.alembic_config(None))  # type: ignore[arg-type]
    assert scripts.get_heads() == [db.newest_revision()]


def test_an_empty_folder_holds_no_instance_and_asking_creates_nothing(tmp_path: Path) -> None:
    settings = Settings.for_home(tmp_path / "vide")
    assert not db.holds_instance(settings)
    assert not (tmp_path / "vide").exists()
    engine = db.make_engine(settings)
    assert not db.holds_instance(settings)  # nor does a folder without a database
    db.upgrade(engine)
    assert db.holds_instance(settings)
    assert db.current_revision(engine) == db.newest_revision()
    engine.dispose()
