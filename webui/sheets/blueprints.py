"""The experience sheet blueprints, their template globals, the document page's sheet panel,
the home page's sections and the menu links, registered on the app."""

from __future__ import annotations

from flask import Flask, request

from kb.models.sheets import REVISION_KIND_LABELS, SHEET_STATE_LABELS
from kb.sheets.content import SECTIONS
from webui.common.navigation import PRIMARY, register_nav
from webui.common.panels import register_home_section, register_panel
from webui.sheets import files, home, pages, states
from webui.sheets.forms import PART_HELP

BLUEPRINTS = (pages.bp, states.bp, files.bp)


def sheet_globals() -> dict[str, object]:
    """Labels every sheet template uses, on the sheet pages only."""
    if request.blueprint not in {bp.name for bp in BLUEPRINTS}:
        return {}
    return {"parts": SECTIONS, "part_help": PART_HELP, "state_labels": SHEET_STATE_LABELS,
            "revision_labels": REVISION_KIND_LABELS}


def init_app(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.context_processor(sheet_globals)
    register_panel(app, "sheets/panel.html", states.sheet_panel, order=20)
    register_home_section(app, "sheets/home_latest.html", home.latest_section, order=30)
    register_home_section(app, "sheets/home_mine.html", home.mine_section, order=10, mine=True)
    register_nav(app, "search.results", "Fiches", order=40, menu=PRIMARY,
                 params={"type": "fiche-experience"})
    register_nav(app, "sheets.index", "Mes fiches d'expérience", {"maieuticien"}, order=20,
                 current_for=("sheets.show", "sheets.edit", "sheets.new"))
