"""`kb serve`: the web UI served for an instance, registered as a `kb.commands` entry point so
that `kb` itself never imports the web layer."""

from __future__ import annotations

import click

# Threads of the production server: requests wait on the database and the index files more
# than on the processor, so a few per core keep both cores busy.
THREADS = 8


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port d'écoute.")
@click.option("--production", is_flag=True,
              help=f"Sert avec waitress ({THREADS} fils) au lieu du serveur de développement.")
@click.option("--threads", default=THREADS, show_default=True, type=click.IntRange(1, 64),
              help="Nombre de fils du serveur de production.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, production: bool, threads: int) -> None:
    """Sert l'interface web."""
    # Deferred: the web app and the server are heavy, and `kb --help` must not load them.
    from waitress import serve as waitress_serve

    from kb.instance import require_instance
    from kb.search.warmup import keep_search_warm
    from webui.app import create_app

    settings = ctx.obj
    require_instance(settings)
    app = create_app(settings)
    # The index is loaded in the background; requests are answered meanwhile.
    keep_search_warm(app.extensions["kb"], report=lambda line: click.echo(line, err=True))
    click.echo(f"Interface web sur http://{host}:{port}/"
               + (f" (waitress, {threads} fils)" if production else " (développement)"))
    if production:
        waitress_serve(app, host=host, port=port, threads=threads, ident="kb")
    else:
        app.run(host=host, port=port, debug=False, use_reloader=False)
