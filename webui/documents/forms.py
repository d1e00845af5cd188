"""Forms of uploads and metadata edits, with French labels."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb.documents.publishing import DOCTRINE_KINDS, PUBLIC, can_publish
from kb.models import KIND_LABELS
from kb.visibility import Reader
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


def limit_publishing_choices(form: UploadForm | MetadataForm, reader: Reader) -> None:
    """A member who may not publish is offered only what they may choose; a value outside
    them gets the publishing rule's own refusal (`kb.documents.publishing`), not a generic
    « choix invalide »."""
    if can_publish(reader):
        return
    form.kind.choices = [c for c in form.kind.choices  # type: ignore[union-attr]
                         if c.value not in DOCTRINE_KINDS]
    form.visibility.choices = [c for c in form.visibility.choices  # type: ignore[union-attr]
                               if c.value != PUBLIC]
    form.kind.validate_choice = form.visibility.validate_choice = False
