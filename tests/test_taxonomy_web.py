"""Taxonomy pages and tag review through the web: counts by reader, decisions by role."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.taxonomy.tag_review import document_tags
from kb.visibility import Reader
from tests.conftest import Auth, csrf_token
from tests.test_tagging import EFC, TAGGED

pytestmark = TAGGED


@pytest.fixture
def tagged_app(app: Flask, built: dict[str, str]) -> dict[str, str]:
    """The ids of the documents of the app's instance, by source key."""
    return built


def tree_total(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r'</a>\s*<span class="count"[^>]*>\((\d+)\)', html)
    assert match, label
    return int(match.group(1))


def test_tree_counts_follow_the_reader(client: FlaskClient, auth: Auth,
                                       tagged_app: dict[str, str]) -> None:
    anonymous = client.get("/taxonomie/").get_data(as_text=True)
    assert "Les thèmes de la doctrine" in anonymous
    auth.login("admin")
    admin = client.get("/taxonomie/").get_data(as_text=True)
    assert tree_total(admin, "champs de la transition") > tree_total(anonymous,
                                                                     "champs de la transition")


def test_concept_page_lists_visible_documents(client: FlaskClient, auth: Auth,
                                              tagged_app: dict[str, str]) -> None:
    page = client.get(f"/taxonomie/concept?uri={quote(EFC)}").get_data(as_text=True)
    assert "Un club d&#39;entreprises en économie de la fonctionnalité" in page
    assert "EFC" in page  # a synonym shown
    assert client.get("/taxonomie/concept?uri=inconnu").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("allie", 403), ("collectif", 302),
                                              ("admin", 302)])
def test_tag_decision_by_role(client: FlaskClient, auth: Auth, app: Flask,
                              tagged_app: dict[str, str], role: str, status: int) -> None:
    doc_id = tagged_app["efc.md"]
    auth.login(role)
    token = csrf_token(client, f"/documents/{doc_id}")
    response = client.post(f"/taxonomie/documents/{doc_id}/etiquettes",
                           data={"csrf_token": token, "concept_uri": EFC, "decision": "rejected"})
    assert response.status_code == status
    state = {t.concept_uri: t.state for t in document_tags(app.extensions["kb"],
                                                            Reader.operator(), doc_id)}[EFC]
    assert state == ("rejected" if status == 302 else "suggested")


def test_document_page_shows_review_controls_to_documentalists(
        client: FlaskClient, auth: Auth, tagged_app: dict[str, str]) -> None:
    doc_id = tagged_app["efc.md"]
    public_page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "économie de la fonctionnalité et de la coopération" in public_page
    assert "Accepter" not in public_page and "confiance" in public_page
    auth.login("collectif")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Accepter" in page and 'id="add-concept"' in page and "Pourquoi ?" in page


def test_tag_decision_without_csrf_is_refused(client: FlaskClient, auth: Auth,
                                              tagged_app: dict[str, str]) -> None:
    auth.login("admin")
    response = client.post(f"/taxonomie/documents/{tagged_app['efc.md']}/etiquettes",
                           data={"concept_uri": EFC, "decision": "rejected"})
    assert response.status_code == 400


def test_hidden_document_tags_are_not_reachable(client: FlaskClient, auth: Auth,
                                                tagged_app: dict[str, str]) -> None:
    auth.login("allie")
    assert client.get(f"/documents/{tagged_app['friche.md']}").status_code == 404
    token = csrf_token(client, "/")
    hidden, missing = (client.post(f"/taxonomie/documents/{doc_id}/etiquettes",
                                   data={"csrf_token": token, "concept_uri": EFC})
                       for doc_id in (tagged_app["friche.md"], "inexistant"))
    # Refused for the role before the document is looked up: the answer is the same for a
    # hidden document as for none, so it tells nothing of what exists.
    assert hidden.status_code == 403 and missing.status_code == 403
    assert hidden.get_data(as_text=True) == missing.get_data(as_text=True)


def test_admin_edits_labels_and_others_cannot(client: FlaskClient, auth: Auth, app: Flask,
                                              tagged_app: dict[str, str]) -> None:
    from kb.taxonomy.reading import concept_detail

    path = f"/taxonomie/concept/modifier?uri={quote(EFC)}"
    auth.login("collectif")
    token = csrf_token(client, "/")
    assert client.post(path, data={"csrf_token": token, "pref_label": "x"}).status_code == 403
    auth.logout()
    auth.login("admin")
    view = concept_detail(app.extensions["kb"], EFC)
    token = csrf_token(client, f"/taxonomie/concept?uri={quote(EFC)}")
    response = client.post(path, data={
        "csrf_token": token, "pref_label": view.concept.pref_label,
        "alt_labels": "\n".join([*view.concept.labels("alt"), "économie servicielle"]),
        "hidden_labels": "", "definition": "Une définition revue.",
        "broader": "\n".join(r.uri for r in view.broader),
        "related": "\n".join(r.uri for r in view.related)})
    assert response.status_code == 302
    updated = concept_detail(app.extensions["kb"], EFC)
    assert "économie servicielle" in updated.concept.labels("alt")


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("allie", 403),
                                              ("collectif", 200), ("admin", 200)])
def test_candidates_page_by_role(client: FlaskClient, auth: Auth, role: str,
                                 status: int, tagged_app: dict[str, str]) -> None:
    if role != "anonymous":
        auth.login(role)
    assert client.get("/taxonomie/candidats").status_code == status
