"""What forms share: choices built from label tables, visibility choices, and the bare form
that carries only its CSRF token (Flask-WTF: every form carries one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


VISIBILITY_CHOICES = choices([("public", "Public"), ("membres", "Membres de l'alliance"),
                              ("restreint", "Restreint à des groupes")])


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
