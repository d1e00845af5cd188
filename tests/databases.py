"""The databases the tests run on: SQLite files, or PostgreSQL databases.

`KB_TEST_DATABASE` chooses: `sqlite` (the default: each instance gets its own file, as in
production), `postgresql` (a throwaway cluster is started in the temporary folder, on a free
loopback port, and removed at the end), or the URL of a PostgreSQL server where the user may
create databases (`postgresql+psycopg://kb@127.0.0.1:5432/postgres`).

On PostgreSQL, a template database is migrated once per test process; each test's instance
gets a clone of it, emptied (`TRUNCATE`) when handed to the next test: a fresh, migrated
database in a few tens of milliseconds. `blank()` gives an empty, unmigrated database for the
tests of the migrations themselves."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from kb.config import Settings

ENV_CHOICE = "KB_TEST_DATABASE"
# Set by the cluster started for the run, so that xdist workers share it.
ENV_SERVER = "KB_TEST_POSTGRES_SERVER"
# Blank databases are never reused: their schema is whatever their test made of it.
BLANK = "_blank"
DEDICATED = "_built"  # kept for the whole run
COPY = "_copy"  # dropped when given back


def backend() -> str:
    """`sqlite` or `postgresql`, from `KB_TEST_DATABASE`."""
    choice = os.environ.get(ENV_CHOICE, "sqlite").strip() or "sqlite"
    return "sqlite" if choice == "sqlite" else "postgresql"


def server_url() -> str | None:
    """The admin URL of the PostgreSQL server to use, if one is given rather than started."""
    choice = os.environ.get(ENV_CHOICE, "")
    if "://" in choice:
        return choice
    return os.environ.get(ENV_SERVER)


class Cluster:
    """A PostgreSQL cluster of its own, in a temporary folder, on a free loopback port.

    As root (CI), the server runs as the `postgres` account that Debian's package creates:
    PostgreSQL refuses to run as root."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="kb-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.folder, "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://kb@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "kb", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # Durability is not what the tests check: no fsync, faster by far.
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "start")
        atexit.register(self.stop)

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                      check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [*self.as_user, str(Path(self.bindir) / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.folder,
                                check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}")


def find_bindir() -> str:
    """Where `initdb` and `pg_ctl` are: on the PATH, or in Debian's versioned folders."""
    on_path = shutil.which("initdb")
    if on_path:
        return str(Path(on_path).parent)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return str(Path(found[-1]).parent)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresDatabases:
    """Databases on one server for one test process: clones of a migrated template, reused
    once emptied, and blank ones."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.prefix = f"kb_test_{os.getpid()}_{worker}"
        self.template = f"{self.prefix}_template"
        self.idle: list[str] = []
        self.created: list[str] = []
        self.tables: list[str] = []
        self.guarded: list[str] = []
        self.counter = 0

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def acquire(self) -> str:
        """The URL of a migrated, empty database that no one else uses."""
        if not self.tables:
            self._make_template()
        if self.idle:
            name = self.idle.pop()
            try:
                self._empty(name)
            except ProgrammingError:  # its test changed the schema (a restore that failed)
                self._replace(name)
        else:
            name = self._create(f"TEMPLATE {self.template}")
        return self.url(name)

    def release(self, url: str) -> None:
        name = make_url(url).database or ""
        if name.endswith(COPY):
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.created.remove(name)
        elif not name.endswith((BLANK, DEDICATED)):
            self.idle.append(name)

    def dedicated(self) -> str:
        """A migrated, empty database kept for one use the whole run (an instance built once
        and copied into tests)."""
        if not self.tables:
            self._make_template()
        return self.url(self._create(f"TEMPLATE {self.template}", suffix=DEDICATED))

    def clone(self, url: str) -> str:
        """A copy of the database of `url` (nobody may be connected to it)."""
        source = make_url(url).database
        return self.url(self._create(f'TEMPLATE "{source}"', suffix=COPY))

    def blank(self) -> str:
        """The URL of a new database with no schema at all (dropped at the end of the run)."""
        return self.url(self._create("TEMPLATE template0", suffix=BLANK))

    def close(self) -> None:
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()

    def _create(self, clause: str, suffix: str = "") -> str:
        self.counter += 1
        name = f"{self.prefix}_{self.counter}{suffix}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" {clause}'))
        self.created.append(name)
        return name

    def _replace(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE {self.template}'))

    def _make_template(self) -> None:
        from kb import db  # deferred: the SQLite runs never import the migrations here

        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.template}"'))
        self.created.append(self.template)
        engine = create_engine(self.url(self.template))
        db.upgrade(engine)
        with engine.connect() as connection:
            self.tables = list(connection.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename")))
            filled = [t for t in self.tables
                      if connection.scalar(text(f'SELECT count(*) FROM "{t}"'))]
            self.guarded = list(connection.scalars(text(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c "
                "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal")))
        engine.dispose()
        # Emptying a used database must give exactly what the migrations give.
        assert not filled, f"migrations put rows in {filled}: TRUNCATE would lose them"

    def _empty(self, name: str) -> None:
        # A test may have left an engine open: its connections would block TRUNCATE.
        with self.admin.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        engine = create_engine(self.url(name))
        with engine.begin() as connection:
            # The append-only history refuses TRUNCATE: its guard is lifted for this moment.
            for table in self.guarded:
                connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
            tables = ", ".join(f'"{t}"' for t in self.tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            for table in self.guarded:
                connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
        engine.dispose()


class SqliteDatabases:
    """The default: each instance keeps its own SQLite file in its home folder."""

    def acquire(self) -> None:
        return None

    def release(self, url: str) -> None:
        pass

    def blank(self) -> None:
        return None

    def dedicated(self) -> None:
        return None

    def clone(self, url: str) -> None:
        return None

    def close(self) -> None:
        pass


DatabasePool = SqliteDatabases | PostgresDatabases
# The `make_settings` fixture: `make_settings(name, **overrides)`, an instance in tmp_path/name.
MakeSettings = Callable[..., Settings]


def open_databases() -> DatabasePool:
    url = server_url()
    return PostgresDatabases(url) if url else SqliteDatabases()


def instance_settings(pool: DatabasePool, home: Path, blank: bool = False,
                      dedicated: bool = False, **overrides: object) -> Settings:
    """Settings of a new instance in `home`, with a fresh database of the run's kind (with no
    schema at all if `blank`, kept for the run if `dedicated`); give it back with
    `pool.release(settings.database_url)`."""
    url = pool.blank() if blank else pool.dedicated() if dedicated else pool.acquire()
    settings = Settings.for_home(home, **overrides)
    return replace(settings, database_url=url) if url else settings


def bare_settings(pool: DatabasePool, home: Path) -> Settings:
    """An instance whose database has no schema yet."""
    return instance_settings(pool, home, blank=True)
