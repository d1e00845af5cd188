"""Every role against every page: allowed, forbidden, CSRF refused, sessions revoked."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.accounts.users import set_active
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.search.results import search_documents
from kb.visibility import Reader
from tests.conftest import PASSWORD, ROLE_EMAILS, Auth, csrf_token

ROLES = ("anonymous", "allie", "maieuticien", "formateur", "collectif", "admin")


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, visibility in (("public", "public"), ("membres", "membres"),
                             ("collectif", "restreint\ngroupes: [collectif]")):
        (folder / f"{name}.md").write_text(
            f"---\ntitre: Note {name}\nvisibilite: {visibility}\n---\nTexte {name}.\n",
            encoding="utf-8")
    ctx: KbContext = app.extensions["kb"]
    report = ingest_paths(ctx, [folder])
    return {o.source_key.removesuffix(".md"): str(o.document_id) for o in report.outcomes}


def as_role(auth: Auth, role: str) -> None:
    if role != "anonymous":
        auth.login(role)


def expected(allowed: set[str], role: str, denied: int) -> int:
    return 200 if role in allowed else denied


MEMBERS = {"allie", "maieuticien", "formateur", "collectif", "admin"}
PAGES = [
    ("/", set(ROLES), 200),
    ("/recherche?q=note", set(ROLES), 200),
    ("/connexion", set(ROLES), 200),
    ("/compte", MEMBERS, 302),
    ("/deposer", MEMBERS, 302),
    ("/admin/utilisateurs", {"admin"}, 403),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed", "denied"), PAGES)
def test_pages_by_role(client: FlaskClient, auth: Auth, role: str, path: str,
                       allowed: set[str], denied: int) -> None:
    as_role(auth, role)
    status = client.get(path).status_code
    if role == "anonymous" and denied == 403:
        assert status == 302  # sent to sign in first
    else:
        assert status == expected(allowed, role, denied)


@pytest.mark.parametrize("role", ROLES)
def test_documents_by_role(client: FlaskClient, auth: Auth, docs: dict[str, str],
                           role: str) -> None:
    as_role(auth, role)
    rules = {"public": set(ROLES), "membres": MEMBERS, "collectif": {"collectif", "admin"}}
    for name, allowed in rules.items():
        for suffix in ("", "/original", "/versions/1/original"):
            response = client.get(f"/documents/{docs[name]}{suffix}")
            assert response.status_code == expected(allowed, role, 404), (name, suffix)
    edit = client.get(f"/documents/{docs['public']}/modifier").status_code
    assert edit == {"anonymous": 302, "collectif": 200, "admin": 200}.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
def test_search_results_by_role(client: FlaskClient, auth: Auth, docs: dict[str, str],
                                role: str) -> None:
    as_role(auth, role)
    html = client.get("/recherche?q=texte").get_data(as_text=True)
    assert ("Note membres" in html) == (role in MEMBERS)
    assert ("Note collectif" in html) == (role in {"collectif", "admin"})
    assert "Note public" in html


@pytest.mark.parametrize(("path", "data"), [
    ("/connexion", {"email": ROLE_EMAILS["admin"], "password": PASSWORD}),
    ("/deconnexion", {}),
    ("/compte", {"current": PASSWORD, "new": "x" * 12, "confirm": "x" * 12}),
    ("/admin/utilisateurs", {"email": "n@e.fr", "password": "x" * 12, "role": "admin"}),
])
def test_forms_without_csrf_are_refused(client: FlaskClient, auth: Auth, app: Flask, path: str,
                                        data: dict[str, str]) -> None:
    auth.login("admin")
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "formulaire a expiré" in response.get_data(as_text=True)
    from kb.accounts.users import list_users

    assert "n@e.fr" not in {u.email for u in list_users(app.extensions["kb"])}


def test_wrong_password_and_no_open_redirect(client: FlaskClient, auth: Auth) -> None:
    assert auth.login_as(ROLE_EMAILS["allie"], "pas-le-bon-mot") == 401
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion?suivant=https://ailleurs.example/",
                           data={"email": ROLE_EMAILS["allie"], "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_sign_in_is_rate_limited(client: FlaskClient, auth: Auth) -> None:
    statuses = [auth.login_as(ROLE_EMAILS["allie"], "mauvais-mot-de-passe") for _ in range(6)]
    assert statuses == [401] * 5 + [429]  # per account; more in test_signin_limits.py


def test_disabled_account_loses_its_session(client: FlaskClient, auth: Auth, app: Flask,
                                            accounts: dict[str, int]) -> None:
    auth.login("allie")
    assert client.get("/compte").status_code == 200
    set_active(app.extensions["kb"], accounts["allie"], False)
    assert client.get("/compte").status_code == 302


def test_admin_creates_a_user_who_can_sign_in(client: FlaskClient, auth: Auth) -> None:
    auth.login("admin")
    token = csrf_token(client, "/admin/utilisateurs")
    response = client.post("/admin/utilisateurs", data={
        "csrf_token": token, "email": "nouvelle@exemple.fr", "display_name": "Nouvelle",
        "role": "formateur", "groups": "", "password": "mot-de-passe-initial"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login_as("nouvelle@exemple.fr", "mot-de-passe-initial") == 302
    assert "formateur·rice" in client.get("/compte").get_data(as_text=True)


def test_metadata_edit_changes_visibility_everywhere(client: FlaskClient, auth: Auth,
                                                    app: Flask, docs: dict[str, str]) -> None:
    ctx: KbContext = app.extensions["kb"]
    auth.login("collectif")
    path = f"/documents/{docs['public']}/modifier"
    token = csrf_token(client, path)
    response = client.post(path, data={
        "csrf_token": token, "title": "Note désormais interne", "kind": "outil",
        "authors": "A. Un; B. Deux", "date": "2024-02-03", "territory": "Tulle",
        "themes": "mobilité", "visibility": "membres", "groups": ""})
    assert response.status_code == 302
    assert search_documents(ctx, Reader.anonymous(), "texte public").total == 0
    member = search_documents(ctx, Reader(user_id=1), "interne")
    assert [h.document.title for h in member.hits] == ["Note désormais interne"]
    assert member.hits[0].document.authors == ["A. Un", "B. Deux"]
    bad = client.post(path, data={"csrf_token": csrf_token(client, path), "title": "x",
                                  "kind": "outil", "date": "03/02/2024", "visibility": "public"})
    assert bad.status_code == 400 and "AAAA-MM-JJ" in bad.get_data(as_text=True)
