"""`kb eval`: search and tagging quality measured against reference judgements."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import json_option
from kb.cli.context import open_context
from kb.cli.tagging import eval_tags
from kb.indexing.sync import ensure_index
from kb.search.evaluation import read_qrels, read_queries, write_run
from kb.search.instance_evaluation import evaluate_instance
from kb.visibility import Reader


@click.command(name="search")
@click.option("--queries", "queries_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Requêtes : lignes « id<TAB>texte » ou JSON Lines {\"id\", \"text\"}.")
@click.option("--qrels", "qrels_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Jugements : « requête<TAB>document<TAB>pertinence ».")
@click.option("--run", "run_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Écrit les classements au format TREC run.")
@click.option("--public", "as_public", is_flag=True,
              help="Cherche comme un visiteur anonyme (par défaut : l'opérateur voit tout).")
@json_option
@click.pass_context
def eval_search(ctx: click.Context, queries_file: Path, qrels_file: Path,
                run_file: Path | None, as_public: bool, as_json: bool) -> None:
    """Mesure nDCG@10, MRR@10, P@5 et Recall@100 de la recherche."""
    kb_ctx = open_context(ctx)
    ensure_index(kb_ctx)
    queries, qrels = read_queries(queries_file), read_qrels(qrels_file)
    reader = Reader.anonymous() if as_public else Reader.operator()
    report = evaluate_instance(kb_ctx, reader, queries, qrels)
    if run_file:
        write_run(run_file, report.runs)
    if as_json:
        click.echo(json.dumps({"queries": len(report.per_query), "metrics": report.means,
                               "unknown_documents": sorted(report.unknown_docs)},
                              ensure_ascii=False, indent=2))
        return
    who = "visiteur anonyme" if as_public else "opérateur (voit tous les documents)"
    click.echo(f"{len(report.per_query)} requête(s) jugée(s), lecteur : {who}")
    for name, value in report.means.items():
        click.echo(f"{name:<11} {value:.3f}")
    if report.unknown_docs:
        click.echo(f"Attention : {len(report.unknown_docs)} document(s) des jugements "
                   f"introuvable(s) dans la base, par ex. {sorted(report.unknown_docs)[0]}",
                   err=True)
    if run_file:
        click.echo(f"Classements écrits dans {run_file}")


@click.group(name="eval")
def evaluate() -> None:
    """Mesure la qualité (recherche, étiquetage) sur des jugements de référence."""


evaluate.add_command(eval_search)
evaluate.add_command(eval_tags)
