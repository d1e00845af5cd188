"""The instance a command works on: opened from the invocation's settings, closed when the
command ends. Kept apart from `kb.cli.base`, which `kb --help` loads, because it brings the
database and index stack; command modules import it, and they load only when run."""

from __future__ import annotations

import click

from kb.context import KbContext
from kb.instance import open_instance, require_instance


def open_context(ctx: click.Context, create: bool = False) -> KbContext:
    """The instance of this invocation, closed when the command ends; unless `create`
    (`kb init`), a folder holding no instance is an error rather than a new empty one."""
    if not create:
        require_instance(ctx.obj)
    kb_ctx = open_instance(ctx.obj)
    ctx.call_on_close(kb_ctx.close)
    return kb_ctx
