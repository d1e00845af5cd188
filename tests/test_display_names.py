"""Display names: asked at creation on the web, chosen by their owner, given to older
accounts by a migration; nobody sees another account's address."""

from __future__ import annotations

import json

from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from kb import db
from kb.accounts.users import find_user, get_user
from kb.config import Settings
from kb.models import Label, User
from tests.conftest import PASSWORD, ROLE_EMAILS, Auth, csrf_token


def test_admin_form_requires_a_display_name(client: FlaskClient, auth: Auth,
                                            app: Flask) -> None:
    auth.login("admin")
    token = csrf_token(client, "/admin/utilisateurs")
    form = {"email": "zoe@exemple.fr", "role": "allie", "groups": "", "password": PASSWORD,
            "csrf_token": token}
    refused = client.post("/admin/utilisateurs", data={**form, "display_name": " "})
    html = refused.get_data(as_text=True)
    assert "Le nom affiché est obligatoire." in html
    created = client.post("/admin/utilisateurs", data={**form, "display_name": "Zoé Martin"})
    assert created.status_code == 302
    assert find_user(app.extensions["kb"], "zoe@exemple.fr").display_name == "Zoé Martin"


def test_owner_changes_their_display_name(client: FlaskClient, auth: Auth, app: Flask,
                                          accounts: dict[str, int]) -> None:
    auth.login("allie")
    page = client.get("/compte").get_data(as_text=True)
    assert 'value="Allie"' in page and "Nom affiché" in page
    token = csrf_token(client, "/compte")
    refused = client.post("/compte/nom", data={"nom-display_name": "a@b.fr",
                                               "nom-csrf_token": token})
    assert refused.status_code == 400
    assert "une adresse e-mail ne peut pas servir de nom affiché" in refused.get_data(
        as_text=True)
    assert get_user(app.extensions["kb"], accounts["allie"]).display_name == "Allie"
    done = client.post("/compte/nom", data={"nom-display_name": "Alice Dupré",
                                            "nom-csrf_token": token}, follow_redirects=True)
    assert "Nom affiché enregistré." in done.get_data(as_text=True)
    assert get_user(app.extensions["kb"], accounts["allie"]).display_name == "Alice Dupré"


def test_derived_name_invites_its_owner(client: FlaskClient, auth: Auth, app: Flask,
                                        accounts: dict[str, int]) -> None:
    with app.extensions["kb"].sessions.begin() as session:
        user = session.get(User, accounts["formateur"])
        assert user is not None
        user.display_name, user.display_name_derived = "Formateur", True
    token = csrf_token(client, "/connexion")
    welcome = client.post("/connexion", data={"email": ROLE_EMAILS["formateur"],
                                              "password": PASSWORD, "csrf_token": token},
                          follow_redirects=True).get_data(as_text=True)
    assert "a été tiré de votre adresse" in welcome
    assert "a été tiré de votre adresse" in client.get("/compte").get_data(as_text=True)
    token = csrf_token(client, "/compte")
    client.post("/compte/nom", data={"nom-display_name": "Fatou Diallo",
                                     "nom-csrf_token": token})
    assert not get_user(app.extensions["kb"], accounts["formateur"]).display_name_derived
    assert "a été tiré de votre adresse" not in client.get("/compte").get_data(as_text=True)


def test_migration_gives_every_account_a_name(bare_settings: Settings) -> None:
    """Accounts and labels from before display names were required (migration 0010)."""
    engine = db.make_engine(bare_settings)
    config = db.alembic_config(engine)
    command.upgrade(config, "0009")
    with engine.begin() as connection:
        for email, name in (("jeanne.dupont@exemple.fr", ""), ("col1@ex.fr", " "),
                            ("paul@ex.fr", "Paul Martin")):
            connection.execute(text(
                "INSERT INTO users (email, display_name, password_hash, role, groups, active, "
                "session_version, created_at) VALUES (:e, :n, '-', 'collectif', '[]', true, 1, "
                "'2025-01-01 00:00:00')"), {"e": email, "n": name})
        connection.execute(text(
            "INSERT INTO initiatives (id, name, description, territory, carrier, created_at) "
            "VALUES ('i1', 'Tiers-lieu', '-', '', '', '2025-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO dossiers (id, kind, initiative_id, subject_title, state, proposer_id, "
            "motivation, round, criteria, version, created_at, updated_at) VALUES ('d1', "
            "'egide', 'i1', 'Tiers-lieu', 'valide', 1, '-', 1, '{}', 1, '2025-01-01 00:00:00',"
            " '2025-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO labels (dossier_id, initiative_id, kind, granted_at, approvers, "
            "renewal_date, withdrawal_reason) VALUES ('d1', 'i1', 'egide', '2025-01-01 "
            "00:00:00', :approvers, '2028-01-01', '')"), {"approvers": json.dumps(
                ["jeanne.dupont@exemple.fr", "col1@ex.fr", "Paul Martin"])})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        users = connection.execute(select(User.email, User.display_name,
                                          User.display_name_derived).order_by(User.id)).all()
        approvers = connection.execute(select(Label.approvers)).scalar_one()
    assert [tuple(u) for u in users] == [
        ("jeanne.dupont@exemple.fr", "Jeanne Dupont", True), ("col1@ex.fr", "Col1", True),
        ("paul@ex.fr", "Paul Martin", False)]
    assert approvers == ["Jeanne Dupont", "Col1", "Paul Martin"]
    engine.dispose()

