"""`kb people`: the directory of allies from the command line (list, show, merge, import)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import json_option
from kb.cli.context import open_context
from kb.models.people import PROFILE_VISIBILITY_LABELS
from kb.people.directory import search_directory
from kb.people.importing import import_people
from kb.people.lifecycle import export_person
from kb.people.privacy import effective_visibility
from kb.people.query import DirectoryQuery
from kb.people.review import merge_people
from kb.visibility import Reader


@click.group()
def people() -> None:
    """Annuaire des allié·e·s : liste, fiche, fusion, import CSV."""


@people.command("list")
@click.option("--theme", "themes", multiple=True, help="URI d'un concept (répétable).")
@click.option("--territoire", "territories", multiple=True,
              help="dep:63, reg:84 ou type:petr (répétable).")
@click.option("--public", is_flag=True, help="Comme un visiteur anonyme.")
@json_option
@click.argument("words", nargs=-1)
@click.pass_context
def list_command(ctx: click.Context, themes: tuple[str, ...], territories: tuple[str, ...],
                 public: bool, as_json: bool, words: tuple[str, ...]) -> None:
    """Liste les personnes de l'annuaire (ou celles qui répondent à une recherche), les
    mieux attestées d'abord, avec leurs raisons."""
    reader = Reader.anonymous() if public else Reader.operator()
    page = search_directory(open_context(ctx), reader, DirectoryQuery(
        " ".join(words), list(themes), list(territories)))
    if as_json:
        click.echo(json.dumps([{"id": r.person.id, "nom": r.person.name,
                                "score": round(r.score, 3), "raisons": r.reasons,
                                "visibilite": effective_visibility(r.person),
                                "preuves": len(r.evidence)} for r in page.results],
                              ensure_ascii=False, indent=2))
        return
    for result in page.results:
        visibility = effective_visibility(result.person)
        click.echo(f"{result.person.id}  {visibility:<11} {result.person.name:<28} "
                   f"{' ; '.join(result.reasons)}")
    click.echo(f"{len(page.results)} personne(s)")


@people.command("show")
@click.argument("person_id")
@click.pass_context
def show_command(ctx: click.Context, person_id: str) -> None:
    """Affiche tout ce qui est conservé sur une personne (JSON)."""
    data = export_person(open_context(ctx), Reader.operator(), person_id)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@people.command("merge")
@click.argument("keep_id")
@click.argument("absorbed_id")
@click.pass_context
def merge_command(ctx: click.Context, keep_id: str, absorbed_id: str) -> None:
    """Fusionne deux profils d'une même personne : le premier garde tout ce que le second
    avait (noms, documents, organisations, accords, compte)."""
    kept = merge_people(open_context(ctx), Reader.operator(), keep_id, absorbed_id)
    click.echo(f"{absorbed_id} fusionné dans {kept.id} ({kept.name})")


@people.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, file: Path) -> None:
    """Importe un annuaire CSV (colonnes : nom, fonction, organisation, type_organisation,
    territoires, competences, presentation, courriel, telephone, liens, visibilite, accord,
    accord_note)."""
    report = import_people(open_context(ctx), Reader.operator(), file.read_bytes(), file.name)
    for error in report.errors:
        click.echo(f"ÉCHEC {error}", err=True)
    click.echo(f"Bilan : {report.created} créé(s), {report.updated} complété(s), "
               f"{len(report.errors)} échec(s). Visibilités : "
               f"{', '.join(PROFILE_VISIBILITY_LABELS)}.")
    if report.errors:
        ctx.exit(1)
