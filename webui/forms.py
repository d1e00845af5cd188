"""Web forms (Flask-WTF: every form carries a CSRF token), with French labels."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from kb.models import KIND_LABELS, ROLE_LABELS


def choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


VISIBILITY_CHOICES = choices([("public", "Public"), ("membres", "Membres de l'alliance"),
                              ("restreint", "Restreint à des groupes")])
ROLE_CHOICES = choices(list(ROLE_LABELS.items()))
KIND_CHOICES = choices([("", "D'après le fichier ou le dossier"), *KIND_LABELS.items()])


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(), Email()])
    password = PasswordField("Mot de passe", validators=[DataRequired()])


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Mot de passe actuel", validators=[DataRequired()])
    new = PasswordField("Nouveau mot de passe", validators=[DataRequired(), Length(min=10)])
    confirm = PasswordField("Confirmer le nouveau mot de passe",
                            validators=[DataRequired(), EqualTo("new", "Les mots de passe "
                                                                       "ne correspondent pas.")])


class UserCreateForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(), Email()])
    display_name = StringField("Nom affiché", validators=[Optional(), Length(max=200)])
    role = SelectField("Rôle", choices=ROLE_CHOICES, default="allie")
    groups = StringField("Groupes (séparés par des virgules)", validators=[Optional()])
    password = PasswordField("Mot de passe initial", validators=[DataRequired(), Length(min=10)])


class UserUpdateForm(FlaskForm):
    role = SelectField("Rôle", choices=ROLE_CHOICES)
    groups = StringField("Groupes", validators=[Optional()])
    active = BooleanField("Compte actif")


class UploadForm(FlaskForm):
    files = MultipleFileField("Fichiers (PDF, DOCX, ODT, Markdown, HTML, texte, ZIP, JSONL)",
                              validators=[DataRequired("Choisissez au moins un fichier.")])
    kind = SelectField("Type de document", choices=KIND_CHOICES, default="")
    visibility = SelectField("Visibilité", choices=VISIBILITY_CHOICES, default="membres")
    groups = StringField("Groupes autorisés (si restreint, séparés par des virgules)",
                         validators=[Optional()])


class MetadataForm(FlaskForm):
    title = StringField("Titre", validators=[DataRequired(), Length(max=300)])
    kind = SelectField("Type de document", choices=choices(list(KIND_LABELS.items())))
    authors = StringField("Auteur·rice·s (séparé·e·s par des points-virgules)",
                          validators=[Optional()])
    date = StringField("Date (AAAA-MM-JJ)", validators=[Optional(), Length(max=10)])
    territory = StringField("Territoire", validators=[Optional(), Length(max=300)])
    themes = TextAreaField("Thèmes (un par ligne)", validators=[Optional()])
    visibility = SelectField("Visibilité", choices=VISIBILITY_CHOICES)
    groups = StringField("Groupes autorisés (si restreint)", validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


__all__ = ["ConfirmForm", "FileField", "LoginForm", "MetadataForm", "PasswordChangeForm",
           "UploadForm", "UserCreateForm", "UserUpdateForm"]
