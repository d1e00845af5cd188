"""Taxonomy pages and tag review through the web: counts by reader, decisions by role."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.taxonomy.reading import TreeNode, filter_tree
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
    match = re.search(re.escape(label) + r'</a>\s*<span class="count">(\d+)', html)
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


def test_the_tree_is_vertical_folded_below_its_themes_and_found_by_any_label(
        client: FlaskClient, tagged_app: dict[str, str]) -> None:
    page = client.get("/taxonomie/").get_data(as_text=True)
    tree = page.split("data-theme-tree", 1)[1]
    top = tree.split('<ul class="tree-root">', 1)[1]
    assert top.index("<details open>") < top.index("<details>")  # themes open, below folded
    assert 'data-labels="économie de la fonctionnalité et de la coopération | ' in tree
    assert ' | EFC | ' in tree
    found = client.get("/taxonomie/?filtre=efc").get_data(as_text=True)
    assert "économie de la fonctionnalité et de la coopération</a>" in found
    assert "champs de la transition</a>" in found  # its broader theme
    assert ">santé</a>" in page and ">santé</a>" not in found
    assert "<details>" not in found.split("data-theme-tree", 1)[1]  # all unfolded
    none = client.get("/taxonomie/?filtre=zzzz").get_data(as_text=True)
    assert "Aucun thème ne correspond à « zzzz »." in none


def test_filter_tree_keeps_matches_with_their_subtree_under_their_ancestors() -> None:
    leaf = TreeNode("u:velo", "vélo et marche", None, False, other_labels=["mobilité active"])
    car = TreeNode("u:covoit", "covoiturage", None, False)
    mobility = TreeNode("u:mob", "mobilité", None, False, children=[car, leaf])
    water = TreeNode("u:eau", "eau", None, False)
    top = TreeNode("u:champs", "champs de la transition", None, False,
                   children=[mobility, water])
    kept, found = filter_tree([top], "MOBILITE")
    assert found == 2 and kept[0].children == [mobility]  # whole subtree of « mobilité »
    assert top.children == [mobility, water]  # the tree itself is left as it was
    kept, found = filter_tree([top], "active")
    assert found == 1 and kept[0].children[0].children == [leaf]
    assert filter_tree([top], "") == ([top], 0)
    assert filter_tree([top], "tramway") == ([], 0)


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


def test_visitors_see_accepted_themes_and_reviewers_the_tagger_at_work(
        client: FlaskClient, auth: Auth, app: Flask, tagged_app: dict[str, str]) -> None:
    doc_id = tagged_app["efc.md"]
    label = "économie de la fonctionnalité et de la coopération"
    ctx = app.extensions["kb"]
    assert [t.state for t in document_tags(ctx, Reader.operator(), doc_id)
            if t.concept_uri == EFC] == ["suggested"]
    public_page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    for internal in ("confiance", "Pourquoi ?", "suggérée", "Accepter", 'id="etiquettes"'):
        assert internal not in public_page
    auth.login("allie")  # a member, who does not review tags, sees no more
    assert "confiance" not in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert document_tags(ctx, Reader(user_id=1, roles=frozenset({"allie"})), doc_id) == []
    auth.logout()
    auth.login("collectif")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Accepter" in page and 'id="add-concept"' in page and "Pourquoi ?" in page
    assert "confiance" in page
    client.post(f"/taxonomie/documents/{doc_id}/etiquettes", data={
        "csrf_token": csrf_token(client, f"/documents/{doc_id}"), "concept_uri": EFC,
        "decision": "accepted"})
    auth.logout()
    public_page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    themes = public_page.split('id="etiquettes"', 1)[1].split("</section>", 1)[0]
    assert label in themes and "confiance" not in themes and "acceptée" not in themes
    [visible] = document_tags(ctx, Reader.anonymous(), doc_id)
    assert visible.confidence is None and visible.passages == [] and visible.matched_label is None


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
        "broader": [r.uri for r in view.broader], "related": [r.uri for r in view.related]})
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


def concept_form(client: FlaskClient, uri: str, **changes: object) -> tuple[int, str]:
    from kb.taxonomy.reading import concept_detail

    view = concept_detail(client.application.extensions["kb"], uri)
    data = {"csrf_token": csrf_token(client, f"/taxonomie/concept?uri={quote(uri)}"),
            "pref_label": view.concept.pref_label, "alt_labels": "", "hidden_labels": "",
            "definition": "", "broader": [r.uri for r in view.broader],
            "related": [r.uri for r in view.related], **changes}
    response = client.post(f"/taxonomie/concept/modifier?uri={quote(uri)}", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_relations_are_chosen_with_the_picker_and_errors_keep_the_form(
        client: FlaskClient, auth: Auth, app: Flask, tagged_app: dict[str, str]) -> None:
    from kb.taxonomy.reading import concept_detail

    auth.login("admin")
    page = client.get(f"/taxonomie/concept?uri={quote(EFC)}").get_data(as_text=True)
    assert re.search(r'<select name="broader" id="broader" multiple', page)
    assert "identifiants, un par ligne" not in page and f'<option value="{EFC}"' not in page
    parent = concept_detail(app.extensions["kb"], EFC).broader[0].uri
    status, html = concept_form(client, parent, pref_label="Parent renommé", broader=[EFC])
    assert status == 400
    assert 'id="broader-err">Un concept ne peut pas être son propre générique' in html
    assert 'value="Parent renommé"' in html  # what was sent is kept
    assert concept_detail(app.extensions["kb"], parent).concept.pref_label != "Parent renommé"
    status, html = concept_form(client, EFC, related=["urn:inconnu"])
    assert status == 400 and 'id="related-err">Ce concept n&#39;est pas dans la liste' in html
    status, html = concept_form(client, EFC, pref_label=" ")
    assert status == 400 and 'id="pref_label-err">Obligatoire.' in html
    status, _ = concept_form(client, EFC, related=[parent])
    assert status == 302
    assert [r.uri for r in concept_detail(app.extensions["kb"], EFC).related] == [parent]


def test_a_candidate_becomes_a_synonym_only_of_a_chosen_concept(
        client: FlaskClient, auth: Auth, app: Flask, tagged_app: dict[str, str]) -> None:
    from sqlalchemy import func, select

    from kb.models import Concept
    from kb.taxonomy.candidates import list_candidates, refresh_candidates
    from kb.taxonomy.reading import concept_detail

    ctx = app.extensions["kb"]
    refresh_candidates(ctx, min_documents=1)
    candidate = list_candidates(ctx, Reader.operator())[0]
    with ctx.sessions() as session:
        concepts = session.scalar(select(func.count(Concept.id)))
    auth.login("collectif")
    path = f"/taxonomie/candidats/{candidate.id}"
    token = csrf_token(client, "/taxonomie/candidats")
    refused = client.post(path, data={"csrf_token": token, "action": "alt", "concept_uri": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert (f'id="target-{candidate.id}-err">Choisissez le concept dont « {candidate.label} » '
            "est un synonyme.") in html.replace("&#39;", "'")
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(Concept.id))) == concepts
    done = client.post(path, data={"csrf_token": token, "action": "alt", "concept_uri": EFC},
                       follow_redirects=True).get_data(as_text=True)
    label = concept_detail(ctx, EFC).concept.pref_label
    assert f"Ajouté comme synonyme de « {label} »" in done.replace("&#39;", "'")
    assert candidate.label in concept_detail(ctx, EFC).concept.labels("alt")
