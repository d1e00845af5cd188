"""Sheet pages over HTTP: roles, forms that lose nothing, autosave, suggestions, files, states."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Sheet
from kb.sheets.importing import sheet_from_docx
from tests.conftest import ROLE_EMAILS, Auth, csrf_token

ROLES = ("anonymous", "allie", "maieuticien", "formateur", "collectif", "admin")
WRITERS = {"maieuticien", "admin"}


def as_role(auth: Auth, role: str) -> None:
    if role != "anonymous":
        auth.login(role)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(client: FlaskClient, auth: Auth, role: str) -> None:
    as_role(auth, role)
    listing = client.get("/fiches/")
    new = client.get("/fiches/nouvelle")
    if role == "anonymous":
        assert (listing.status_code, new.status_code) == (302, 302)
        return
    assert listing.status_code == 200
    assert new.status_code == (200 if role in WRITERS else 403)
    nav = 'href="/fiches/"' in client.get("/").get_data(as_text=True)
    assert nav == (role in WRITERS)


def new_form(client: FlaskClient) -> dict[str, str]:
    html = client.get("/fiches/nouvelle").get_data(as_text=True)
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', html)
    assert key and 'src="/static/sheets.js"' in html
    assert "<script>" not in html, "no inline script (CSP)"
    return {"csrf_token": csrf_token(client, "/fiches/nouvelle"), "client_key": key[1],
            "version": "0", "title": "Une ressourcerie en Balagne", "territory": "Calvi",
            "experience_date": "2022-05-01", "authors-0-name": "Jean Santoni",
            "authors-0-role": "élu à l'économie", "authors-1-name": "Aïcha",
            "authors-1-role": "maïeuticienne", "context": "Une intercommunalité rurale.",
            "actors": "- la communauté de communes", "difficulties": "Trouver un local.",
            "narrative": "Nous avons ouvert une ressourcerie solidaire.", "lessons": "",
            "themes": "", "visibility": "public", "groups": "", "action": "save"}


def sheets_in(app: Flask) -> list[Sheet]:
    ctx: KbContext = app.extensions["kb"]
    with ctx.sessions() as session:
        from sqlalchemy import select

        return list(session.scalars(select(Sheet)))


def create(client: FlaskClient, app: Flask) -> tuple[str, dict[str, str]]:
    data = new_form(client)
    response = client.post("/fiches/nouvelle", data=data)
    assert response.status_code == 302
    sheet_id = response.location.split("/")[2]
    return sheet_id, data


def test_double_submit_and_stale_form_lose_nothing(client: FlaskClient, auth: Auth,
                                                   app: Flask) -> None:
    auth.login("maieuticien")
    sheet_id, data = create(client, app)
    assert client.post("/fiches/nouvelle", data=data).location == f"/fiches/{sheet_id}/modifier"
    assert len(sheets_in(app)) == 1
    first = client.post(f"/fiches/{sheet_id}/modifier",
                        data=dict(data, version="1", lessons="Version de l'onglet A."))
    assert first.status_code == 302
    stale = client.post(f"/fiches/{sheet_id}/modifier",
                        data=dict(data, version="1", lessons="Version de l'onglet B."))
    html = unescape(stale.get_data(as_text=True))
    assert stale.status_code == 409 and "gardé à part" in html
    assert "fondé sur la version 1" in html
    assert "Version de l'onglet B." in html, "the author's text is still in the form"
    assert re.search(r'name="version" type="hidden" value="2"', html)
    (sheet,) = sheets_in(app)
    assert sheet.lessons == "Version de l'onglet A."
    revision = unescape(client.get(f"/fiches/{sheet_id}/versions/3").get_data(as_text=True))
    assert "Version de l'onglet B." in revision and "gardé à part" in revision


def test_invalid_form_is_shown_back_with_every_word(client: FlaskClient, auth: Auth,
                                                    app: Flask) -> None:
    auth.login("maieuticien")
    data = dict(new_form(client), experience_date="le printemps dernier",
                narrative="Un long récit qu'il ne faut pas perdre.")
    response = client.post("/fiches/nouvelle", data=data)
    assert response.status_code == 400
    assert "Un long récit qu&#39;il ne faut pas perdre." in response.get_data(as_text=True)
    assert sheets_in(app) == []


def test_autosave(client: FlaskClient, auth: Auth, app: Flask) -> None:
    auth.login("maieuticien")
    sheet_id, data = create(client, app)
    token = data["csrf_token"]
    saved = client.post(f"/fiches/{sheet_id}/enregistrer",
                        data=dict(data, version="1", lessons="Autosauvé."),
                        headers={"X-CSRFToken": token})
    assert saved.status_code == 200 and saved.get_json()["status"] == "saved"
    assert saved.get_json()["version"] == 2
    conflict = client.post(f"/fiches/{sheet_id}/enregistrer",
                           data=dict(data, version="1", lessons="Autre onglet."))
    assert conflict.status_code == 409 and conflict.get_json()["status"] == "conflit"
    assert sheets_in(app)[0].lessons == "Autosauvé."
    no_token = {k: v for k, v in data.items() if k != "csrf_token"}
    assert client.post(f"/fiches/{sheet_id}/enregistrer", data=no_token).status_code == 400
    auth.logout()
    auth.login("formateur")
    refused = client.post(f"/fiches/{sheet_id}/enregistrer",
                          data=dict(data, csrf_token=csrf_token(client, "/"), version="2"))
    assert refused.status_code == 404 and sheets_in(app)[0].lessons == "Autosauvé."


@pytest.fixture
def themed_docs(app: Flask, tmp_path: Path) -> None:
    root = tmp_path / "sources"
    root.mkdir()
    (root / "a.md").write_text("---\ntitre: A\nthemes: [économie sociale et solidaire, "
                               "mobilité]\n---\nTexte.\n", encoding="utf-8")
    (root / "b.md").write_text("---\ntitre: B\nthemes: [tiers-lieux, CRTE]\n---\nTexte.\n",
                               encoding="utf-8")
    assert not ingest_paths(app.extensions["kb"], [root]).failed


def test_theme_suggestions(client: FlaskClient, auth: Auth, app: Flask,
                           themed_docs: None) -> None:
    auth.login("maieuticien")
    token = csrf_token(client, "/fiches/nouvelle")
    text = "Une ressourcerie de l'Économie Sociale et Solidaire, ouverte dans un tiers-lieu."
    found = client.post("/fiches/themes-suggeres", data={"text": text, "themes": "CRTE"},
                        headers={"X-CSRFToken": token}).get_json()["suggestions"]
    assert [s["label"] for s in found] == ["économie sociale et solidaire", "tiers-lieux"]
    sheet_id, data = create(client, app)
    page = client.post(f"/fiches/{sheet_id}/modifier",
                       data=dict(data, version="1", narrative=text, action="suggest"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="ajouter_themes" value="économie sociale et solidaire"' in html
    assert "rien n'est enregistré" in unescape(html)
    assert text in unescape(html)  # the text is kept in the form
    (unsaved,) = sheets_in(app)
    assert unsaved.version == 1 and unsaved.narrative != text
    client.post(f"/fiches/{sheet_id}/modifier", data=dict(
        data, version="1", narrative=text, themes="CRTE",
        ajouter_themes=["tiers-lieux"]))
    assert sheets_in(app)[0].themes == ["CRTE", "tiers-lieux"]
    auth.logout()
    auth.login("allie")
    assert client.post("/fiches/themes-suggeres", data={"text": text},
                       headers={"X-CSRFToken": csrf_token(client, "/")}).status_code == 403


def post_state(client: FlaskClient, sheet_id: str, action: str, **fields: str) -> str:
    html = client.get(f"/fiches/{sheet_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    assert version, html
    data = {"csrf_token": csrf_token(client, f"/fiches/{sheet_id}"), "version": version[1],
            **fields}
    response = client.post(f"/fiches/{sheet_id}/{action}", data=data)
    assert response.status_code == 302
    return client.get(f"/fiches/{sheet_id}").get_data(as_text=True)


def test_review_approval_by_narrator_account_and_publication(
        client: FlaskClient, auth: Auth, app: Flask) -> None:
    auth.login("maieuticien")
    data = dict(new_form(client), narrator_email=ROLE_EMAILS["allie"])
    sheet_id = client.post("/fiches/nouvelle", data=data).location.split("/")[2]
    html = post_state(client, sheet_id, "relecture")
    assert "En relecture" in html and "Consigner l" not in html, "the narrator approves"
    auth.logout()
    auth.login("allie")
    assert "Une ressourcerie en Balagne" in client.get("/fiches/").get_data(as_text=True)
    html = post_state(client, sheet_id, "accord", narrator_name="Jean Santoni",
                      approved_on="2024-01-05", note="lu en ligne")
    assert "Accord de <strong>Jean Santoni</strong>" in html
    assert client.get(f"/fiches/{sheet_id}/modifier").status_code == 403
    auth.logout()
    auth.login("maieuticien")
    html = post_state(client, sheet_id, "publier")
    assert "Fiche publiée" in html
    doc_id = re.search(r'href="/documents/([0-9a-f]+)"', html)
    assert doc_id
    auth.logout()
    page = client.get(f"/documents/{doc_id[1]}").get_data(as_text=True)
    assert "Fiche d&#39;expérience" in page and "ressourcerie solidaire" in page
    assert "Fiche structurée" not in page, "anonymous readers get no sheet panel"
    results = client.get("/recherche?q=ressourcerie").get_data(as_text=True)
    assert f"/documents/{doc_id[1]}" in results


@pytest.mark.parametrize("role", ["allie", "formateur", "anonymous"])
def test_others_cannot_see_a_working_copy(client: FlaskClient, auth: Auth, app: Flask,
                                          role: str) -> None:
    auth.login("maieuticien")
    sheet_id, _ = create(client, app)
    auth.logout()
    as_role(auth, role)
    for path in (f"/fiches/{sheet_id}", f"/fiches/{sheet_id}/fiche.docx",
                 f"/fiches/{sheet_id}/versions/1"):
        assert client.get(path).status_code == (302 if role == "anonymous" else 404)


def test_export_then_import_the_corrected_docx(client: FlaskClient, auth: Auth,
                                               app: Flask) -> None:
    auth.login("maieuticien")
    sheet_id, _ = create(client, app)
    exported = client.get(f"/fiches/{sheet_id}/fiche.docx")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    odt = client.get(f"/fiches/{sheet_id}/fiche.odt")
    assert odt.status_code == 200 and odt.data[:2] == b"PK"
    document = docx.Document(io.BytesIO(exported.data))
    document.add_paragraph("Une leçon ajoutée par Jean.")  # under « Enseignements », empty
    document.add_paragraph("Un post-scriptum sans titre", style="Heading 1")
    buffer = io.BytesIO()
    document.save(buffer)
    token = csrf_token(client, f"/fiches/{sheet_id}/importer")
    response = client.post(f"/fiches/{sheet_id}/importer", data={
        "csrf_token": token, "version": "1", "file": (io.BytesIO(buffer.getvalue()), "f.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    html = client.get(f"/fiches/{sheet_id}").get_data(as_text=True)
    assert "Une leçon ajoutée par Jean." in html
    assert "Passages non placés" in html and "Un post-scriptum sans titre" in html
    (sheet,) = sheets_in(app)
    assert sheet.version == 2 and sheet.unplaced == ["Un post-scriptum sans titre"]
    again = sheet_from_docx(client.get(f"/fiches/{sheet_id}/fiche.docx").data)
    assert "Une leçon ajoutée par Jean." in again.lessons
    bad = client.post(f"/fiches/{sheet_id}/importer", data={
        "csrf_token": token, "version": "2", "file": (io.BytesIO(b"pas un docx"), "f.docx")},
        content_type="multipart/form-data")
    assert bad.status_code == 400 and "DOCX" in bad.get_data(as_text=True)


def test_ingested_sheet_is_taken_over_from_its_document_page(
        client: FlaskClient, auth: Auth, app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "sources" / "fiches"
    folder.mkdir(parents=True)
    (folder / "fiche.md").write_text(
        "---\ntitre: Une fiche déposée\nvisibilite: membres\n---\n# Une fiche déposée\n\n"
        "## Contexte\n\nUn village.\n\n## Récit\n\nUn récit.\n\n## Enseignements\n\nUne "
        "leçon.\n", encoding="utf-8")
    report = ingest_paths(app.extensions["kb"], [tmp_path / "sources"])
    doc_id = str(report.outcomes[0].document_id)
    auth.login("formateur")
    assert "Reprendre comme fiche" not in client.get(f"/documents/{doc_id}").get_data(
        as_text=True)
    auth.logout()
    auth.login("maieuticien")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Reprendre comme fiche structurée" in page
    response = client.post(f"/fiches/depuis-document/{doc_id}",
                           data={"csrf_token": csrf_token(client, f"/documents/{doc_id}")})
    assert response.status_code == 302
    (sheet,) = sheets_in(app)
    assert (sheet.context, sheet.narrative, sheet.lessons) == ("Un village.", "Un récit.",
                                                               "Une leçon.")
    assert "Voir la fiche structurée" in client.get(f"/documents/{doc_id}").get_data(
        as_text=True)
