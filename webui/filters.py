"""Template filters for French display of dates and kinds."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from kb.models import KIND_LABELS

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
