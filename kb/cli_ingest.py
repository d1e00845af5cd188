"""`kb ingest`: files and folders into the base, with progress and a summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kb.ingestion import STATUS_LABELS, FileOutcome, ingest_paths


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--include", multiple=True, help="Motif de fichiers à prendre (ex. '*.md').")
@click.option("--exclude", multiple=True, help="Motif de fichiers à ignorer.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="Écrit le bilan en JSON dans ce fichier.")
@click.option("--quiet", is_flag=True, help="N'affiche que les échecs et le bilan.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], include: tuple[str, ...],
           exclude: tuple[str, ...], report_path: Path | None, quiet: bool) -> None:
    """Ingère des fichiers ou des dossiers (parcourus récursivement)."""
    from kb.cli import open_context

    kb_ctx = open_context(ctx)

    def show(outcome: FileOutcome) -> None:
        if outcome.status == "failed":
            click.echo(f"ÉCHEC {outcome.source_key} : {outcome.message}", err=True)
        elif not quiet:
            extra = f" ({outcome.message})" if outcome.message else ""
            click.echo(f"{STATUS_LABELS[outcome.status]:>10}  {outcome.source_key}{extra}")

    report = ingest_paths(kb_ctx, list(paths), include, exclude, progress=show)
    counts = report.counts
    click.echo(
        f"Bilan : {counts['added']} ajouté(s), {counts['updated']} mis à jour, "
        f"{counts['unchanged']} inchangé(s), {counts['duplicate']} doublon(s), "
        f"{counts['failed']} échec(s)."
    )
    if report.index_error:
        click.echo(f"Attention : {report.index_error}", err=True)
    if report_path:
        report_path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2),
                               encoding="utf-8")
    if report.failed or report.index_error:
        sys.exit(1)
