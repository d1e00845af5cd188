"""`kb serve`: the web UI served for an instance, registered as a `kb.commands` entry point so
that `kb` itself never imports the web layer."""

from __future__ import annotations

import click
from waitress import serve as waitress_serve

from webui.app import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True, help="Sert avec waitress (multi-fils).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, production: bool) -> None:
    """Sert l'interface web."""
    settings = ctx.obj
    app = create_app(settings)
    click.echo(f"Interface web sur http://{host}:{port}/")
    if production:
        waitress_serve(app, host=host, port=port, threads=8)
    else:
        app.run(host=host, port=port, debug=False, use_reloader=False)
