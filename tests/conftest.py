"""Shared fixtures: isolated instances on `tmp_path`, the app, the CLI runner, the corpus."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from kb.accounts import users
from kb.config import Settings
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tagging import tag_documents
from tests import databases
from tests.databases import DatabasePool, SqliteDatabases
from tests.instances import Build, InstanceTemplates, based_on, empty_instance

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


# Test accounts hash passwords with a low scrypt cost, as Django's documentation advises for
# test suites: the same werkzeug code path, a hundredth of the time; so does the hash an
# unknown address is checked against. `tests/test_accounts.py` checks the production costs,
# kept here.
PRODUCTION_PASSWORD_METHOD = users.PASSWORD_METHOD
PRODUCTION_DUMMY_HASH = users._DUMMY_HASH
TEST_PASSWORD_METHOD = "scrypt:256:8:1"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    patch.setattr(users, "PASSWORD_METHOD", TEST_PASSWORD_METHOD)
    patch.setattr(users, "_DUMMY_HASH", generate_password_hash("kb-dummy-password",
                                                               method=TEST_PASSWORD_METHOD))
    yield
    patch.undo()


def pytest_configure(config: pytest.Config) -> None:
    # One cluster for the whole run, started before xdist's workers (which inherit the URL).
    if databases.backend() == "postgresql" and not databases.server_url():
        cluster = databases.Cluster()
        cluster.start()
        os.environ[databases.ENV_SERVER] = cluster.url
        config.add_cleanup(cluster.stop)
    if databases.backend() == "postgresql":
        # A test that leaves an engine open leaks its connections; psycopg then warns when
        # they are collected, during whichever later test: not that test's failure.
        config.addinivalue_line("filterwarnings",
                                "ignore:.*was deleted while still open:ResourceWarning")


def pytest_report_header() -> str:
    return f"database: {databases.backend()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # On PostgreSQL, only the tests that use a database run again (see the README).
    if databases.backend() == "sqlite":
        return
    keep = [item for item in items if "test_databases" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture(scope="session")
def test_databases() -> Iterator[DatabasePool]:
    """Where the instances of this run keep their data (`KB_TEST_DATABASE`)."""
    pool = databases.open_databases()
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def instance_templates(tmp_path_factory: pytest.TempPathFactory,
                       test_databases: DatabasePool) -> InstanceTemplates:
    return InstanceTemplates(tmp_path_factory, test_databases)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> InstanceTemplates:
    """Instances on SQLite whatever `KB_TEST_DATABASE` says, for the tests that only run on
    SQLite (the seeded site of the browser tests)."""
    return InstanceTemplates(tmp_path_factory, SqliteDatabases())


def ingested_corpus(ctx: KbContext, folder: Path) -> None:
    """Build: the shipped corpus ingested, without a thesaurus."""
    report = ingest_paths(ctx, [CORPUS / "documents"])
    assert not report.failed, [f"{o.source_key}: {o.message}" for o in report.failed]


@based_on(ingested_corpus)
def tagged_corpus(ctx: KbContext, folder: Path) -> None:
    """Build: the shipped corpus with the doctrine thesaurus, tagged as an ingest after the
    import would have tagged it (the same `tag_documents`), the ingest shared with
    `ingested_corpus`."""
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    with ctx.sessions() as session:
        tag_documents(ctx, list(session.scalars(select(Document.id))))


def _build_of(request: pytest.FixtureRequest) -> Build:
    marker = request.node.get_closest_marker("instance")
    return marker.args[0] if marker else empty_instance


@pytest.fixture
def make_settings(tmp_path: Path, instance_templates: InstanceTemplates
                  ) -> Iterator[Callable[..., Settings]]:
    """Settings of a new, empty instance in `tmp_path / name` (copied, not migrated again:
    `tests/test_db.py` runs the migrations from scratch); every test that opens an instance
    gets its settings here or from `settings`, so that it runs on PostgreSQL too."""
    made: list[Settings] = []

    def make(name: str = "instance", **overrides: object) -> Settings:
        made.append(instance_templates.copy(empty_instance, tmp_path / name, **overrides))
        return made[-1]

    yield make
    for settings in made:
        instance_templates.release(settings)


@pytest.fixture
def bare_settings(tmp_path: Path, test_databases: DatabasePool) -> Settings:
    """Settings of an instance folder with nothing in it yet (a database without schema),
    for tests that run the migrations themselves."""
    return databases.bare_settings(test_databases, tmp_path / "bare")


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path,
             instance_templates: InstanceTemplates) -> Iterator[Settings]:
    """A new instance in `tmp_path / "instance"`: empty, or for a test marked
    `@pytest.mark.instance.with_args(build)` a copy of the one `build` made once per session."""
    made = instance_templates.copy(_build_of(request), tmp_path)
    yield made
    instance_templates.release(made)


@pytest.fixture
def built(request: pytest.FixtureRequest, instance_templates: InstanceTemplates) -> Any:
    """What the marked test's `build` returned (document ids…)."""
    return instance_templates.result(_build_of(request))


@pytest.fixture
def ctx(settings: Settings) -> Iterator[KbContext]:
    kb_ctx = open_instance(settings)
    yield kb_ctx
    kb_ctx.close()


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    from webui.app import create_app

    application = create_app(settings)
    application.config.update(TESTING=True)
    yield application
    application.extensions["kb_tasks"].shutdown()
    application.extensions["kb"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KB_HOME", str(settings.home))
    monkeypatch.setenv("KB_DATABASE_URL", settings.database_url)
    open_instance(settings).close()  # every command but `kb init` needs an instance
    return CliRunner()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory,
                    instance_templates: InstanceTemplates) -> Iterator[Settings]:
    """One instance with the shipped corpus ingested, for read-only tests."""
    settings = instance_templates.copy(ingested_corpus, tmp_path_factory.mktemp("corpus"))
    yield settings
    instance_templates.release(settings)


@pytest.fixture(scope="session")
def corpus_ctx(corpus_settings: Settings) -> Iterator[KbContext]:
    kb_ctx = open_instance(corpus_settings)
    yield kb_ctx
    kb_ctx.close()


@pytest.fixture(scope="session")
def corpus_app(corpus_settings: Settings) -> Iterator[Flask]:
    from webui.app import create_app

    application = create_app(corpus_settings)
    application.config.update(TESTING=True)
    yield application
    application.extensions["kb"].close()


PASSWORD = "motdepasse-solide"
ROLE_EMAILS = {role: f"{role}@exemple.fr" for role in
               ("allie", "maieuticien", "formateur", "collectif", "admin")}


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form served at `path`."""
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Auth:
    """Signs the test client in and out as one of the role accounts."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, role: str) -> None:
        self.login_as(ROLE_EMAILS[role], PASSWORD)

    def login_as(self, email: str, password: str) -> int:
        token = csrf_token(self.client, "/connexion")
        response = self.client.post("/connexion", data={
            "email": email, "password": password, "csrf_token": token})
        return response.status_code

    def logout(self) -> None:
        token = csrf_token(self.client, "/")
        self.client.post("/deconnexion", data={"csrf_token": token})


@pytest.fixture
def accounts(app: Flask) -> dict[str, int]:
    """One account per role in the app's instance; returns their ids."""
    from kb.accounts.users import create_user

    ctx = app.extensions["kb"]
    return {role: create_user(ctx, email, PASSWORD, role, display_name=role.title()).id
            for role, email in ROLE_EMAILS.items()}


@pytest.fixture
def auth(client: FlaskClient, accounts: dict[str, int]) -> Auth:
    return Auth(client)


class _MemoryBytecodeCache(BytecodeCache):
    """Templates compiled once per session rather than once per app (one app per test)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="session")
def shared_template_cache() -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    patch.setattr(Flask, "jinja_options", {**Flask.jinja_options,
                                           "bytecode_cache": _MemoryBytecodeCache()})
    yield
    patch.undo()
