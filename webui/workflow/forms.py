"""Forms of the doctrine and label workflow (each carries its CSRF token)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kb.models.workflow import DOSSIER_KIND_LABELS, LABEL_KINDS
from kb.workflow.store import MAX_TEXT
from webui.common.forms import Form, choices

STANCE_CHOICES = choices([
    ("consentement", "Consentement"),
    ("reserve", "Réserve (avec un commentaire)"),
    ("objection", "Objection (avec sa raison)"),
])
OUTCOME_CHOICES = choices([("valider", "Valider"), ("ne-pas-retenir", "Ne pas retenir")])
LABEL_CHOICES = choices([(kind, DOSSIER_KIND_LABELS[kind]) for kind in LABEL_KINDS])


def text_area(label: str, required: bool = False) -> TextAreaField:
    checks = [DataRequired("Ce champ est obligatoire.")] if required else [Optional()]
    return TextAreaField(label, validators=[*checks, Length(max=MAX_TEXT)])


class ProposeForm(Form):
    motivation = text_area("Pourquoi ce texte devrait-il être reconnu comme doctrine ?", True)


class ActionForm(Form):
    """A simple action with an optional text; `version` is the dossier as shown."""

    comment = text_area("Commentaire")
    version = HiddenField()


class PositionForm(Form):
    stance = RadioField("Ma position", choices=STANCE_CHOICES,
                        validators=[DataRequired("Choisissez une position.")])
    comment = text_area("Commentaire (obligatoire pour une réserve ou une objection)")


class AnswerForm(Form):
    answer = text_area("Réponse à l'objection", True)


class WithdrawForm(Form):
    """The objector withdraws their objection and says what they hold now."""

    stance = RadioField("Ma position désormais", choices=choices([
        ("consentement", "Consentement"), ("reserve", "Réserve (avec un commentaire)")]),
        default="consentement", validators=[DataRequired("Choisissez une position.")])
    comment = text_area("Commentaire (obligatoire pour une réserve)")


class SetAsideForm(Form):
    """The collective sets an objection aside, saying why; `version` is the dossier shown."""

    reason = text_area("Pourquoi le collectif écarte cette objection", True)
    version = HiddenField()


class DecisionForm(Form):
    outcome = RadioField("Décision", choices=OUTCOME_CHOICES,
                         validators=[DataRequired("Choisissez une décision.")])
    rationale = text_area("Motifs de la décision", True)
    version = HiddenField()
    revision = HiddenField()


class CriteriaForm(Form):
    criteria = SelectMultipleField("Critères remplis", choices=[], validate_choice=False,
                                   widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())


class RevisionForm(Form):
    file = FileField("Nouvelle version du document",
                     validators=[FileRequired("Choisissez un fichier.")])


class InitiativeForm(Form):
    name = StringField("Nom de l'initiative", validators=[DataRequired(), Length(max=300)])
    description = text_area("Description", True)
    territory = StringField("Territoire", validators=[Optional(), Length(max=300)])
    carrier = StringField("Porteur·euse·s", validators=[Optional(), Length(max=300)])
    kind = SelectField("Label demandé", choices=LABEL_CHOICES, default="egide")
    motivation = text_area("Proposition de l'association (motivation)", True)
