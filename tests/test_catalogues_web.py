"""Catalogue pages over HTTP: roles, the document page panel, ordering, sharing, exports, print."""

from __future__ import annotations

import html as html_module
import io
import re
from pathlib import Path

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from kb.context import KbContext
from kb.documents.reading import update_metadata
from kb.ingestion.batches import ingest_paths
from kb.visibility import Reader
from tests.conftest import Auth, csrf_token

ROLES = ("anonymous", "allie", "maieuticien", "formateur", "collectif", "admin")
COMPOSERS = {"formateur", "admin"}


def as_role(auth: Auth, role: str) -> None:
    if role != "anonymous":
        auth.login(role)


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "sources" / "outils"
    root.mkdir(parents=True)
    for name, visibility in (("world-cafe", "public"), ("fresque", "public"),
                             ("grille", "membres")):
        (root / f"{name}.md").write_text(
            f"---\ntitre: Outil {name}\nauteurs: [Léa Martin]\nvisibilite: {visibility}\n---\n"
            f"Texte de l'outil {name}.\n", encoding="utf-8")
    report = ingest_paths(app.extensions["kb"], [tmp_path / "sources"])
    return {o.source_key.split("/")[-1].removesuffix(".md"): str(o.document_id)
            for o in report.outcomes}


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_panel_by_role(client: FlaskClient, auth: Auth, role: str,
                                 docs: dict[str, str]) -> None:
    as_role(auth, role)
    assert client.get("/catalogues/").status_code == 200
    new = client.get("/catalogues/nouveau").status_code
    assert new == (200 if role in COMPOSERS else 302 if role == "anonymous" else 403)
    page = client.get(f"/documents/{docs['world-cafe']}").get_data(as_text=True)
    assert ("Ajouter au catalogue" in page or "Créer un catalogue" in page) == (role in COMPOSERS)


def create(client: FlaskClient, sharing: str = "prive", title: str = "Formation CRTE") -> str:
    token = csrf_token(client, "/catalogues/nouveau")
    response = client.post("/catalogues/nouveau", data={
        "csrf_token": token, "title": title, "audience": "élu·es", "purpose": "Découvrir.",
        "duration": "1 jour", "sharing": sharing})
    assert response.status_code == 302
    return response.location.split("/")[2]


def add_from_document_page(client: FlaskClient, doc_id: str, note: str) -> None:
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    target = re.search(r'<option[^>]*value="([0-9a-f]+:\d+)"', html)
    assert target, "the panel offers the trainer's catalogues"
    response = client.post(f"/catalogues/ajouter/{doc_id}", data={
        "csrf_token": csrf_token(client, f"/documents/{doc_id}"), "target": target[1],
        "document_id": doc_id, "note": note})
    assert response.status_code == 302


def item_ids(html: str) -> list[str]:
    return re.findall(r'id="ressource-(\d+)"', html)


def test_compose_order_and_export(client: FlaskClient, auth: Auth, docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client)
    for name in ("world-cafe", "fresque", "grille"):
        add_from_document_page(client, docs[name], f"Note {name}")
    page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
    first, second, third = item_ids(page)
    token = csrf_token(client, f"/catalogues/{cid}")
    assert client.post(f"/catalogues/{cid}/ressources/{third}/monter",
                       data={"csrf_token": token}).status_code == 302
    client.post(f"/catalogues/{cid}/sections", data={"csrf_token": token, "title": "Après"})
    section = re.findall(r'id="section-(\d+)"', client.get(f"/catalogues/{cid}").get_data(
        as_text=True))[-1]
    client.post(f"/catalogues/{cid}/ressources/{first}/section",
                data={"csrf_token": token, "section": section})
    client.post(f"/catalogues/{cid}/ressources/{second}/note",
                data={"csrf_token": token, "note": "Prévoir des feutres."})
    page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
    assert item_ids(page) == [third, second, first]
    assert "Prévoir des feutres." in page
    markdown = client.get(f"/catalogues/{cid}/catalogue.md")
    assert markdown.headers["Content-Type"].startswith("text/markdown")
    text = markdown.get_data(as_text=True)
    assert text.index("Outil grille") < text.index("Outil fresque") < text.index("## Après") \
        < text.index("Outil world-cafe")
    assert f"(http://localhost/documents/{docs['grille']})" in text
    exported = client.get(f"/catalogues/{cid}/catalogue.docx")
    assert parse_options_header(exported.headers["Content-Disposition"]) == (
        "attachment", {"filename": "catalogue-formation-crte.docx"})
    paragraphs = [p.text for p in docx.Document(io.BytesIO(exported.data)).paragraphs]
    assert paragraphs[0] == "Formation CRTE" and "Prévoir des feutres." in paragraphs
    printable = client.get(f"/catalogues/{cid}/imprimer").get_data(as_text=True)
    assert "print.css" in printable and "Navigation principale" not in printable
    assert f"http://localhost/documents/{docs['grille']}" in printable
    assert client.post(f"/catalogues/{cid}/ressources/{first}/monter").status_code == 400


@pytest.mark.parametrize(("sharing", "role", "visible"), [
    ("prive", "anonymous", False), ("prive", "allie", False), ("prive", "admin", True),
    ("membres", "anonymous", False), ("membres", "allie", True),
    ("public", "anonymous", True), ("public", "maieuticien", True),
])
def test_sharing_over_http(client: FlaskClient, auth: Auth, docs: dict[str, str], sharing: str,
                           role: str, visible: bool) -> None:
    auth.login("formateur")
    cid = create(client, sharing)
    add_from_document_page(client, docs["world-cafe"], "Note publique")
    add_from_document_page(client, docs["grille"], "Note pour les membres")
    auth.logout()
    as_role(auth, role)
    for path in (f"/catalogues/{cid}", f"/catalogues/{cid}/catalogue.md",
                 f"/catalogues/{cid}/catalogue.docx", f"/catalogues/{cid}/imprimer"):
        assert client.get(path).status_code == (200 if visible else 404), path
    listed = f"/catalogues/{cid}" in client.get("/catalogues/").get_data(as_text=True)
    assert listed == visible
    if visible:
        markdown = client.get(f"/catalogues/{cid}/catalogue.md").get_data(as_text=True)
        assert "Outil world-cafe" in markdown
        assert ("Outil grille" in markdown) == (role != "anonymous")


def test_hidden_resource_is_neither_shown_nor_counted_nor_exported(
        client: FlaskClient, auth: Auth, app: Flask, docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client, "public")
    for name in ("world-cafe", "fresque"):
        add_from_document_page(client, docs[name], f"Note {name}")
    auth.logout()
    ctx: KbContext = app.extensions["kb"]
    update_metadata(ctx, Reader.operator(), docs["fresque"], {"visibility": "membres"})
    listing = client.get("/catalogues/").get_data(as_text=True)
    assert re.search(r"Formation CRTE</a></td>\s*<td>élu·es</td>\s*<td>1</td>", listing)
    for path in (f"/catalogues/{cid}", f"/catalogues/{cid}/catalogue.md",
                 f"/catalogues/{cid}/imprimer"):
        body = client.get(path).get_data(as_text=True)
        assert "Outil world-cafe" in body and "fresque" not in body, path
    exported = docx.Document(io.BytesIO(client.get(f"/catalogues/{cid}/catalogue.docx").data))
    assert not any("fresque" in p.text for p in exported.paragraphs)


def test_only_the_owner_changes_a_shared_catalogue(client: FlaskClient, auth: Auth,
                                                   docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client, "membres")
    add_from_document_page(client, docs["world-cafe"], "Note")
    item = item_ids(client.get(f"/catalogues/{cid}").get_data(as_text=True))[0]
    auth.logout()
    auth.login("admin")
    assert "Retirer du catalogue" in client.get(f"/catalogues/{cid}").get_data(as_text=True)
    auth.logout()
    auth.login("allie")
    page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
    assert "Outil world-cafe" in page and "Retirer du catalogue" not in page
    token = csrf_token(client, "/")
    response = client.post(f"/catalogues/{cid}/ressources/{item}/retirer",
                           data={"csrf_token": token}, follow_redirects=True)
    assert "Action refusée" in response.get_data(as_text=True)
    assert client.get(f"/catalogues/{cid}/modifier").status_code == 403
    assert "Outil world-cafe" in client.get(f"/catalogues/{cid}").get_data(as_text=True)


def test_add_page_for_search_results(client: FlaskClient, auth: Auth,
                                     docs: dict[str, str]) -> None:
    """`/catalogues/ajouter/<id>` is the page a search result's « Ajouter au catalogue » opens."""
    auth.login("formateur")
    page = client.get(f"/catalogues/ajouter/{docs['fresque']}").get_data(as_text=True)
    assert "Vous n'avez pas encore de catalogue." in page
    cid = create(client)
    page = client.get(f"/catalogues/ajouter/{docs['fresque']}").get_data(as_text=True)
    target = re.search(r'<option[^>]*value="([0-9a-f]+:\d+)"', page)
    assert target
    client.post(f"/catalogues/ajouter/{docs['fresque']}", data={
        "csrf_token": csrf_token(client, f"/catalogues/ajouter/{docs['fresque']}"),
        "target": target[1], "document_id": docs["fresque"], "note": ""})
    page = client.get(f"/catalogues/ajouter/{docs['fresque']}").get_data(as_text=True)
    assert f'href="/catalogues/{cid}">Formation CRTE</a>' in page and "<option" not in page
    auth.logout()
    auth.login("allie")
    assert client.get(f"/catalogues/ajouter/{docs['fresque']}").status_code == 403


@pytest.mark.parametrize(("role", "shown"), [("anonymous", False), ("allie", False),
                                             ("formateur", True), ("admin", True)])
def test_search_results_offer_add_to_catalogue_to_trainers(
        client: FlaskClient, auth: Auth, docs: dict[str, str], role: str, shown: bool) -> None:
    as_role(auth, role)
    html = client.get("/recherche?q=outil").get_data(as_text=True)
    assert 'class="result"' in html
    assert ("/catalogues/ajouter/" in html or "Créer un catalogue" in html) == shown


def hit(html: str, doc_id: str) -> str:
    return html.split(f'id="resultat-{doc_id}"', 1)[1].split("</li>", 1)[0]


def add_from_results(client: FlaskClient, doc_id: str, results: str,
                     **headers: str) -> tuple[int, str, object]:
    form = hit(client.get(results).get_data(as_text=True), doc_id)
    data = {name: html_module.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form)}
    assert data["retour"] == results
    response = client.post(f"/catalogues/ajouter/{doc_id}", data=data, headers=headers)
    return response.status_code, response.headers.get("Location", ""), response.get_json(
        silent=True)


def test_adding_a_result_keeps_the_reader_on_the_results_page(
        client: FlaskClient, auth: Auth, app: Flask, docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client)
    status, location, _ = add_from_results(client, docs["fresque"], "/recherche?q=outil")
    assert (status, location) == (302, f"/recherche?q=outil#resultat-{docs['fresque']}")
    html = client.get(location.split("#")[0]).get_data(as_text=True).replace("&#39;", "'")
    result = hit(html, docs["fresque"])
    assert "« Outil fresque » ajouté à « Formation CRTE »." in result
    assert 'class="flashes"' not in html  # said beside the result, not at the top
    assert f'href="/catalogues/{cid}">Formation CRTE</a>' in result
    assert "/catalogues/ajouter/" not in result  # already in the only catalogue
    assert "/catalogues/ajouter/" in hit(html, docs["world-cafe"])
    assert item_ids(client.get(f"/catalogues/{cid}").get_data(as_text=True)) != []


def test_adding_a_result_in_the_background_answers_in_json(
        client: FlaskClient, auth: Auth, docs: dict[str, str]) -> None:
    auth.login("formateur")
    create(client)
    results = "/recherche?q=outil&tri=date"
    status, _, answer = add_from_results(client, docs["grille"], results,
                                         Accept="application/json")
    assert status == 200
    assert answer == {"added": True, "message": "« Outil grille » ajouté à « Formation CRTE »."}
    create(client, title="Atelier EFC")
    form = hit(client.get(results).get_data(as_text=True), docs["grille"])
    assert "Atelier EFC" in form and "Formation CRTE" in form.split("<form", 1)[0]
    target = re.findall(r'<option value="([^"]+)">', form) or re.findall(
        r'name="target" value="([^"]+)"', form)
    assert len(target) == 1  # only the catalogue not holding it yet
    response = client.post(f"/catalogues/ajouter/{docs['grille']}", headers={
        "Accept": "application/json"}, data={
        "csrf_token": csrf_token(client, results), "document_id": docs["grille"],
        "target": target[0].replace(target[0].split(":")[0], "0" * 16), "retour": results})
    assert response.status_code == 409 and response.get_json()["added"] is False


@pytest.mark.parametrize("back", ["https://ailleurs.example/recherche", "//ailleurs.example/",
                                  "javascript:alert(1)"])
def test_the_way_back_stays_on_this_site(client: FlaskClient, auth: Auth,
                                         docs: dict[str, str], back: str) -> None:
    auth.login("formateur")
    cid = create(client)
    html = client.get(f"/documents/{docs['fresque']}").get_data(as_text=True)
    target = re.search(r'<option[^>]*value="([0-9a-f]+:\d+)"', html)
    assert target
    response = client.post(f"/catalogues/ajouter/{docs['fresque']}", data={
        "csrf_token": csrf_token(client, "/"), "target": target[1],
        "document_id": docs["fresque"], "retour": back})
    assert response.status_code == 302 and response.location == f"/catalogues/{cid}"


def test_moves_say_what_moved_beside_it(client: FlaskClient, auth: Auth,
                                        docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client)
    for name in ("world-cafe", "fresque", "grille"):
        add_from_document_page(client, docs[name], "")
    first, _second, third = item_ids(client.get(f"/catalogues/{cid}").get_data(as_text=True))
    token = csrf_token(client, f"/catalogues/{cid}")

    def move(item_id: str) -> str:
        """The moved resource on the page the move leads back to."""
        response = client.post(f"/catalogues/{cid}/ressources/{item_id}/monter",
                               data={"csrf_token": token})
        assert response.location == f"/catalogues/{cid}#ressource-{item_id}"
        page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
        return html_module.unescape(page.split(f'id="ressource-{item_id}"', 1)[1]
                                    .split("</li>", 1)[0])

    item = move(third)
    assert "« Outil grille » est maintenant en position 2 sur 3 dans « Ressources »." in item
    assert '<details class="tools" open>' in item
    assert "est déjà en tête" in move(first)
    page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
    assert "est maintenant" not in page  # said once, where it happened


def test_destructive_actions_sit_apart_and_ask_first(client: FlaskClient, auth: Auth,
                                                     docs: dict[str, str]) -> None:
    auth.login("formateur")
    cid = create(client)
    add_from_document_page(client, docs["fresque"], "Une note")
    page = client.get(f"/catalogues/{cid}").get_data(as_text=True)
    admin, danger = page.split('class="catalogue-admin"', 1)[1].split('class="danger-zone"', 1)
    assert "Ajouter la section" in admin and "supprimer" not in admin
    confirm = danger.split('<details class="confirm" data-confirm>', 1)[1]
    assert confirm.index("<summary>Supprimer ce catalogue…</summary>") < confirm.index(
        f'action="/catalogues/{cid}/supprimer"')
    item = page.split('class="catalogue-item"', 1)[1]
    assert item.index("<summary>Retirer du catalogue…</summary>") < item.index("/retirer")
    assert "avec votre note" in item
