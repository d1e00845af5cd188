"""Template filters and globals: French dates and kinds, the signed-in user, menus, labels,
messages."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from kb.ingestion.batches import STATUS_LABELS
from kb.models import KIND_LABELS, ROLE_LABELS
from kb.sheets.content import Author, authors_line
from webui.common.context import current_user
from webui.common.feedback import messages_at, page_messages
from webui.common.navigation import menus

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def people_line(people: list[object] | None) -> str:
    """People with their roles, as a sheet lists them: « Josiane Vidal — élue à
    l'agriculture ; Maïa Lucien — maïeuticienne »."""
    return authors_line([Author.of(p) for p in people or []])


def init_app(app: Flask) -> None:
    app.add_template_filter(french_date, "date_fr")
    app.add_template_filter(people_line, "people_line")
    app.add_template_filter(kind_label, "kind_label")
    app.add_template_global(messages_at)
    app.add_template_global(page_messages)
    max_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)

    @app.context_processor
    def globals_for_templates() -> dict[str, object]:
        user = current_user()
        return {"current_user": user, "menus": menus(user), "role_labels": ROLE_LABELS,
                "status_labels": STATUS_LABELS, "max_upload_mb": max_mb}
