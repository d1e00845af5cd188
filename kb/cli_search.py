"""`kb search`, `kb reindex`, `kb check` and `kb serve`."""

from __future__ import annotations

import json
import sys

import click

from kb.visibility import Reader


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Sortie en JSON.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100),
              help="Nombre maximal de résultats.")
@click.option("--public", "as_public", is_flag=True,
              help="Cherche comme un visiteur anonyme (documents publics seulement).")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, limit: int,
           as_public: bool) -> None:
    """Cherche dans la base (en tant qu'opérateur : tous les documents)."""
    from kb.cli import open_context
    from kb.indexing import ensure_index
    from kb.search_service import search_documents

    kb_ctx = open_context(ctx)
    ensure_index(kb_ctx)
    reader = Reader.anonymous() if as_public else Reader.operator()
    page = search_documents(kb_ctx, reader, " ".join(query), per_page=limit)
    if as_json:
        rows = [
            {"id": h.document.id, "source_key": h.document.source_key,
             "title": h.document.title, "kind": h.document.kind,
             "score": round(h.score, 4), "snippet": str(h.snippet)}
            for h in page.hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{page.total} document(s) pour « {page.query} »")
    for rank, hit in enumerate(page.hits, start=1):
        click.echo(f"{rank:>3}. {hit.document.title}  [{hit.document.kind}]  "
                   f"{hit.document.source_key}  ({hit.score:.2f})")


@click.command()
@click.option("--if-needed", is_flag=True,
              help="Ne reconstruit que si l'index manque ou a changé de version.")
@click.pass_context
def reindex(ctx: click.Context, if_needed: bool) -> None:
    """Reconstruit l'index depuis la base, à côté de l'ancien, puis bascule."""
    from kb.cli import open_context
    from kb.indexing import ensure_index, rebuild_index

    kb_ctx = open_context(ctx)
    if if_needed:
        rebuilt = ensure_index(kb_ctx)
        click.echo("Index reconstruit." if rebuilt else "Index à jour, rien à faire.")
        return
    count = rebuild_index(kb_ctx)
    click.echo(f"Index reconstruit : {count} document(s).")


@click.command()
@click.option("--repair", is_flag=True, help="Répare les écarts trouvés.")
@click.pass_context
def check(ctx: click.Context, repair: bool) -> None:
    """Compare la base et l'index et signale (ou répare) les écarts."""
    from kb.cli import open_context
    from kb.indexing import check_index

    kb_ctx = open_context(ctx)
    drift = check_index(kb_ctx, repair=repair)
    labels = {"missing": "absents de l'index", "stale": "dans l'index mais plus en base",
              "pending": "en attente d'indexation"}
    problems = sum(len(v) for v in drift.values())
    for key, ids in drift.items():
        if ids:
            click.echo(f"{len(ids)} document(s) {labels[key]} : {', '.join(ids[:10])}")
    if not problems:
        click.echo("Base et index concordent.")
    elif repair:
        click.echo("Écarts réparés.")
    else:
        sys.exit(1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True, help="Sert avec waitress (multi-fils).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, production: bool) -> None:
    """Sert l'interface web."""
    from webui import create_app

    settings = ctx.obj
    app = create_app(settings)
    click.echo(f"Interface web sur http://{host}:{port}/")
    if production:
        from waitress import serve as waitress_serve

        waitress_serve(app, host=host, port=port, threads=8)
    else:
        app.run(host=host, port=port, debug=False, use_reloader=False)

