"""Database engine, sessions and schema migrations, all built from `Settings`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kb.config import Settings
from kb.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SUPPORTED = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def database_url(settings: Settings) -> URL:
    """The instance's database URL, checked; a bare `postgresql://` means psycopg 3 (left
    alone, SQLAlchemy would look for psycopg2)."""
    try:
        url = make_url(settings.database_url)
    except ArgumentError as exc:
        raise ConfigError("KB_DATABASE_URL : URL illisible (attendu par exemple "
                          "postgresql://utilisateur:motdepasse@serveur/base)") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in SUPPORTED:
        raise ConfigError(f"KB_DATABASE_URL : base « {url.get_backend_name()} » non prise en "
                          "charge (SQLite ou PostgreSQL)")
    return url


def make_engine(settings: Settings) -> Engine:
    """An engine for the instance's database; SQLite gets WAL and foreign keys."""
    url = database_url(settings)
    if url.get_backend_name() == "sqlite":
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True,
                             connect_args={"application_name": "kb"})
    except ImportError as exc:
        raise ConfigError(f"KB_DATABASE_URL désigne PostgreSQL mais son pilote n'est pas "
                          f"installé ({exc.name}) : pip install 'kb-fdt[postgres]'") from exc


def check_connection(engine: Engine) -> None:
    """Connect once, so that a server down or a wrong password is said plainly."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise unreachable(engine.url, exc) from exc


def unreachable(url: URL, exc: OperationalError) -> ConfigError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    where = url.render_as_string(hide_password=True)
    return ConfigError(f"base de données injoignable ({where}) : {detail}")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the web app read while an ingest writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    # Deferred: Alembic is needed only when the schema is behind, not by every command.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration, or to `revision` (idempotent)."""
    if revision == "head" and current_revision(engine) == newest_revision():
        return  # already there: spares every command the loading of the migration scripts
    from alembic import command  # deferred, as above

    command.upgrade(alembic_config(engine), revision)


def newest_revision() -> str:
    """The head revision, from the file names: each migration is `NNNN_name.py` with revision
    `NNNN` and revises the one before (`tests/test_db.py` checks it against Alembic's)."""
    return known_revisions()[-1]


def known_revisions() -> list[str]:
    """The migrations this version of kb knows, oldest first, from the file names."""
    names = (path.name for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))
    return sorted(name.partition("_")[0] for name in names)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    if not is_initialised(engine):
        return None
    with engine.connect() as connection:
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


def holds_instance(settings: Settings) -> bool:
    """Whether the instance's database exists and was migrated at least once (no file or
    table is created by asking)."""
    url = database_url(settings)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).is_file():
            return False
    engine = create_engine(url)
    try:
        return is_initialised(engine)
    except OperationalError as exc:
        raise unreachable(url, exc) from exc
    finally:
        engine.dispose()
