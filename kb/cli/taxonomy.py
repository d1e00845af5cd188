"""`kb taxonomy import|set-tagging|export|list` and `kb candidates`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import json_option, limit_option
from kb.cli.context import open_context
from kb.context import KbContext
from kb.taxonomy.candidates import list_candidates, refresh_candidates
from kb.taxonomy.reading import list_schemes
from kb.taxonomy.schemes import set_scheme_tagging
from kb.taxonomy.skos_export import export_turtle
from kb.taxonomy.skos_import import ImportReport, import_skos
from kb.visibility import Reader

SHOWN = 10
# The doctrine thesaurus shipped with the repository, imported by `kb init` on a fresh
# instance (absent from a non-editable install: then nothing is imported).
SHIPPED_TAXONOMY = Path(__file__).resolve().parents[2] / "corpus" / "taxonomy" \
    / "doctrine-fdt.ttl"


def import_shipped_taxonomy(ctx: KbContext, path: Path = SHIPPED_TAXONOMY) -> bool:
    """Import the shipped thesaurus when the instance has no concept scheme yet."""
    if list_schemes(ctx) or not path.is_file():
        return False
    report = import_skos(ctx, path)
    click.echo(f"Thésaurus « {report.scheme_title} » importé : {len(report.added)} concepts.")
    return True


@click.group()
def taxonomy() -> None:
    """Gère les thésaurus SKOS (import, export, usage pour l'étiquetage)."""


def print_import(report: ImportReport) -> None:
    verb = "créé" if report.created else "mis à jour"
    click.echo(f"Schéma « {report.scheme_title} » {verb} ({report.scheme_uri}) : "
               f"{len(report.added)} concept(s) ajouté(s), {len(report.changed)} modifié(s), "
               f"{len(report.deprecated)} déprécié(s), {len(report.restored)} rétabli(s), "
               f"{report.unchanged} inchangé(s).")
    for title, uris in (("Modifiés", report.changed), ("Dépréciés", report.deprecated),
                        ("Rétablis", report.restored)):
        if uris and not report.created:
            more = f" … (+{len(uris) - SHOWN})" if len(uris) > SHOWN else ""
            click.echo(f"  {title} : {', '.join(uris[:SHOWN])}{more}")
    if report.ignored:
        click.echo(f"  {report.ignored} concept(s) d'autres schémas ignoré(s).")
    if report.flagged_tags:
        click.echo(f"  {report.flagged_tags} étiquette(s) de documents portent sur des concepts "
                   "dépréciés : conservées et signalées.")


@taxonomy.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scheme", "scheme_uri", default=None,
              help="URI du schéma à importer quand le fichier en déclare plusieurs.")
@click.option("--tagging/--no-tagging", default=None,
              help="Utilise ou non ce schéma pour l'étiquetage automatique (par défaut : oui "
                   "pour un nouveau schéma, inchangé pour un schéma déjà importé).")
@click.pass_context
def import_command(ctx: click.Context, path: Path, scheme_uri: str | None,
                   tagging: bool | None) -> None:
    """Importe un fichier SKOS (Turtle, RDF/XML, JSON-LD) ; réimporter met à jour."""
    report = import_skos(open_context(ctx), path, scheme_uri, tagging=tagging)
    print_import(report)
    if report.tagging_switched:
        click.echo(f"  Étiquetage automatique : {_use(report.tagging)}.")
    if not report.created and (report.added or report.changed or report.deprecated
                               or report.tagging_switched):
        click.echo("Lancez « kb tag --changed » pour ré-étiqueter les documents.")


def _use(tagging: bool) -> str:
    return "étiquetage" if tagging else "consultation seule"


@taxonomy.command(name="set-tagging")
@click.argument("scheme_uri", metavar="SCHÉMA")
@click.argument("state", type=click.Choice(["on", "off"]), metavar="on|off")
@click.pass_context
def set_tagging_command(ctx: click.Context, scheme_uri: str, state: str) -> None:
    """Utilise (on) ou non (off) un schéma pour l'étiquetage automatique."""
    on = state == "on"
    changed = set_scheme_tagging(open_context(ctx), Reader.operator(), scheme_uri, on)
    if not changed:
        click.echo(f"Rien à changer : le schéma sert déjà à {_use(on)}.")
        return
    click.echo(f"Schéma {scheme_uri} : {_use(on)}. Lancez « kb tag » pour ré-étiqueter "
               "les documents (les décisions humaines sont conservées).")


@taxonomy.command(name="export")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier Turtle à écrire (sinon la sortie standard).")
@click.option("--scheme", "scheme_uri", default=None, help="URI d'un seul schéma à exporter.")
@click.pass_context
def export_command(ctx: click.Context, out: Path | None, scheme_uri: str | None) -> None:
    """Exporte les thésaurus en SKOS Turtle."""
    text = export_turtle(open_context(ctx), scheme_uri)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Thésaurus écrit dans {out}")


@taxonomy.command(name="list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Liste les schémas de concepts."""
    schemes = list_schemes(open_context(ctx))
    if not schemes:
        click.echo("Aucun thésaurus : « kb taxonomy import FICHIER ».")
    for scheme in schemes:
        click.echo(f"{scheme.title}  ({scheme.concepts} concepts, révision {scheme.revision}, "
                   f"{_use(scheme.tagging)})  {scheme.uri}")


@click.command()
@click.option("--refresh/--no-refresh", default=True, show_default=True,
              help="Recalcule les candidats depuis les analyses des documents.")
@click.option("--min-documents", default=3, show_default=True, type=click.IntRange(1, 1000),
              help="Nombre minimal de documents où l'expression apparaît.")
@limit_option(default=30, maximum=1000)
@json_option
@click.pass_context
def candidates(ctx: click.Context, refresh: bool, min_documents: int, limit: int,
               as_json: bool) -> None:
    """Liste les concepts candidats : expressions fréquentes qu'aucun concept ne couvre."""
    kb_ctx = open_context(ctx)
    if refresh:
        refresh_candidates(kb_ctx, min_documents)
    found = list_candidates(kb_ctx, Reader.operator(), limit=limit)
    if as_json:
        rows = [{"id": c.id, "label": c.label, "documents": c.document_count,
                 "occurrences": c.occurrences,
                 "sources": [d.source_key for d in c.documents]} for c in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(found)} concept(s) candidat(s)")
    for candidate in found:
        sources = ", ".join(d.source_key for d in candidate.documents[:3])
        click.echo(f"{candidate.id:>5}. {candidate.label}  ({candidate.document_count} doc., "
                   f"{candidate.occurrences} occ.)  {sources}")
