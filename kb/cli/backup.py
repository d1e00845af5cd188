"""`kb backup` and `kb restore`: one archive of the instance, and back (also the way to move
from SQLite to PostgreSQL, or to another server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.backup.restoring import RestoreReport, restore_backup
from kb.backup.writing import write_backup
from kb.context import KbContext
from kb.indexing.sync import DRIFT_LABELS
from kb.instance import require_instance


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


@click.command()
@click.argument("path", metavar="FICHIER", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Remplace FICHIER s'il existe.")
@click.pass_context
def backup(ctx: click.Context, path: Path, force: bool) -> None:
    """Sauvegarde l'instance dans FICHIER (archive ZIP) pendant que le service tourne : base,
    originaux, thésaurus, réglages, avec leurs sommes de contrôle."""
    require_instance(ctx.obj)
    # Never migrate here: the database belongs to the running service.
    kb_ctx = KbContext.open(ctx.obj, migrate=False)
    ctx.call_on_close(kb_ctx.close)
    report = write_backup(kb_ctx, path, force)
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    click.echo(f"Sauvegarde écrite dans {report.path} : {report.rows} ligne(s) dans "
               f"{report.tables} tables, {report.originals} original(aux), "
               f"{megabytes(report.size)}, en {seconds} s.")
    for digest in report.missing_originals:
        click.echo(f"Attention : original {digest} absent du disque, non sauvegardé.", err=True)


@click.command()
@click.argument("path", metavar="FICHIER",
                type=click.Path(path_type=Path, dir_okay=False, exists=False))
@click.option("--force", is_flag=True,
              help="Efface d'abord le contenu de l'instance si elle n'est pas vide.")
@click.option("--dry-run", is_flag=True,
              help="Vérifie seulement l'archive (sommes de contrôle, version), sans rien écrire.")
@click.pass_context
def restore(ctx: click.Context, path: Path, force: bool, dry_run: bool) -> None:
    """Restaure la sauvegarde FICHIER dans une instance vide (SQLite ou PostgreSQL, selon
    KB_DATABASE_URL), reconstruit l'index et vérifie le tout (kb check)."""
    report = restore_backup(ctx.obj, path, force=force, dry_run=dry_run)
    manifest = report.manifest
    origin = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(manifest.database,
                                                                  manifest.database)
    click.echo(f"Sauvegarde du {manifest.created_at} (kb {manifest.kb_version}, schéma "
               f"{manifest.schema_revision}, depuis {origin}) : {report.checked_files} "
               "fichier(s), sommes de contrôle vérifiées.")
    if dry_run:
        return
    _print_restored(ctx.obj.home, report)
    if report.drift:
        sys.exit(1)


def _print_restored(home: Path, report: RestoreReport) -> None:
    click.echo(f"Base : {report.rows} ligne(s) dans {len(report.manifest.tables)} tables.")
    click.echo(f"Originaux : {report.originals} fichier(s).")
    click.echo(f"Index reconstruit : {report.indexed} document(s).")
    for key, ids in report.drift.items():
        click.echo(f"{len(ids)} document(s) {DRIFT_LABELS[key]} : {', '.join(ids[:10])}")
    if not report.drift:
        click.echo(f"Vérification : base et index concordent. Instance restaurée dans {home}.")
    for name, archived, here in report.setting_changes:
        click.echo(f"Attention : {name} valait « {archived} » dans l'instance sauvegardée, "
                   f"« {here} » ici.")
    for digest in report.manifest.missing_originals:
        click.echo(f"Attention : original {digest} déjà absent lors de la sauvegarde.")
