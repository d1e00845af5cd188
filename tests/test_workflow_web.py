"""The workflow's pages and forms, by role, with CSRF, refusals shown on the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Dossier, DossierEvent
from tests.conftest import Auth, csrf_token

ROLES = ("anonymous", "allie", "maieuticien", "formateur", "collectif", "admin")
MEMBERS = set(ROLES) - {"anonymous"}


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "docs"
    folder.mkdir()
    texts = {
        "note": "---\ntitre: Note sur les communs\nthemes: [communs]\nvisibilite: public\n---\n"
                "# Note sur les communs\n\nLes communs territoriaux sont une ressource.\n",
        "secret": "---\ntitre: Note réservée\nvisibilite: restreint\ngroupes: [collectif]\n"
                  "---\nTexte réservé au collectif.\n",
    }
    for name, text in texts.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    report = ingest_paths(app.extensions["kb"], [folder])
    return {o.source_key.removesuffix(".md"): str(o.document_id) for o in report.outcomes}


def post(client: FlaskClient, path: str, data: dict[str, str], form_page: str,
         prefix: str = "") -> tuple[int, str]:
    """POST a form with the session's CSRF token (under the form's prefix, if any)."""
    token = csrf_token(client, form_page)
    key = f"{prefix}-csrf_token" if prefix else "csrf_token"
    response = client.post(path, data={**data, key: token})
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
        return 302, response.get_data(as_text=True)
    return response.status_code, response.get_data(as_text=True)


def as_role(auth: Auth, role: str) -> None:
    if "Se déconnecter" in auth.client.get("/").get_data(as_text=True):
        auth.logout()
    if role != "anonymous":
        auth.login(role)


def dossier_of(app: Flask) -> Dossier:
    ctx: KbContext = app.extensions["kb"]
    with ctx.sessions() as session:
        return session.scalars(select(Dossier)).one()


def open_dossier(auth: Auth, client: FlaskClient, doc_id: str) -> str:
    as_role(auth, "allie")
    status, html = post(client, f"/documents/{doc_id}/proposer",
                        {"motivation": "Texte fondateur de notre action."},
                        f"/documents/{doc_id}/proposer")
    assert status == 302 and "Dossier ouvert" in html, html
    return client.application.extensions["kb"].sessions().scalars(select(Dossier.id)).one()


def test_whole_path_through_the_web(app: Flask, client: FlaskClient, auth: Auth,
                                    docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "collectif")
    assert post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")[0] == 302
    status, html = post(client, f"{page}/position",
                        {"position-stance": "objection",
                         "position-comment": "Il manque les communs urbains."}, page, "position")
    assert status == 302 and "Objection ouverte" in html and "Dissensus" in html
    position_id = str(dossier_of(app).id and _position_id(app))
    as_role(auth, "admin")
    version = str(dossier_of(app).version)
    status, html = post(client, f"{page}/decision", {
        "decision-outcome": "valider", "decision-rationale": "Go", "decision-version": version,
        "decision-revision": "1"}, page, "decision")
    assert status == 409 and "objection(s) encore ouverte(s)" in html
    assert dossier_of(app).state == "en-debat"
    as_role(auth, "allie")
    status, html = post(client, f"{page}/objections/{position_id}/reponse",
                        {f"r{position_id}-answer": "La section 3 les traite."}, page,
                        f"r{position_id}")
    assert status == 302 and "reste ouverte" in html and "La section 3 les traite." in html
    assert "Objection ouverte" in html
    as_role(auth, "admin")
    status, html = post(client, f"{page}/decision", {
        "decision-outcome": "valider", "decision-rationale": "Go", "decision-version":
        str(dossier_of(app).version), "decision-revision": "1"}, page, "decision")
    assert status == 409 and "objection(s) encore ouverte(s)" in html  # answered, still open
    as_role(auth, "collectif")
    status, html = post(client, f"{page}/position/retirer-objection",
                        {"retrait-stance": "consentement"}, page, "retrait")
    assert status == 302 and "Objection retirée." in html
    assert "Objection retirée par son auteur·rice" in html  # in the history
    as_role(auth, "admin")
    status, html = post(client, f"{page}/decision", {
        "decision-outcome": "valider", "decision-rationale": "Objection levée, quorum atteint.",
        "decision-version": str(dossier_of(app).version), "decision-revision": "1"}, page,
        "decision")
    assert status == 302 and "Décision enregistrée" in html
    assert dossier_of(app).state == "valide"
    document_page = client.get(f"/documents/{docs['note']}").get_data(as_text=True)
    assert "Doctrine validée" in document_page
    assert f'href="/documents/{docs["note"]}/dossier"' in document_page
    assert "Objection levée, quorum atteint." in document_page  # the history on the page
    assert client.get(f"/documents/{docs['note']}/dossier").headers["Location"].endswith(page)
    fundamentals = client.get("/fondamentaux").get_data(as_text=True)
    assert "Note sur les communs" in fundamentals and "communs" in fundamentals


def _position_id(app: Flask) -> int:
    from kb.models import Position

    with app.extensions["kb"].sessions() as session:
        return session.scalars(select(Position.id)).one()


PAGES = [
    ("/dossiers", MEMBERS, 302),
    ("/dossiers/a-traiter", MEMBERS, 302),
    ("/fondamentaux", set(ROLES), 200),
    ("/fondamentaux.zip", set(ROLES), 200),
    ("/fondamentaux.docx", set(ROLES), 200),
    ("/labels", set(ROLES), 200),
    ("/labels/proposer", {"admin"}, 403),
]


def test_pages_by_role(client: FlaskClient, auth: Auth) -> None:
    # One app for every role (an app per case would cost seconds each).
    for role in ROLES:
        as_role(auth, role)
        for path, allowed, denied in PAGES:
            status = client.get(path).status_code
            if role == "anonymous" and denied == 403:
                assert status == 302, (role, path)
            else:
                assert status == (200 if role in allowed else denied), (role, path)


def test_dossier_follows_document_visibility(client: FlaskClient, auth: Auth, app: Flask,
                                             docs: dict[str, str]) -> None:
    as_role(auth, "collectif")
    status, _ = post(client, f"/documents/{docs['secret']}/proposer",
                     {"motivation": "À débattre."}, f"/documents/{docs['secret']}/proposer")
    assert status == 302
    dossier_id = dossier_of(app).id
    for role in ROLES:
        as_role(auth, role)
        status = client.get(f"/dossiers/{dossier_id}").status_code
        expected = {"anonymous": 302, "collectif": 200, "admin": 200}.get(role, 404)
        assert status == expected, role
        listed = client.get("/dossiers").get_data(as_text=True)
        assert ("Note réservée" in listed) == (role in ("collectif", "admin")), role
        assert client.get(f"/dossiers/{dossier_id}/historique.csv").status_code == expected


@pytest.mark.parametrize("role", ["allie", "formateur", "admin"])
def test_position_refused_to_non_members_of_collective(client: FlaskClient, auth: Auth,
                                                       app: Flask, docs: dict[str, str],
                                                       role: str) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "collectif")
    post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")
    as_role(auth, role)
    status, html = post(client, f"{page}/position", {"position-stance": "consentement"}, page,
                        "position")
    assert status == 403 and "réservé aux membres du collectif qualifié" in html
    with app.extensions["kb"].sessions() as session:
        assert not session.scalars(select(DossierEvent).where(
            DossierEvent.action == "position")).all()


def test_form_without_csrf_is_refused(client: FlaskClient, auth: Auth, app: Flask,
                                      docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    as_role(auth, "collectif")
    response = client.post(f"/dossiers/{dossier_id}/action/ouvrir-debat", data={})
    assert response.status_code == 400
    assert dossier_of(app).state == "propose"


def test_decision_from_a_stale_page_is_refused(client: FlaskClient, auth: Auth, app: Flask,
                                               docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "collectif")
    post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")
    seen = str(dossier_of(app).version)
    post(client, f"{page}/position", {"position-stance": "consentement"}, page, "position")
    as_role(auth, "admin")
    status, html = post(client, f"{page}/decision", {
        "decision-outcome": "valider", "decision-rationale": "Go", "decision-version": seen},
        page, "decision")
    assert status == 409 and "rechargez-la" in html
    assert dossier_of(app).state == "en-debat"


def test_history_exports(client: FlaskClient, auth: Auth, app: Flask,
                         docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    post(client, f"/dossiers/{dossier_id}/action/commenter",
         {"commenter-comment": "=HYPERLINK(\"x\")"}, f"/dossiers/{dossier_id}", "commenter")
    csv_text = client.get(f"/dossiers/{dossier_id}/historique.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("date,auteur,action")
    assert "'=HYPERLINK" in csv_text  # neutralised for spreadsheets
    payload = json.loads(client.get(f"/dossiers/{dossier_id}/historique.json").data)
    assert [e["action"] for e in payload["evenements"]] == ["proposition", "commenter"]
    assert payload["evenements"][0]["auteur"] == "Allie"
    assert client.get(f"/dossiers/{dossier_id}/historique.xml").status_code == 404


def test_inbox_shows_debates_awaiting_position(client: FlaskClient, auth: Auth, app: Flask,
                                               docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    as_role(auth, "collectif")
    html = client.get("/dossiers/a-traiter").get_data(as_text=True)
    assert "Propositions à mettre en débat" in html and "Note sur les communs" in html
    post(client, f"/dossiers/{dossier_id}/action/ouvrir-debat", {}, f"/dossiers/{dossier_id}",
         "ouvrir-debat")
    html = client.get("/dossiers/a-traiter").get_data(as_text=True)
    awaiting = html.split("En attente de ma position")[1].split("</section>")[0]
    assert "Note sur les communs" in awaiting
    assert 'href="/dossiers/a-traiter" aria-current="page"' in html  # the collective's menu


def test_label_proposal_page(client: FlaskClient, auth: Auth, app: Flask) -> None:
    as_role(auth, "admin")
    status, html = post(client, "/labels/proposer", {
        "name": "Fabrique du Diois", "description": "Une dynamique locale.",
        "territory": "Diois", "carrier": "Association Diois en transition",
        "kind": "fabrique-locale", "motivation": "Instruite par l'espace inter-fabriques."},
        "/labels/proposer")
    assert status == 302 and "Ancrage" in html and "Fabrique du Diois" in html
    assert dossier_of(app).kind == "fabrique-locale"
    dossier_id = dossier_of(app).id
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "collectif")
    post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")
    token = csrf_token(client, page)
    response = client.post(f"{page}/criteres", data={
        "criteres-csrf_token": token,
        "criteres-criteria": ["ancrage", "pluralite", "autonomie", "apprentissage"]})
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert html.count(" checked>") == 4
    assert "critère non rempli : Les six principes des fabriques locales" in html
    assert dossier_of(app).criteria == {"ancrage": True, "pluralite": True, "autonomie": True,
                                        "apprentissage": True}


def test_objection_set_aside_through_the_web(app: Flask, client: FlaskClient, auth: Auth,
                                             docs: dict[str, str]) -> None:
    dossier_id = open_dossier(auth, client, docs["note"])
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "collectif")
    post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")
    post(client, f"{page}/position", {"position-stance": "objection",
                                      "position-comment": "Hors de notre mandat."},
         page, "position")
    position_id = _position_id(app)
    html = client.get(page).get_data(as_text=True)
    assert "Retirer mon objection" in html and "Écarter l'objection" not in html  # own one
    as_role(auth, "allie")  # the proposer answers, but may not set it aside
    assert "Écarter l'objection" not in client.get(page).get_data(as_text=True)
    as_role(auth, "admin")
    html = client.get(page).get_data(as_text=True)
    assert "Écarter l'objection de Collectif" in html and "Retirer mon objection" not in html
    version = str(dossier_of(app).version)
    status, html = post(client, f"{page}/objections/{position_id}/ecarter",
                        {f"e{position_id}-reason": "", f"e{position_id}-version": version},
                        page, f"e{position_id}")
    assert status == 400 and "Pourquoi le collectif écarte cette objection : Ce champ est " \
        "obligatoire" in html
    assert _position_blocks(app)
    status, html = post(client, f"{page}/objections/{position_id}/ecarter",
                        {f"e{position_id}-reason": "Le mandat a été revu en assemblée.",
                         f"e{position_id}-version": version}, page, f"e{position_id}")
    assert status == 302 and "Objection écartée" in html
    assert "Objection écartée par le collectif</strong> (Admin" in html
    assert "Raison : Le mandat a été revu en assemblée." in html
    assert not _position_blocks(app)
    status, _ = post(client, f"{page}/objections/{position_id}/ecarter",
                     {f"e{position_id}-reason": "Encore.", f"e{position_id}-version": version},
                     page, f"e{position_id}")
    assert status == 409  # the page it was sent from is stale


def _position_blocks(app: Flask) -> bool:
    from kb.models import Position

    with app.extensions["kb"].sessions() as session:
        return session.scalars(select(Position)).one().blocks


def test_the_comment_form_takes_only_the_comment_actions(client: FlaskClient, auth: Auth,
                                                        app: Flask,
                                                        docs: dict[str, str]) -> None:
    from kb.workflow.transitions import COMMENT_ACTIONS, TRANSITIONS
    from webui.workflow.actions import DONE

    # Derived from the state machine; each has its confirmation message.
    assert COMMENT_ACTIONS == {"ouvrir-debat", "commenter", "demander-modifications",
                               "reprendre-debat", "retirer", "rouvrir", "retirer-label"}
    assert set(DONE) == COMMENT_ACTIONS
    dossier_id = open_dossier(auth, client, docs["note"])
    page = f"/dossiers/{dossier_id}"
    as_role(auth, "admin")
    for action in sorted(set(TRANSITIONS) - COMMENT_ACTIONS):  # each has its own form
        status, _ = post(client, f"{page}/action/{action}", {}, page)
        assert status == 400, action
    assert dossier_of(app).state == "propose"
    assert post(client, f"{page}/action/ouvrir-debat", {}, page, "ouvrir-debat")[0] == 302
    assert dossier_of(app).state == "en-debat"
