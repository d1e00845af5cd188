"""Shared fixtures: isolated instances on `tmp_path`, the app, the CLI runner, the corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from kb.config import Settings
from kb.context import KbContext
from kb.ingestion import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.for_home(tmp_path / "instance")


@pytest.fixture
def ctx(settings: Settings) -> Iterator[KbContext]:
    kb_ctx = KbContext.open(settings)
    yield kb_ctx
    kb_ctx.close()


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    from webui import create_app

    application = create_app(settings)
    application.config.update(TESTING=True)
    yield application
    application.extensions["kb"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KB_HOME", str(settings.home))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One instance with the shipped corpus ingested, for read-only tests."""
    settings = Settings.for_home(tmp_path_factory.mktemp("corpus") / "instance")
    kb_ctx = KbContext.open(settings)
    report = ingest_paths(kb_ctx, [CORPUS / "documents"])
    kb_ctx.close()
    assert not report.failed, [f"{o.source_key}: {o.message}" for o in report.failed]
    return settings


@pytest.fixture(scope="session")
def corpus_ctx(corpus_settings: Settings) -> Iterator[KbContext]:
    kb_ctx = KbContext.open(corpus_settings)
    yield kb_ctx
    kb_ctx.close()


@pytest.fixture(scope="session")
def corpus_app(corpus_settings: Settings) -> Iterator[Flask]:
    from webui import create_app

    application = create_app(corpus_settings)
    application.config.update(TESTING=True)
    yield application
    application.extensions["kb"].close()
