"""`kb tag` (automatic tagging), `kb tags import` (existing indexing) and `kb eval tags`
(quality against gold tags)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from indexer.tagging.ensemble import MIN_TRAINING_DOCUMENTS
from indexer.tagging.metrics import SystemScores
from kb.cli.context import open_context
from kb.taxonomy.learning import LearnedState
from kb.taxonomy.reading import has_taxonomy
from kb.taxonomy.tag_evaluation import evaluate_tags, read_gold, write_predictions
from kb.taxonomy.tag_import import import_tags
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
    """Étiquette automatiquement les documents et entraîne l'étiqueteur appris ; les
    décisions humaines sont conservées.

    L'étiqueteur appris s'entraîne sur les décisions des documentalistes quand elles ont
    changé ; il réévalue alors toute la base."""
    if everything and changed:
        raise click.UsageError("--all et --changed s'excluent.")
    kb_ctx = open_context(ctx)
    if not has_taxonomy(kb_ctx):
        click.echo("Aucun thésaurus d'étiquetage : « kb taxonomy import FICHIER ».")
        return
    ids = documents_to_tag(kb_ctx, everything)
    if ids:
        with click.progressbar(length=len(ids), label="Étiquetage", file=sys.stderr) as bar:
            report = tag_documents(kb_ctx, ids, batch_size, progress=bar.update)
    else:
        report = tag_documents(kb_ctx, [], batch_size)
    if report.learned is not None:
        click.echo(_learned_line(report.learned))
    if not report.documents and not report.rescored:
        click.echo("Rien à ré-étiqueter.")
        return
    speed = report.words / report.seconds if report.seconds else 0.0
    languages = ", ".join(f"{n} en {lang}" for lang, n in report.languages.most_common())
    analysed = f"{report.documents} document(s) étiqueté(s)" + (
        f" ({languages})" if languages else "")
    rescored = f", {report.rescored} réévalué(s) par l'étiqueteur appris" \
        if report.rescored else ""
    click.echo(f"{analysed}{rescored} : {report.suggested} suggestion(s), "
               f"{report.removed} retirée(s), {report.kept_decisions} décision(s) humaine(s) "
               f"conservée(s) ; {report.words} mots en {report.seconds:.1f} s "
               f"({speed:,.0f} mots/s).")


def _learned_line(learned: LearnedState) -> str:
    if learned.tagger is None:
        return (f"Étiqueteur appris : pas encore ({learned.documents} document(s) portent des "
                f"étiquettes acceptées ; il en faut au moins {MIN_TRAINING_DOCUMENTS}, avec des "
                "suggestions acceptées et d'autres non).")
    verb = f"entraîné en {learned.seconds:.1f} s" if learned.trained else "à jour"
    return (f"Étiqueteur appris : {verb}, {learned.documents} document(s), "
            f"{learned.concepts} concept(s) appris.")


@click.group()
def tags() -> None:
    """Étiquettes des documents : reprise d'une indexation existante."""


SHOWN = 5


def _sample(counter: Counter[str]) -> str:
    names = [f"{key} ({count})" if count > 1 else key for key, count in counter.most_common(SHOWN)]
    more = f" … (+{len(counter) - SHOWN})" if len(counter) > SHOWN else ""
    return ", ".join(names) + more


@tags.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_tags_command(ctx: click.Context, path: Path) -> None:
    """Importe des étiquettes « clé<TAB>URI du concept » comme acceptées par une personne."""
    report = import_tags(open_context(ctx), path)
    click.echo(f"{path.name} : {report.lines} ligne(s), {len(report.documents)} document(s) ; "
               f"{report.added} étiquette(s) ajoutée(s), {report.confirmed} suggestion(s) "
               f"acceptée(s), {report.unchanged} déjà acceptée(s).")
    for title, counter in (("clé(s) inconnue(s)", report.unknown_keys),
                           ("clé(s) ambiguë(s) (plusieurs documents)", report.ambiguous_keys),
                           ("concept(s) inconnu(s)", report.unknown_concepts),
                           ("concept(s) déprécié(s), ignoré(s)", report.deprecated_concepts)):
        if counter:
            click.echo(f"  {len(counter)} {title} : {_sample(counter)}", err=True)
    if report.kept_rejections:
        click.echo(f"  {len(report.kept_rejections)} étiquette(s) rejetée(s) dans kb, "
                   "conservée(s) telle(s) quelle(s) : " + ", ".join(
                       f"{key} {uri}" for key, uri in report.kept_rejections[:SHOWN]), err=True)
    for error in report.errors[:20]:
        click.echo(f"ERREUR {error}", err=True)
    if len(report.errors) > 20:
        click.echo(f"… et {len(report.errors) - 20} autre(s) ligne(s) mal formée(s)", err=True)
    if report.added or report.confirmed:
        click.echo("Lancez « kb tag » pour que l'étiqueteur apprenne de ces décisions.")
    if report.errors:
        ctx.exit(1)


def _lines(name: str, scores: SystemScores) -> list[str]:
    micro, macro = scores.micro, scores.macro
    return [f"{name[:39]:<40}micro {micro.precision:9.3f} {micro.recall:7.3f} {micro.f1:7.3f} "
            f"{scores.f1_at_1:7.3f} {scores.accuracy_at_1:8.3f} {scores.f1_at_5:7.3f}",
            f"{'':<40}macro {macro.precision:9.3f} {macro.recall:7.3f} {macro.f1:7.3f}"]


@click.command(name="tags")
@click.option("--gold", "gold_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Étiquettes de référence : lignes « clé<TAB>URI du concept » (une ligne "
                   "d'en-tête aux noms quelconques est permise ; clé : celle du document, ou "
                   "l'identifiant d'un enregistrement).")
@click.option("--scheme", "scheme_uri", default=None,
              help="Ne note que les concepts de ce schéma (URI).")
@click.option("--folds", type=click.IntRange(2, 100), default=None,
              help="Validation croisée en K plis de l'étiqueteur appris : entraîné sur K-1 "
                   "plis de la référence comme si ses étiquettes étaient acceptées, il "
                   "étiquette le dernier.")
@click.option("--gold-concepts-only", is_flag=True,
              help="Ramène les prédictions aux concepts de la référence (un niveau d'une "
                   "arborescence) : un concept plus étroit compte pour son ancêtre, les "
                   "autres sont ignorés.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Écrit les prédictions « clé<TAB>URI<TAB>confiance », les meilleures "
                   "d'abord pour chaque document.")
@click.pass_context
def eval_tags(ctx: click.Context, gold_path: Path, scheme_uri: str | None, folds: int | None,
              gold_concepts_only: bool, out: Path | None) -> None:
    """Mesure l'étiquetage (précision, rappel, F1, F1@1, F1@5) face à une référence naïve."""
    result = evaluate_tags(open_context(ctx), read_gold(gold_path), scheme_uri, folds,
                           gold_concepts_only)
    scope = f", schéma {scheme_uri}" if scheme_uri else ""
    method = f", validation croisée en {folds} plis" if folds else ""
    click.echo(f"Évaluation sur {result.documents} document(s), {result.gold_tags} "
               f"étiquette(s) de référence{scope}{method} (macro : moyenne par document ; "
               "exact.@1 : part des documents dont le premier concept est juste)")
    click.echo(f"{'':<46}précision  rappel      F1    F1@1 exact.@1    F1@5")
    for system in result.systems:
        for line in _lines(system.name, system.scores):
            click.echo(line)
    for note in result.notes:
        click.echo(f"Note : {note}", err=True)
    if result.seen_in_training:
        click.echo(f"Attention : {result.seen_in_training} document(s) évalué(s) ont servi à "
                   "entraîner l'étiqueteur appris ; --folds K le mesure sur des documents "
                   "qu'il n'a pas vus.", err=True)
    if result.missing_documents:
        click.echo(f"Attention : {len(result.missing_documents)} document(s) de la référence "
                   f"absent(s) de la base : {', '.join(result.missing_documents[:5])}", err=True)
    if result.unknown_concepts:
        click.echo(f"Attention : {len(result.unknown_concepts)} concept(s) inconnu(s) : "
                   f"{', '.join(result.unknown_concepts[:5])}", err=True)
    if out:
        write_predictions(out, result)
        click.echo(f"Prédictions écrites dans {out}")
