"""Instances built once per test session and copied into each test that uses one.

Building an instance (migrating its database, importing a thesaurus, ingesting and tagging
documents) costs far more than copying its folder. A build function `build(ctx, folder)`
fills a fresh instance at `folder / "instance"` (files it ingests go beside it, in `folder`)
and returns what the tests need to know (document ids…); each test gets its own copy of the
whole folder, so that tests stay independent.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import ensure_index
from kb.instance import open_instance

Build = Callable[[KbContext, Path], Any]


def empty_instance(ctx: KbContext, folder: Path) -> None:
    """A migrated database and an empty index."""
    ensure_index(ctx)


class InstanceTemplates:
    """The instances of one session, by build function, and their copies."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[Build, tuple[Path, Any]] = {}

    def _build(self, build: Build) -> tuple[Path, Any]:
        if build not in self.built:
            folder = self.root / f"{build.__module__}.{build.__qualname__}"
            folder.mkdir(parents=True)
            ctx = open_instance(Settings.for_home(folder / "instance"))
            try:
                result = build(ctx, folder)
            finally:
                ctx.close()
            self.built[build] = (folder, result)
        return self.built[build]

    def result(self, build: Build) -> Any:
        return self._build(build)[1]

    def copy(self, build: Build, folder: Path, **overrides: object) -> Settings:
        """The settings of a copy, in `folder`, of the instance that `build` made."""
        template, _ = self._build(build)
        shutil.copytree(template, folder, symlinks=True, dirs_exist_ok=True)
        settings = Settings.for_home(folder / "instance", **overrides)
        _move_source_roots(settings.home / "kb.sqlite3", template, folder)
        return settings


def _move_source_roots(database: Path, old: Path, new: Path) -> None:
    """Ingested folders are recorded by absolute path: point them at the copied files, as if
    the instance had been built in place."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE ingest_sources SET root = ? || substr(root, ?) WHERE root LIKE ? || '%'",
            (str(new.resolve()), len(str(old.resolve())) + 1, str(old.resolve())))
    connection.close()
