"""Forms of sign-in, password change and account administration, with French labels."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from kb.accounts.names import MAX_NAME
from kb.models import ROLE_LABELS
from webui.common.forms import Form, choices

ROLE_CHOICES = choices(list(ROLE_LABELS.items()))


class LoginForm(Form):
    email = EmailField("Adresse e-mail", validators=[DataRequired(), Email()])
    password = PasswordField("Mot de passe", validators=[DataRequired()])


class PasswordChangeForm(Form):
    current = PasswordField("Mot de passe actuel", validators=[DataRequired()])
    new = PasswordField("Nouveau mot de passe", validators=[DataRequired(), Length(min=10)])
    confirm = PasswordField("Confirmer le nouveau mot de passe",
                            validators=[DataRequired(), EqualTo("new", "Les mots de passe "
                                                                       "ne correspondent pas.")])


NAME_HELP = "Ce que voient les autres membres (historique, catalogues…), jamais l'adresse."


def display_name_field(label: str = "Nom affiché") -> StringField:
    return StringField(label, validators=[DataRequired("Le nom affiché est obligatoire."),
                                          Length(max=MAX_NAME)])


class DisplayNameForm(Form):
    display_name = display_name_field()


class UserCreateForm(Form):
    email = EmailField("Adresse e-mail", validators=[DataRequired(), Email()])
    display_name = display_name_field()
    role = SelectField("Rôle", choices=ROLE_CHOICES, default="allie")
    groups = StringField("Groupes (séparés par des virgules)", validators=[Optional()])
    password = PasswordField("Mot de passe initial", validators=[DataRequired(), Length(min=10)])


class UserUpdateForm(Form):
    role = SelectField("Rôle", choices=ROLE_CHOICES)
    groups = StringField("Groupes", validators=[Optional()])
    active = BooleanField("Compte actif")


class TokenForm(Form):
    name = StringField("Nom du jeton", validators=[DataRequired(), Length(max=100)])
    lifetime = SelectField("Valable", default="365", choices=choices([
        ("30", "30 jours"), ("90", "90 jours"), ("365", "un an"), ("", "jusqu'à révocation")]))
