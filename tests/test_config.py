"""Settings from the environment, and instances that never share files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kb.config import SETTINGS_TABLE, Settings
from kb.errors import ConfigError
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from tests.conftest import ROOT
from tests.databases import MakeSettings


def test_defaults_derive_from_kb_home(tmp_path: Path) -> None:
    settings = Settings.from_env({"KB_HOME": str(tmp_path / "a")})
    assert settings.home == (tmp_path / "a").resolve()
    assert settings.database_url == f"sqlite:///{settings.home / 'kb.sqlite3'}"
    assert settings.index_dir == settings.home / "index"
    assert settings.default_visibility == "membres"
    assert not settings.production


def test_environment_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "KB_HOME": str(tmp_path), "KB_DATABASE_URL": "sqlite:///autre.db",
        "KB_SECRET_KEY": "s3cret", "KB_MAX_UPLOAD_MB": "2", "KB_DEFAULT_VISIBILITY": "public",
        "KB_PRODUCTION": "1", "KB_TRUSTED_PROXIES": "2",
    })
    assert settings.database_url == "sqlite:///autre.db"
    assert settings.secret_key == "s3cret" and settings.max_file_bytes == 2 * 1024 * 1024
    assert settings.default_visibility == "public" and settings.production
    assert settings.trusted_proxies == 2 and Settings.from_env({}).trusted_proxies == 0


@pytest.mark.parametrize(("name", "value"), [("KB_DEFAULT_VISIBILITY", "tous"),
                                             ("KB_MAX_UPLOAD_MB", "beaucoup"),
                                             ("KB_TRUSTED_PROXIES", "-1"),
                                             ("KB_TRUSTED_PROXIES", "oui")])
def test_invalid_values_are_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({name: value})
    assert name in str(error.value)


def test_production_refuses_the_default_secret(tmp_path: Path) -> None:
    from webui.app import create_app

    with pytest.raises(ConfigError):
        create_app(Settings.for_home(tmp_path, production=True))


def test_two_instances_are_isolated(tmp_path: Path, make_settings: MakeSettings) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("Un document.", encoding="utf-8")
    first = open_instance(make_settings("one"))
    second = open_instance(make_settings("two"))
    ingest_paths(first, [folder])
    assert first.index.indexed_ids() and not second.index.indexed_ids()
    assert not any(p.is_file() for p in second.settings.originals_dir.rglob("*"))
    first.close()
    second.close()


def test_readme_documents_every_setting_and_command() -> None:
    import click

    from kb.cli.main import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS_TABLE:
        assert setting.env in readme, setting.env
    ctx = click.Context(main)
    names = main.list_commands(ctx)
    assert {"init", "search", "serve", "user"} <= set(names)
    for name in names:
        command = main.get_command(ctx, name)
        assert f"kb {name}" in readme, name
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                assert f"kb {name} {sub}" in readme, f"kb {name} {sub}"


def test_each_setting_is_one_row_of_the_table() -> None:
    fields = [f.name for f in dataclasses.fields(Settings)]
    assert sorted(s.field for s in SETTINGS_TABLE) == sorted(fields)
    assert len({s.env for s in SETTINGS_TABLE}) == len(SETTINGS_TABLE)
    # No default lives in the dataclass: the table's is the only one.
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(Settings))


def test_readme_gives_each_default_of_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS_TABLE:
        row = next(line for line in readme.splitlines()
                   if line.startswith(f"| `{setting.env}` |"))
        if setting.env != "KB_SECRET_KEY":  # never printed
            assert row.split("|")[2].strip() == f"`{setting.default}`", row


def test_an_empty_database_url_means_the_default(tmp_path: Path) -> None:
    settings = Settings.from_env({"KB_HOME": str(tmp_path), "KB_DATABASE_URL": " "})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'kb.sqlite3'}"
    with pytest.raises(ConfigError, match="KB_MAX_UPLOAD_MB"):
        Settings.from_env({"KB_MAX_UPLOAD_MB": "0"})
