"""The `kb` command line: thin commands over the services, errors printed as one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kb.config import Settings
from kb.context import KbContext
from kb.errors import KbError


class KbGroup(click.Group):
    """Print any `KbError` as one clean line and exit with status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KbError as exc:
            click.echo(f"Erreur : {exc.message}", err=True)
            sys.exit(1)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")(func)


def limit_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
                        help="Nombre maximal de résultats.")(func)


@click.group(cls=KbGroup)
@click.option("--home", type=click.Path(path_type=Path), default=None,
              help="Dossier de l'instance (sinon KB_HOME, par défaut ./instance).")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """kb : base documentaire de la Fabrique des transitions."""
    environ = dict(os.environ)
    if home is not None:
        environ["KB_HOME"] = str(home)
    ctx.obj = Settings.from_env(environ)


def open_context(ctx: click.Context) -> KbContext:
    kb_ctx = KbContext.open(ctx.obj)
    ctx.call_on_close(kb_ctx.close)
    return kb_ctx


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Crée ou met à jour la base et l'index de l'instance."""
    from kb.indexing import ensure_index

    kb_ctx = open_context(ctx)
    from kb.cli_taxonomy import import_shipped_taxonomy

    import_shipped_taxonomy(kb_ctx)
    rebuilt = ensure_index(kb_ctx)
    click.echo(f"Instance prête dans {kb_ctx.settings.home}"
               + (" (index construit)" if rebuilt else ""))


from kb.cli_ingest import ingest  # noqa: E402
from kb.cli_search import check, evaluate, reindex, search, serve  # noqa: E402
from kb.cli_tag import eval_tags, tag  # noqa: E402
from kb.cli_taxonomy import candidates, taxonomy  # noqa: E402
from kb.cli_user import user  # noqa: E402
from kb.cli_workflow import dossier  # noqa: E402

main.add_command(ingest)
main.add_command(search)
main.add_command(reindex)
main.add_command(check)
main.add_command(serve)
main.add_command(evaluate)
main.add_command(user)
main.add_command(dossier)
main.add_command(taxonomy)
main.add_command(tag)
main.add_command(candidates)
evaluate.add_command(eval_tags)
