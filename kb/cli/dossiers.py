"""`kb dossier`: doctrine and label dossiers from the command line (lists and exports)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import json_option
from kb.cli.context import open_context
from kb.models import utcnow
from kb.models.workflow import DOSSIER_KIND_LABELS, STATE_LABELS, STATES
from kb.visibility import Reader
from kb.workflow.exports import bundle_docx, history_csv, history_json, markdown_zip
from kb.workflow.fundamentals import fundamentals
from kb.workflow.queries import history, list_dossiers


@click.group()
def dossier() -> None:
    """Dossiers de doctrine et de labels : liste, historique, export des fondamentaux."""


@dossier.command("list")
@click.option("--state", type=click.Choice(STATES), default=None, help="Seulement cet état.")
@json_option
@click.pass_context
def list_command(ctx: click.Context, state: str | None, as_json: bool) -> None:
    """Liste les dossiers, les plus récemment modifiés d'abord."""
    rows = list_dossiers(open_context(ctx), Reader.operator(), {state} if state else None)
    if as_json:
        click.echo(json.dumps([{"id": d.id, "type": d.kind, "sujet": d.subject_title,
                                "etat": d.state, "version": d.revision_number,
                                "modifie": d.updated_at.isoformat(timespec="seconds")}
                               for d in rows], ensure_ascii=False, indent=2))
        return
    for d in rows:
        click.echo(f"{d.id}  {STATE_LABELS[d.state]:<24} {DOSSIER_KIND_LABELS[d.kind][:32]:<32}"
                   f"  {d.subject_title}")
    click.echo(f"{len(rows)} dossier(s)")


@dossier.command("history")
@click.argument("dossier_id")
@click.option("--format", "fmt", type=click.Choice(("json", "csv")), default="json",
              show_default=True)
@click.pass_context
def history_command(ctx: click.Context, dossier_id: str, fmt: str) -> None:
    """Affiche l'historique complet d'un dossier (CSV ou JSON)."""
    found, events = history(open_context(ctx), Reader.operator(), dossier_id)
    click.echo(history_csv(events) if fmt == "csv" else history_json(found, events), nl=False)


@dossier.command("export-doctrine")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("zip", "docx")), default=None,
              help="Par défaut, d'après l'extension du fichier.")
@click.option("--public", is_flag=True, help="Seulement les textes publics.")
@click.pass_context
def export_command(ctx: click.Context, output: Path, fmt: str | None, public: bool) -> None:
    """Exporte les fondamentaux (doctrine validée) : Markdown dans un ZIP, ou un DOCX."""
    fmt = fmt or ("docx" if output.suffix.lower() == ".docx" else "zip")
    reader = Reader.anonymous() if public else Reader.operator()
    bundle = fundamentals(open_context(ctx), reader)
    make = bundle_docx if fmt == "docx" else markdown_zip
    output.write_bytes(make(bundle, utcnow().date()))
    click.echo(f"{len(bundle.entries)} texte(s) de doctrine exporté(s) dans {output}")
