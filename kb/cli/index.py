"""`kb reindex` and `kb check`: the index rebuilt from the database, and compared with it."""

from __future__ import annotations

import sys

import click

from kb.cli.context import open_context
from kb.indexing.sync import DRIFT_LABELS, check_index, ensure_index, rebuild_index
from kb.taxonomy.tagging_status import repair_tagging, tagging_problems


@click.command()
@click.option("--if-needed", is_flag=True,
              help="Ne reconstruit que si l'index manque ou a changé de version.")
@click.option("--procs", default=None, type=click.IntRange(1, 16),
              help="Processus d'indexation en parallèle (par défaut : selon la taille).")
@click.pass_context
def reindex(ctx: click.Context, if_needed: bool, procs: int | None) -> None:
    """Reconstruit l'index depuis la base, à côté de l'ancien, puis bascule."""
    kb_ctx = open_context(ctx)
    if if_needed:
        rebuilt = ensure_index(kb_ctx)
        click.echo("Index reconstruit." if rebuilt else "Index à jour, rien à faire.")
        return
    count = rebuild_index(kb_ctx, procs=procs)
    click.echo(f"Index reconstruit : {count} document(s).")


@click.command()
@click.option("--repair", is_flag=True, help="Répare les écarts trouvés.")
@click.pass_context
def check(ctx: click.Context, repair: bool) -> None:
    """Compare la base et l'index et signale (ou répare) les écarts ; signale (ou relance)
    aussi les étiquetages d'après dépôt qui ont échoué."""
    kb_ctx = open_context(ctx)
    drift = check_index(kb_ctx, repair=repair)
    problems = sum(len(v) for v in drift.values())
    for key, ids in drift.items():
        if ids:
            click.echo(f"{len(ids)} document(s) {DRIFT_LABELS[key]} : {', '.join(ids[:10])}")
    for status in tagging_problems(kb_ctx):
        problems += 1
        what = "a échoué" if status.state == "echec" else "s'est interrompu"
        click.echo(f"étiquetage d'après dépôt de {status.document_id} {what} "
                   f"({status.updated_at:%d/%m/%Y %H:%M}) : {status.message or 'sans message'}")
    if repair and problems and (left := repair_tagging(kb_ctx)):
        click.echo(f"{left} étiquetage(s) toujours en échec : voyez le journal du serveur.")
        sys.exit(1)
    if not problems:
        click.echo("Base et index concordent.")
    elif repair:
        click.echo("Écarts réparés.")
    else:
        sys.exit(1)
