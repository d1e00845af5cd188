"""Migrations: the migrated schema is exactly the models' schema, and upgrades are idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kb import db
from kb.config import Settings
from kb.context import KbContext
from kb.errors import ConfigError
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


def test_postgresql_urls_use_psycopg_3(tmp_path: Path) -> None:
    settings = Settings.for_home(tmp_path, database_url="postgresql://kb:secret@db.example/kb")
    url = db.database_url(settings)
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "db.example", "kb")


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://kb@localhost/kb", "base « mysql » non prise en charge"),
    ("pas une url", "URL illisible"),
])
def test_unsupported_databases_are_named(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        db.make_engine(Settings.for_home(tmp_path, database_url=url))


def test_an_unreachable_server_is_said_without_its_password(tmp_path: Path) -> None:
    settings = Settings.for_home(tmp_path, database_url="postgresql://kb:secret@127.0.0.1:1/kb")
    with pytest.raises(ConfigError, match=r"base de données injoignable \(postgresql\+psycopg"
                                          r"://kb:\*\*\*@127.0.0.1:1/kb\) : ") as error:
        KbContext.open(settings)
    assert "secret" not in error.value.message
