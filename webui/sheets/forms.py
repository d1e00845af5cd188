"""Forms of the experience sheets, and their conversion to and from the sheet service's types."""

from __future__ import annotations

import datetime as dt

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, Optional

from kb.models import Sheet
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from webui.common.forms import VISIBILITY_CHOICES, Form

# Parts of the form, with their labels and the help shown under each field.
PART_HELP = {
    "context": "Le territoire, la situation de départ, ce qui a déclenché la démarche.",
    "actors": "Qui a agi : élu·es, services, habitant·es, associations, entreprises…",
    "narrative": "Ce qui s'est passé, dans l'ordre, raconté par la personne qui l'a vécu.",
    "difficulties": "Ce qui a résisté, les obstacles, les erreurs.",
    "lessons": "Ce que la personne en retient et transmettrait à d'autres territoires.",
}


def split_lines(raw: str | None) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


# Empty rows offered under the people already listed (more come with each save).
SPARE_AUTHOR_ROWS = 2
MIDWIFE_ROLE = "maïeuticien·ne"


class AuthorForm(Form):
    """One person of the sheet (a sub-form: its CSRF token is the sheet form's)."""

    class Meta:
        csrf = False

    name = StringField("Nom")
    role = StringField("Rôle (facultatif)")


class SheetForm(Form):
    """Only the title is required to save a draft (the rest is checked at review)."""

    title = StringField("Titre de la fiche")
    territory = StringField("Territoire")
    experience_date = DateField("Date de l'expérience", validators=[Optional()])
    authors = FieldList(FormField(AuthorForm), label="Personnes",
                        min_entries=1 + SPARE_AUTHOR_ROWS)
    narrator_email = EmailField("Compte de la personne qui raconte (e-mail, facultatif)",
                                validators=[Optional(), Email("Adresse e-mail invalide.")])
    context = TextAreaField("Contexte", render_kw={"rows": 6})
    actors = TextAreaField("Acteurs", render_kw={"rows": 5})
    narrative = TextAreaField("Récit", render_kw={"rows": 12})
    difficulties = TextAreaField("Difficultés", render_kw={"rows": 6})
    lessons = TextAreaField("Enseignements", render_kw={"rows": 6})
    themes = TextAreaField("Thèmes (un par ligne)", render_kw={"rows": 4})
    visibility = SelectField("Visibilité une fois publiée", choices=VISIBILITY_CHOICES,
                             default="membres")
    groups = StringField("Groupes autorisés (si restreinte, séparés par des virgules)")
    version = HiddenField()
    client_key = HiddenField()

    def with_spare_rows(self) -> SheetForm:
        """Empty rows under the people listed, to add some without JavaScript."""
        filled = sum(1 for entry in self.authors if (entry.form.name.data or "").strip()
                     or (entry.form.role.data or "").strip())
        while len(self.authors) < filled + SPARE_AUTHOR_ROWS:
            self.authors.append_entry()
        for number, entry in enumerate(self.authors, start=1):
            who = "Personne qui raconte" if number == 1 else f"Personne n° {number}"
            entry.form.name.label.text = f"{who} : nom"
            entry.form.role.label.text = f"{who} : rôle (facultatif)"
        return self

    def content(self) -> SheetContent:
        return SheetContent(
            title=self.title.data or "", territory=self.territory.data or "",
            experience_date=self.experience_date.data,
            authors=[Author(entry.form.name.data or "", entry.form.role.data or "")
                     for entry in self.authors], context=self.context.data or "",
            actors=self.actors.data or "", narrative=self.narrative.data or "",
            difficulties=self.difficulties.data or "", lessons=self.lessons.data or "",
            themes=split_lines(self.themes.data))

    def settings(self, narrator_user_id: int | None) -> SheetSettings:
        groups = [g.strip() for g in (self.groups.data or "").split(",") if g.strip()]
        return SheetSettings(self.visibility.data or "membres", groups, narrator_user_id)

    def base_version(self) -> int:
        try:
            return int(self.version.data or 0)
        except ValueError:
            return 0


def form_data(sheet: Sheet, narrator_email: str = "") -> dict[str, object]:
    """The form's initial values for a stored sheet."""
    return {
        "title": sheet.title, "territory": sheet.territory,
        "experience_date": sheet.experience_date,
        "authors": [{"name": a["name"], "role": a["role"]} for a in sheet.authors],
        "narrator_email": narrator_email,
        "context": sheet.context, "actors": sheet.actors, "narrative": sheet.narrative,
        "difficulties": sheet.difficulties, "lessons": sheet.lessons,
        "themes": "\n".join(sheet.themes), "visibility": sheet.visibility,
        "groups": ", ".join(sheet.groups), "version": str(sheet.version),
    }


class ApprovalForm(Form):
    narrator_name = StringField("Nom de la personne qui raconte l'expérience")
    approved_on = DateField("Date de l'accord", validators=[Optional()], default=dt.date.today)
    note = StringField("Comment l'accord a été donné (relu sur papier, par téléphone…)")
    version = HiddenField()


class ChangesForm(Form):
    note = TextAreaField("Modifications demandées (facultatif)", render_kw={"rows": 3})
    version = HiddenField()


class VersionForm(Form):
    """A state change or a restore: only the version the page showed."""

    version = HiddenField()


class ImportForm(Form):
    file = FileField("Fiche corrigée (DOCX)", validators=[
        FileRequired("Choisissez un fichier."),
        FileAllowed(["docx"], "Seuls les fichiers Word (.docx) sont acceptés.")])
    version = HiddenField()


def version_of(form: Form) -> int:
    try:
        return int(form.version.data or 0)  # type: ignore[attr-defined]
    except ValueError:
        return 0
