"""The workflow's blueprints (dossiers, actions, labels, « Fondamentaux »), its template
filters, the document page's doctrine panel, the home page's sections and the menu links,
registered on the app."""

from __future__ import annotations

from flask import Flask

from kb.models.workflow import DOSSIER_KIND_LABELS, EVENT_LABELS, STANCE_LABELS, STATE_LABELS
from kb.workflow.criteria import CRITERION_LABELS
from webui.common.navigation import MEMBERS, PRIMARY, register_nav
from webui.common.panels import register_home_section, register_panel
from webui.workflow import actions, fundamentals, home, labels, pages
from webui.workflow.dossier_view import DOCTRINE_LABELS


def init_app(app: Flask) -> None:
    for blueprint in (pages.bp, actions.bp, labels.bp, fundamentals.bp):
        app.register_blueprint(blueprint)
    register_panel(app, "partials/doctrine_panel.html", pages.doctrine_panel, order=20)
    register_home_section(app, "workflow/home_doctrine.html", home.doctrine_section, order=20)
    register_home_section(app, "workflow/home_mine.html", home.dossiers_section, order=20,
                          mine=True)
    register_nav(app, "fundamentals.index", "Fondamentaux", order=30, menu=PRIMARY)
    register_nav(app, "workflow.inbox", "Dossiers à traiter", {"collectif"}, order=30)
    register_nav(app, "workflow.index", "Dossiers de validation", {MEMBERS}, order=40,
                 current_for=("workflow.show",))
    app.add_template_filter(lambda s: DOCTRINE_LABELS.get(s, s), "doctrine_label")
    app.add_template_filter(lambda s: STATE_LABELS.get(s or "", s or ""), "dossier_state")
    app.add_template_filter(lambda s: STANCE_LABELS.get(s, s), "stance_label")
    app.add_template_filter(lambda s: EVENT_LABELS.get(s, s), "event_label")
    app.add_template_filter(lambda s: DOSSIER_KIND_LABELS.get(s, s), "dossier_kind")
    app.add_template_filter(lambda s: CRITERION_LABELS.get(s, s), "criterion_label")
