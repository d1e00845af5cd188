"""The catalogue blueprints, the document page's « Ajouter au catalogue » panel, the home
page's « Mes catalogues » and the menu links, registered on the app."""

from __future__ import annotations

from flask import Flask

from webui.catalogues import edit, pages
from webui.common.navigation import PRIMARY, register_nav
from webui.common.panels import register_home_section, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(pages.bp)
    app.register_blueprint(edit.bp)
    register_panel(app, "partials/catalogue_panel.html", pages.catalogue_panel, order=30)
    register_home_section(app, "catalogues/home_mine.html", pages.mine_section, order=30,
                          mine=True)
    register_nav(app, "catalogues.index", "Catalogues", order=50, menu=PRIMARY,
                 current_for=("catalogues.show", "catalogues.edit", "catalogues.new",
                              "catalogue_edit.add"))
    register_nav(app, "catalogues.new", "Nouveau catalogue", {"formateur"}, order=50)
