"""Forms of the trainers' catalogues (every form carries its CSRF token)."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb.catalogues.lists import Target
from kb.models import Catalogue
from kb.models.catalogues import SHARING_LABELS
from webui.common.forms import Form, choices

SHARING_CHOICES = choices(list(SHARING_LABELS.items()))


class CatalogueForm(Form):
    title = StringField("Titre du catalogue", validators=[DataRequired("Le titre est obligatoire."),
                                                          Length(max=300)])
    audience = StringField("Public visé", validators=[Optional(), Length(max=300)])
    purpose = TextAreaField("Objectif (accompagnement, formation…)", validators=[Optional()],
                            render_kw={"rows": 4})
    duration = StringField("Durée", validators=[Optional(), Length(max=100)])
    sharing = SelectField("Partage", choices=SHARING_CHOICES, default="prive")

    def values(self) -> dict[str, object]:
        return {"title": self.title.data, "audience": self.audience.data,
                "purpose": self.purpose.data, "duration": self.duration.data,
                "sharing": self.sharing.data}


def catalogue_data(catalogue: Catalogue) -> dict[str, object]:
    return {"title": catalogue.title, "audience": catalogue.audience,
            "purpose": catalogue.purpose, "duration": catalogue.duration,
            "sharing": catalogue.sharing}


class SectionForm(Form):
    title = StringField("Titre de la section", validators=[DataRequired("Le titre est "
                                                                        "obligatoire.")])


class NoteForm(Form):
    note = TextAreaField("Note du formateur ou de la formatrice", render_kw={"rows": 3})


class AddItemForm(Form):
    """Add a document to a section of one of the trainer's catalogues."""

    target = SelectField("Catalogue", validators=[DataRequired("Choisissez un catalogue.")])
    note = TextAreaField("Note (facultative)", render_kw={"rows": 2})
    document_id = HiddenField(validators=[DataRequired()])

    def set_targets(self, targets: list[Target]) -> None:
        self.target.choices = choices([(f"{t.catalogue_id}:{t.section_id}", t.label)
                                       for t in targets])

    def chosen(self) -> tuple[str, int]:
        catalogue_id, _, section = (self.target.data or "").partition(":")
        return catalogue_id, int(section) if section.isdigit() else 0


class MoveToSectionForm(Form):
    """The target section's id (the page renders the choice; the service checks it)."""

    section = StringField("Déplacer vers la section", validators=[DataRequired()])
