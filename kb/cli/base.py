"""What every `kb` command shares: the root group, errors printed as one line, the instance
opened from the settings, and the common options."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from gettext import gettext
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kb.cli.messages import speak_french
from kb.config import Settings
from kb.errors import KbError

if TYPE_CHECKING:
    from kb.context import KbContext

# Commands of other packages (the web layer's `serve`) join through this entry-point group,
# as Flask's own commands do, so that `kb` never imports them.
PLUGIN_GROUP = "kb.commands"


class KbGroup(click.Group):
    """Subcommands loaded only when used (`name -> "module:attribute"`, then the `kb.commands`
    entry points, looked up only for a name not in the table), listed in the help from their
    short help strings without being imported, Click's own messages in French, and any
    `KbError` printed as one clean line with exit status 1."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None,
                 short_help: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.short_help = dict(short_help or {})
        self.plugins_found = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        speak_french()
        return super().main(*args, **kwargs)

    def find_plugins(self) -> None:
        if not self.plugins_found:
            self.lazy = {**plugin_commands(), **self.lazy}
            self.plugins_found = True

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.find_plugins()
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy and cmd_name not in self.commands:
            self.find_plugins()
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the short help table where it has the command, each help's
        first sentence whole (wrapped rather than cut)."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.short_help and name not in self.commands:
                rows.append((name, self.short_help[name]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

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
    """`--json`, passed as `as_json`."""
    return click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")(func)


def limit_option(default: int, maximum: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--limit`: how many results at most, from 1 to `maximum`."""
    return click.option("--limit", default=default, show_default=True,
                        type=click.IntRange(1, maximum), help="Nombre maximal de résultats.")


def settings_for(home: Path | None) -> Settings:
    """The instance settings from the environment, `--home` overriding `KB_HOME`."""
    environ = dict(os.environ)
    if home is not None:
        environ["KB_HOME"] = str(home)
    return Settings.from_env(environ)


def open_context(ctx: click.Context, create: bool = False) -> KbContext:
    """The instance of this invocation, closed when the command ends; unless `create`
    (`kb init`), a folder holding no instance is an error rather than a new empty one."""
    # Deferred: the database and index stack is heavy, and `kb --help` must not load it.
    from kb.instance import open_instance, require_instance

    if not create:
        require_instance(ctx.obj)
    kb_ctx = open_instance(ctx.obj)
    ctx.call_on_close(kb_ctx.close)
    return kb_ctx
