"""Template filters and globals: French dates and kinds, the signed-in user, labels."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from kb.ingestion.batches import STATUS_LABELS
from kb.models import KIND_LABELS, ROLE_LABELS
from webui.common.context import current_user
from webui.common.panels import nav_links

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def init_app(app: Flask) -> None:
    app.add_template_filter(french_date, "date_fr")
    app.add_template_filter(kind_label, "kind_label")
    max_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)

    @app.context_processor
    def globals_for_templates() -> dict[str, object]:
        user = current_user()
        return {"current_user": user, "nav_links": nav_links(user), "role_labels": ROLE_LABELS,
                "status_labels": STATUS_LABELS, "max_upload_mb": max_mb}
