"""`kb init`: the database, the shipped thesaurus and the index of an instance."""

from __future__ import annotations

import click

from kb.cli.context import open_context
from kb.cli.taxonomy import import_shipped_taxonomy
from kb.indexing.sync import ensure_index


@click.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Crée ou met à jour la base et l'index de l'instance."""
    kb_ctx = open_context(ctx, create=True)
    import_shipped_taxonomy(kb_ctx)
    rebuilt = ensure_index(kb_ctx)
    click.echo(f"Instance prête dans {kb_ctx.settings.home}"
               + (" (index construit)" if rebuilt else ""))
