"""Instances built once per test session and copied into each test that uses one.

Building an instance (migrating its database, importing a thesaurus, ingesting and tagging
documents) costs far more than copying its folder. A build function `build(ctx, folder)`
fills a fresh instance at `folder / "instance"` (files it ingests go beside it, in `folder`)
and returns what the tests need to know (document ids…); each test gets its own copy of the
whole folder, so that tests stay independent.

On SQLite an instance is all in its folder: the xdist workers of a run share one build, made
by whichever asks first under a file lock. On PostgreSQL each worker builds its own, its
database belonging to that worker's pool.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from sqlalchemy import create_engine, text

from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import ensure_index
from kb.instance import open_instance
from tests.databases import DatabasePool, SqliteDatabases, instance_settings

Build = Callable[[KbContext, Path], Any]


def empty_instance(ctx: KbContext, folder: Path) -> None:
    """A migrated database and an empty index."""
    ensure_index(ctx)


def based_on(base: Build) -> Callable[[Build], Build]:
    """Decorator: the build starts from a copy of what `base` made, not from an empty
    instance (the slow part is built once for both)."""

    def mark(build: Build) -> Build:
        build.base = base  # type: ignore[attr-defined]
        return build

    return mark


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run, shared by its xdist workers (each has its own
    `getbasetemp()` inside it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


class InstanceTemplates:
    """The instances of one session, by build function, and their copies."""

    def __init__(self, factory: pytest.TempPathFactory, pool: DatabasePool) -> None:
        if isinstance(pool, SqliteDatabases):
            self.root = run_folder(factory) / "templates-sqlite"
        else:
            self.root = factory.getbasetemp() / "templates-postgresql"
        self.root.mkdir(exist_ok=True)
        self.pool = pool
        self.built: dict[Build, tuple[Path, Any, str]] = {}

    def _build(self, build: Build) -> tuple[Path, Any, str]:
        if build not in self.built:
            folder = self.root / f"{build.__module__}.{build.__qualname__}"
            with FileLock(f"{folder}.lock"):
                self.built[build] = self._built_by_another(folder) or self._make(build, folder)
        return self.built[build]

    def _built_by_another(self, folder: Path) -> tuple[Path, Any, str] | None:
        done = Path(f"{folder}.pickle")
        return pickle.loads(done.read_bytes()) if done.exists() else None

    def _make(self, build: Build, folder: Path) -> tuple[Path, Any, str]:
        shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
        folder.mkdir()
        base = getattr(build, "base", None)
        settings = (self.copy(base, folder) if base else
                    instance_settings(self.pool, folder / "instance", dedicated=True))
        ctx = open_instance(settings)
        try:
            made = (folder, build(ctx, folder), settings.database_url)
        finally:
            ctx.close()
        Path(f"{folder}.pickle").write_bytes(pickle.dumps(made))
        return made

    def result(self, build: Build) -> Any:
        return self._build(build)[1]

    def copy(self, build: Build, folder: Path, **overrides: object) -> Settings:
        """The settings of a copy, in `folder`, of the instance that `build` made (on
        PostgreSQL, its database is a copy of the build's; give it back with `release`)."""
        template, _, url = self._build(build)
        shutil.copytree(template, folder, symlinks=True, dirs_exist_ok=True)
        settings = Settings.for_home(folder / "instance", **overrides)
        if url.startswith("postgresql"):
            copied = self.pool.acquire() if build is empty_instance else self.pool.clone(url)
            settings = replace(settings, database_url=copied)
        if build is not empty_instance:
            _move_source_roots(settings, template, folder)
        return settings

    def release(self, settings: Settings) -> None:
        self.pool.release(settings.database_url)


def _move_source_roots(settings: Settings, old: Path, new: Path) -> None:
    """Ingested folders are recorded by absolute path: point them at the copied files, as if
    the instance had been built in place."""
    engine = create_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text(
            "UPDATE ingest_sources SET root = :new || substr(root, :start) "
            "WHERE root LIKE :old || '%'"),
            {"new": str(new.resolve()), "start": len(str(old.resolve())) + 1,
             "old": str(old.resolve())})
    engine.dispose()
