"""What forms share: the base form (CSRF token, French validation messages), choices built
from label tables, visibility choices, and the bare form that carries only its token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


VISIBILITY_CHOICES = choices([("public", "Public"), ("membres", "Membres de l'alliance"),
                              ("restreint", "Restreint à des groupes")])


class Form(FlaskForm):
    """Every form of the site: Flask-WTF's CSRF token, and WTForms' own French translations
    of its validation messages (« Ce champ est requis. »)."""

    class Meta:
        locales = ("fr_FR", "fr")

        def get_translations(self, form: FlaskForm) -> object:
            # Flask-WTF would look for Flask-Babel; WTForms ships the catalogues itself.
            return DefaultMeta.get_translations(self, form)  # type: ignore[arg-type]


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change state."""
