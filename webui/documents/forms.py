"""Forms of uploads and metadata edits, with French labels."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb.models import KIND_LABELS
from webui.common.forms import VISIBILITY_CHOICES, Form, choices

KIND_CHOICES = choices([("", "D'après le fichier ou le dossier"), *KIND_LABELS.items()])


class UploadForm(Form):
    files = MultipleFileField("Fichiers (PDF, DOCX, ODT, Markdown, HTML, texte, ZIP, JSONL)",
                              validators=[DataRequired("Choisissez au moins un fichier.")])
    kind = SelectField("Type de document", choices=KIND_CHOICES, default="")
    visibility = SelectField("Visibilité", choices=VISIBILITY_CHOICES, default="membres")
    groups = StringField("Groupes autorisés (si restreint, séparés par des virgules)",
                         validators=[Optional()])


class MetadataForm(Form):
    title = StringField("Titre", validators=[DataRequired(), Length(max=300)])
    kind = SelectField("Type de document", choices=choices(list(KIND_LABELS.items())))
    authors = StringField("Auteur·rice·s (séparé·e·s par des points-virgules)",
                          validators=[Optional()])
    date = StringField("Date (AAAA-MM-JJ)", validators=[Optional(), Length(max=10)])
    territory = StringField("Territoire", validators=[Optional(), Length(max=300)])
    themes = TextAreaField("Thèmes (un par ligne)", validators=[Optional()])
    visibility = SelectField("Visibilité", choices=VISIBILITY_CHOICES)
    groups = StringField("Groupes autorisés (si restreint)", validators=[Optional()])
