"""The catalogue blueprints, the document page's « Ajouter au catalogue » panel and the menu
link, registered on the app."""

from __future__ import annotations

from flask import Flask

from webui.catalogues import edit, pages
from webui.common.panels import register_nav, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(pages.bp)
    app.register_blueprint(edit.bp)
    register_panel(app, "partials/catalogue_panel.html", pages.catalogue_panel, order=30)
    register_nav(app, "catalogues.index", "Catalogues", {"members"}, order=40)
