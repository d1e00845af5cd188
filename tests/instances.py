"""Instances built once per test session and copied into each test that uses one.

Building an instance (migrating its database, importing a thesaurus, ingesting and tagging
documents) costs far more than copying its folder. A build function `build(ctx, folder)`
fills a fresh instance at `folder / "instance"` (files it ingests go beside it, in `folder`)
and returns what the tests need to know (document ids…); each test gets its own copy of the
whole folder, so that tests stay independent.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import ensure_index
from kb.instance import open_instance
from tests.databases import DatabasePool, instance_settings

Build = Callable[[KbContext, Path], Any]


def empty_instance(ctx: KbContext, folder: Path) -> None:
    """A migrated database and an empty index."""
    ensure_index(ctx)


class InstanceTemplates:
    """The instances of one session, by build function, and their copies."""

    def __init__(self, root: Path, pool: DatabasePool) -> None:
        self.root = root
        self.pool = pool
        self.built: dict[Build, tuple[Path, Any, str]] = {}

    def _build(self, build: Build) -> tuple[Path, Any, str]:
        if build not in self.built:
            folder = self.root / f"{build.__module__}.{build.__qualname__}"
            folder.mkdir(parents=True)
            settings = instance_settings(self.pool, folder / "instance", dedicated=True)
            ctx = open_instance(settings)
            try:
                result = build(ctx, folder)
            finally:
                ctx.close()
            self.built[build] = (folder, result, settings.database_url)
        return self.built[build]

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
