"""The directory's blueprints, its document panel (« Qui a fait cela ? ») and menu links."""

from __future__ import annotations

from flask import Flask

from webui.common.navigation import MEMBERS, PRIMARY, register_nav
from webui.common.panels import register_panel
from webui.people import mine, organisations, pages, review


def init_app(app: Flask) -> None:
    for blueprint in (pages.bp, organisations.bp, mine.bp, review.bp):
        app.register_blueprint(blueprint)
    app.add_template_global(pages.result_themes, "result_themes")
    register_panel(app, "people/panel.html", pages.document_panel, order=15)
    register_nav(app, "people.directory", "Annuaire", order=60, menu=PRIMARY,
                 current_for=("people.profile", "organisations.index", "organisations.show"))
    register_nav(app, "my_profile.mine", "Mon profil d'allié·e", {MEMBERS}, order=85,
                 current_for=("my_profile.edit",))
    register_nav(app, "people_review.queue", "Annuaire : à vérifier", {"admin"}, order=75)
