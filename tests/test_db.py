"""Migrations: the migrated schema is exactly the models' schema, and upgrades are idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

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


def model_checks() -> dict[str, set[str]]:
    return {table.name: {str(c.name) for c in table.constraints
                         if isinstance(c, CheckConstraint) and str(c.name).startswith("ck_")}
            for table in Base.metadata.sorted_tables}


def test_the_database_enforces_each_state_tuple(settings: Settings) -> None:
    engine = db.make_engine(settings)
    inspector = inspect(engine)
    for table, names in model_checks().items():
        found = {c["name"] for c in inspector.get_check_constraints(table)}
        assert names <= found, table
    assert sum(len(names) for names in model_checks().values()) >= 20
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (email, display_name, display_name_derived, password_hash, role, "
            "groups, active, session_version, created_at) VALUES ('a@b.fr', 'A', FALSE, "
            "'-', 'allie', '[]', TRUE, 1, '2025-01-01 00:00:00')"))
    for statement in ("UPDATE users SET role = 'chef'",
                      "INSERT INTO dossiers (id, kind, subject_title, state, proposer_id, "
                      "motivation, round, criteria, version, created_at, updated_at) VALUES "
                      "('d1', 'doctrine', 'Sujet', 'perdu', 1, '', 1, '{}', 1, "
                      "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"):
        with pytest.raises(IntegrityError, match="ck_"), engine.begin() as connection:
            connection.execute(text(statement))
    engine.dispose()


def test_adding_the_checks_keeps_every_row(bare_settings: Settings, tmp_path: Path) -> None:
    """SQLite rebuilds each table to add a CHECK: the documents' revisions, tags and sheets
    must survive it (foreign keys are off while migrating, then checked)."""
    engine = db.make_engine(bare_settings)
    config = db.alembic_config(engine)
    command.upgrade(config, "0014")
    rows = {
        "documents": "INSERT INTO documents (id, source_key, title, kind, authors, themes, "
                     "language, visibility, groups, doctrine_status, content_hash, media_type, "
                     "original_name, text, sections, warnings, extra, created_at, updated_at, "
                     "index_pending) VALUES ('doc1', 'a.md', 'A', 'outil', '[]', '[]', 'fr', "
                     "'membres', '[]', 'aucun', 'h', 'text/markdown', 'a.md', 'Texte', '[]', "
                     "'[]', '{}', '2025-01-01', '2025-01-01', FALSE)",
        "revisions": "INSERT INTO revisions (document_id, number, content_hash, media_type, "
                     "original_name, size, title, text, metadata, created_at) VALUES ('doc1', "
                     "1, 'h', 'text/markdown', 'a.md', 5, 'A', 'Texte', '{}', '2025-01-01')",
    }
    with engine.begin() as connection:
        for statement in rows.values():
            connection.execute(text(statement))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        for table in rows:
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    command.downgrade(config, "0014")
    command.upgrade(config, "head")
    engine.dispose()
