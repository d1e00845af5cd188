"""What every `kb` command shares: the root group, errors printed as one line, the instance
opened from the settings, and the common options."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from kb.config import Settings
from kb.context import KbContext
from kb.errors import KbError
from kb.instance import open_instance

# Commands of other packages (the web layer's `serve`) join through this entry-point group,
# as Flask's own commands do, so that `kb` never imports them.
PLUGIN_GROUP = "kb.commands"


class KbGroup(click.Group):
    """Subcommands loaded only when used (`name -> "module:attribute"`), and any `KbError`
    printed as one clean line with exit status 1."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KbError as exc:
            click.echo(f"Erreur : {exc.message}", err=True)
            sys.exit(1)


def plugin_commands() -> dict[str, str]:
    """Commands declared by other installed packages in the `kb.commands` group."""
    return {ep.name: ep.value for ep in entry_points(group=PLUGIN_GROUP)}


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")(func)


def limit_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
                        help="Nombre maximal de résultats.")(func)


def settings_for(home: Path | None) -> Settings:
    """The instance settings from the environment, `--home` overriding `KB_HOME`."""
    environ = dict(os.environ)
    if home is not None:
        environ["KB_HOME"] = str(home)
    return Settings.from_env(environ)


def open_context(ctx: click.Context) -> KbContext:
    """The instance of this invocation, closed when the command ends."""
    kb_ctx = open_instance(ctx.obj)
    ctx.call_on_close(kb_ctx.close)
    return kb_ctx
