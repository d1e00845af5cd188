"""`kb search`: the base searched from the command line."""

from __future__ import annotations

import json

import click

from kb.cli.base import json_option, limit_option
from kb.cli.context import open_context
from kb.indexing.sync import ensure_index
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
