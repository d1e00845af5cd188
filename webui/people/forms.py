"""The profile form: who one is, what one declares, who sees what, and consent."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb.models.people import ORGANISATION_KINDS, PROFILE_FIELDS, PROFILE_VISIBILITY_LABELS
from kb.people.privacy import CONSENT_TEXT
from webui.common.forms import Form, choices

FIELD_CHOICES = choices([("public", "Comme le profil"), ("membres", "Membres seulement"),
                         ("association", "L'association seulement")])


class ProfileForm(Form):
    name = StringField("Nom affiché", validators=[DataRequired(), Length(max=200)])
    headline = StringField("Fonction, métier", validators=[Optional(), Length(max=300)])
    presentation = TextAreaField("Présentation", validators=[Optional(), Length(max=5000)],
                                 render_kw={"rows": 5})
    organisation = StringField("Organisation", validators=[Optional(), Length(max=300)])
    organisation_kind = SelectField("Type d'organisation",
                                    choices=choices(list(ORGANISATION_KINDS.items())))
    organisation_role = StringField("Rôle dans l'organisation",
                                    validators=[Optional(), Length(max=200)])
    territories = TextAreaField("Territoires d'action (un par ligne)",
                                validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})
    competences = TextAreaField("Compétences déclarées (une par ligne)",
                                validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})
    links = TextAreaField("Liens (un par ligne, http:// ou https://)",
                          validators=[Optional(), Length(max=3000)], render_kw={"rows": 2})
    contact_email = EmailField("Courriel de contact", validators=[Optional(), Length(max=254)])
    contact_phone = StringField("Téléphone", validators=[Optional(), Length(max=40)])
    contact_note = StringField("Préférence de contact", validators=[Optional(), Length(max=300)])
    visibility = SelectField("Qui voit mon profil",
                             choices=choices(list(PROFILE_VISIBILITY_LABELS.items())))
    show_contact = SelectField(f"{PROFILE_FIELDS['contact']} visibles par",
                               choices=FIELD_CHOICES[1:])
    show_organisations = SelectField(f"{PROFILE_FIELDS['organisations']} visibles par",
                                     choices=FIELD_CHOICES)
    show_territoires = SelectField(f"{PROFILE_FIELDS['territoires']} visibles par",
                                   choices=FIELD_CHOICES)
    consent = BooleanField(CONSENT_TEXT)
    consent_note = StringField("Comment la personne a donné son accord (si vous le consignez "
                               "pour elle)", validators=[Optional(), Length(max=300)])


class DeleteForm(Form):
    confirm = BooleanField("Je veux supprimer ce profil", validators=[DataRequired(
        "Cochez la case pour confirmer la suppression.")])


class OrganisationForm(Form):
    kind = SelectField("Type d'organisation", choices=choices(list(ORGANISATION_KINDS.items())))
    territory = StringField("Territoire", validators=[Optional(), Length(max=300)])
    website = StringField("Site web (http:// ou https://)",
                          validators=[Optional(), Length(max=500)])
    presentation = TextAreaField("Présentation", validators=[Optional(), Length(max=5000)],
                                 render_kw={"rows": 5})
