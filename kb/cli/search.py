"""`kb search` and `kb eval search`: the base searched, and search quality measured."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import json_option, limit_option, open_context
from kb.indexing.sync import ensure_index
from kb.search.evaluation import read_qrels, read_queries, write_run
from kb.search.instance_evaluation import evaluate_instance
from kb.search.results import search_documents
from kb.visibility import Reader


@click.command()
@click.argument("query", nargs=-1, required=True)
@json_option
@limit_option(default=10, maximum=100)
@click.option("--public", "as_public", is_flag=True,
              help="Cherche comme un visiteur anonyme (documents publics seulement).")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, limit: int,
           as_public: bool) -> None:
    """Cherche dans la base (en tant qu'opérateur : tous les documents)."""
    kb_ctx = open_context(ctx)
    ensure_index(kb_ctx)
    reader = Reader.anonymous() if as_public else Reader.operator()
    page = search_documents(kb_ctx, reader, " ".join(query), per_page=limit, with_facets=False)
    if as_json:
        rows = [
            {"id": h.document.id, "source_key": h.document.source_key,
             "title": h.document.title, "kind": h.document.kind,
             "score": round(h.score, 4), "snippet": str(h.snippet)}
            for h in page.hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for note in page.notes:
        click.echo(note)
    compounds = " et ".join(f"« {c} »" for c in page.compounds)
    written = f", dont {page.with_compounds} avec {compounds} en entier" \
        if page.compounds and page.with_compounds < page.total else ""
    click.echo(f"{page.total} document(s) pour « {page.searched} »{written}")
    if page.spelling and page.spelling.applied:
        click.echo(f"(aucun résultat pour « {page.query} » : requête corrigée)")
    elif page.spelling:
        click.echo(f"Vouliez-vous dire « {page.spelling.query} » ? "
                   f"({page.spelling.total} document(s))")
    for rank, hit in enumerate(page.hits, start=1):
        click.echo(f"{rank:>3}. {hit.document.title}  [{hit.document.kind}]  "
                   f"{hit.document.source_key}  ({hit.score:.2f})")



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
