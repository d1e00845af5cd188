"""`kb ingest`: files, folders or a list of paths into the base, with progress and a summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click

from ingest.sources import SourceFile
from kb.cli.context import open_context
from kb.context import KbContext
from kb.ingestion.batches import (
    STATUS_LABELS,
    FileOutcome,
    IngestPlan,
    IngestReport,
    plan_paths,
    run_plan,
)


def read_path_list(stream: IO[str]) -> list[Path]:
    """One path a line; blank lines and `#` comments are skipped."""
    lines = (line.strip() for line in stream)
    return [Path(line) for line in lines if line and not line.startswith("#")]


def print_failure(outcome: FileOutcome) -> None:
    click.echo(f"ÉCHEC {outcome.source_key} : {outcome.message}", err=True)


def print_outcome(outcome: FileOutcome) -> None:
    extra = f" ({outcome.message})" if outcome.message else ""
    click.echo(f"{STATUS_LABELS[outcome.status]:>10}  {outcome.source_key}{extra}")


def print_summary(report: IngestReport, dry_run: bool) -> None:
    click.echo(("Simulation (rien n'a été écrit) : " if dry_run else "Bilan : ")
               + report.summary() + ".")
    if report.needs_ocr:
        keys = ", ".join(o.source_key for o in report.needs_ocr[:10])
        click.echo(f"Sans texte, OCR nécessaire : {len(report.needs_ocr)} ({keys}).")
    if report.missing:
        click.echo(f"{len(report.missing)} fichier(s) disparu(s) des dossiers ingérés "
                   "(documents conservés dans la base) :")
        for missing in report.missing:
            click.echo(f"  {missing.source_key} — {missing.title} ({missing.document_id})")
    if report.index_error:
        click.echo(f"Attention : {report.index_error}", err=True)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from-list", "path_list", type=click.File("r", encoding="utf-8"),
              help="Fichier listant les chemins à ingérer, un par ligne (« - » : entrée "
                   "standard).")
@click.option("--include", multiple=True, help="Motif de fichiers à prendre (ex. '*.md').")
@click.option("--exclude", multiple=True, help="Motif de fichiers à ignorer.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="Écrit le bilan en JSON dans ce fichier.")
@click.option("--dry-run", is_flag=True, help="Lit et vérifie tout sans rien écrire.")
@click.option("--quiet", is_flag=True, help="N'affiche que les échecs et le bilan.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], path_list: IO[str] | None,
           include: tuple[str, ...], exclude: tuple[str, ...], report_path: Path | None,
           dry_run: bool, quiet: bool) -> None:
    """Ingère des fichiers ou des dossiers (parcourus récursivement) : PDF, DOCX, ODT,
    Markdown, HTML, texte, exports JSON Lines et archives ZIP de ces formats."""
    all_paths = list(paths) + (read_path_list(path_list) if path_list else [])
    if not all_paths:
        raise click.UsageError("indiquez des fichiers, des dossiers ou --from-list FICHIER.")
    kb_ctx = open_context(ctx)
    plan = plan_paths(all_paths, include, exclude)
    if sys.stdout.isatty() and not quiet:
        report = _run_with_bar(kb_ctx, plan, dry_run)
    else:
        def show(_source: SourceFile, outcomes: list[FileOutcome]) -> None:
            for outcome in outcomes:
                if outcome.status == "failed":
                    print_failure(outcome)
                elif not quiet:
                    print_outcome(outcome)

        report = run_plan(kb_ctx, plan, show, dry_run=dry_run)
        for outcome in report.outcomes[:len(plan.not_found)]:
            print_failure(outcome)
    print_summary(report, dry_run)
    if report_path:
        try:
            report_path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2,
                                              default=str), encoding="utf-8")
        except OSError as exc:
            click.echo(f"Erreur : bilan non écrit dans {report_path} ({exc.strerror})", err=True)
            sys.exit(1)
    if report.failed or report.index_error:
        sys.exit(1)


def _run_with_bar(kb_ctx: KbContext, plan: IngestPlan, dry_run: bool) -> IngestReport:
    """A progress bar on a terminal; failures are listed once the bar is done."""
    with click.progressbar(length=len(plan.sources), label="Ingestion", show_pos=True,
                           item_show_func=lambda key: key) as bar:
        def step(source: SourceFile, _outcomes: list[FileOutcome]) -> None:
            bar.update(1, source.source_key[-40:])

        report = run_plan(kb_ctx, plan, step, dry_run=dry_run)
    for outcome in report.failed:
        print_failure(outcome)
    return report
