"""`kb tag` (automatic tagging) and `kb eval tags` (quality against gold tags)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.base import open_context
from kb.taxonomy.reading import has_taxonomy
from kb.taxonomy.tag_evaluation import SystemScores, evaluate_tags, read_gold, write_predictions
from kb.taxonomy.tagging import documents_to_tag, tag_documents


@click.command()
@click.option("--all", "everything", is_flag=True,
              help="Ré-étiquette tous les documents.")
@click.option("--changed", "changed", is_flag=True,
              help="Documents nouveaux ou modifiés, ou dont le thésaurus a changé (défaut).")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1, 1000),
              help="Textes par lot d'analyse (la mémoire en dépend).")
@click.pass_context
def tag(ctx: click.Context, everything: bool, changed: bool, batch_size: int) -> None:
    """Étiquette automatiquement les documents ; les décisions humaines sont conservées."""
    if everything and changed:
        raise click.UsageError("--all et --changed s'excluent.")
    kb_ctx = open_context(ctx)
    if not has_taxonomy(kb_ctx):
        click.echo("Aucun thésaurus d'étiquetage : « kb taxonomy import FICHIER ».")
        return
    ids = documents_to_tag(kb_ctx, everything)
    if not ids:
        click.echo("Rien à ré-étiqueter.")
        return
    with click.progressbar(length=len(ids), label="Étiquetage", file=sys.stderr) as bar:
        report = tag_documents(kb_ctx, ids, batch_size, progress=bar.update)
    speed = report.words / report.seconds if report.seconds else 0.0
    languages = ", ".join(f"{n} en {lang}" for lang, n in report.languages.most_common())
    click.echo(f"{report.documents} document(s) étiqueté(s) ({languages}) : "
               f"{report.suggested} suggestion(s), {report.removed} retirée(s), "
               f"{report.kept_decisions} décision(s) humaine(s) conservée(s) ; "
               f"{report.words} mots en {report.seconds:.1f} s ({speed:,.0f} mots/s).")


def _line(name: str, scores: SystemScores) -> list[str]:
    return [
        f"{name:<22}micro  {scores.micro.precision:9.3f} {scores.micro.recall:7.3f} "
        f"{scores.micro.f1:7.3f}",
        f"{'':<22}macro  {scores.macro.precision:9.3f} {scores.macro.recall:7.3f} "
        f"{scores.macro.f1:7.3f}",
        f"{'':<22}F1@5   {'':>9} {'':>7} {scores.f1_at_5:7.3f}",
    ]


@click.command(name="tags")
@click.option("--gold", "gold_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Étiquettes de référence : lignes « clé<TAB>URI du concept ».")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Écrit les prédictions de l'étiqueteur dans ce fichier (même format).")
@click.pass_context
def eval_tags(ctx: click.Context, gold_path: Path, out: Path | None) -> None:
    """Mesure l'étiquetage (précision, rappel, F1) face à une référence naïve."""
    gold = read_gold(gold_path)
    result = evaluate_tags(open_context(ctx), gold)
    click.echo(f"Évaluation sur {result.documents} document(s), {result.gold_tags} "
               "étiquette(s) de référence (macro : moyenne par document)")
    click.echo(f"{'':<29}précision  rappel      F1")
    for line in (*_line("Étiqueteur", result.tagger),
                 *_line("Référence naïve", result.baseline)):
        click.echo(line)
    if result.missing_documents:
        click.echo(f"Attention : {len(result.missing_documents)} document(s) de la référence "
                   f"absent(s) de la base : {', '.join(result.missing_documents[:5])}", err=True)
    if result.unknown_concepts:
        click.echo(f"Attention : {len(result.unknown_concepts)} concept(s) inconnu(s) : "
                   f"{', '.join(result.unknown_concepts[:5])}", err=True)
    if out:
        write_predictions(out, result.predictions)
        click.echo(f"Prédictions écrites dans {out}")
