"""What every `kb` command shares: the root group (commands loaded when run, errors printed as
one line) and the common options. `kb.cli.context` opens the instance."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable
from gettext import gettext
from pathlib import Path
from typing import Any

import click

from kb.cli.messages import speak_french
from kb.config import Settings
from kb.errors import KbError

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
            self.add_command(getattr(load_module(module), attribute), cmd_name)
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


def load_module(name: str) -> Any:
    """Import a command's module with Python's cycle collector paused, then exempt what it
    loaded from later collections. Each collection walks every object made so far, and
    loading the database and index stack made some 230 of them: a sixth of the CPU time of a
    cold `kb search`, for no cycle worth collecting (modules live as long as the process)."""
    if name in sys.modules or not gc.isenabled():
        return importlib.import_module(name)
    gc.disable()
    try:
        return importlib.import_module(name)
    finally:
        gc.freeze()
        gc.enable()


def plugin_commands() -> dict[str, str]:
    """Commands declared by other installed packages in the `kb.commands` group."""
    # Deferred: reading the installed packages' metadata loads the email and zip modules.
    from importlib.metadata import entry_points

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
