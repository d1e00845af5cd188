"""The `kb` command: the root group and where each subcommand lives.

Subcommands are imported only when run, so that `kb --help` and each command load no more
than they need; commands of other packages join through the `kb.commands` entry points."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import KbGroup, plugin_commands, settings_for

COMMANDS = {
    "init": "kb.cli.instance:init",
    "ingest": "kb.cli.ingest:ingest",
    "search": "kb.cli.search:search",
    "reindex": "kb.cli.index:reindex",
    "check": "kb.cli.index:check",
    "eval": "kb.cli.evaluation:evaluate",
    "user": "kb.cli.users:user",
    "dossier": "kb.cli.dossiers:dossier",
    "taxonomy": "kb.cli.taxonomy:taxonomy",
    "candidates": "kb.cli.taxonomy:candidates",
    "tag": "kb.cli.tagging:tag",
}


@click.group(cls=KbGroup, lazy={**plugin_commands(), **COMMANDS})
@click.option("--home", type=click.Path(path_type=Path), default=None,
              help="Dossier de l'instance (sinon KB_HOME, par défaut ./instance).")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """kb : base documentaire de la Fabrique des transitions."""
    ctx.obj = settings_for(home)
