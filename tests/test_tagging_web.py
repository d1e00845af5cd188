"""Tagging on the web: a scheme's use for tagging switched from the taxonomy page, and the
explanation of a learned suggestion, which names only documents the reader may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import ConceptScheme
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_import import import_tags
from kb.taxonomy.tag_review import document_tags
from kb.taxonomy.tagging import tag_documents
from kb.visibility import Reader
from tests.conftest import CORPUS, Auth, csrf_token
from tests.test_tagging import doc_id, write_documents
from tests.test_tagging_learned import DESIGN, SYSTEMIC, write_corpus
from tests.test_tagging_schemes import OTHER_CC, SECOND_THESAURUS

DOCTRINE = "https://kb.fabriquedestransitions.fr/taxonomie/doctrine"


@pytest.fixture
def kb_instance(app: Flask) -> KbContext:
    ctx: KbContext = app.extensions["kb"]
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    return ctx


def tagging_of(ctx: KbContext) -> bool:
    with ctx.sessions() as session:
        return bool(session.scalar(select(ConceptScheme.tagging)
                                   .where(ConceptScheme.uri == DOCTRINE)))


def test_the_taxonomy_page_shows_and_switches_tagging(client: FlaskClient, auth: Auth,
                                                      kb_instance: KbContext) -> None:
    page = client.get("/taxonomie/").get_data(as_text=True)
    assert "sert à l'étiquetage automatique" in page
    assert "Ne plus étiqueter avec ce thésaurus" not in page  # visitors only see it
    auth.login("collectif")
    token = csrf_token(client, "/")
    denied = client.post("/taxonomie/schemas/etiquetage", data={
        "csrf_token": token, "scheme_uri": DOCTRINE, "tagging": "off"})
    assert denied.status_code == 403 and tagging_of(kb_instance)
    auth.logout()
    auth.login("admin")
    assert client.post("/taxonomie/schemas/etiquetage", data={
        "scheme_uri": DOCTRINE, "tagging": "off"}).status_code == 400  # no CSRF token
    token = csrf_token(client, "/taxonomie/")
    response = client.post("/taxonomie/schemas/etiquetage", data={
        "csrf_token": token, "scheme_uri": DOCTRINE, "tagging": "off"}, follow_redirects=True)
    assert response.status_code == 200 and not tagging_of(kb_instance)
    page = response.get_data(as_text=True)
    assert "ne sert plus à l&#39;étiquetage automatique" in page
    assert "Étiqueter avec ce thésaurus" in page and "consultation seule" in page
    assert client.post("/taxonomie/schemas/etiquetage", data={
        "csrf_token": token, "scheme_uri": "urn:aucun", "tagging": "on"}).status_code == 404


def test_a_learned_suggestion_names_only_visible_similar_documents(
        client: FlaskClient, auth: Auth, kb_instance: KbContext, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "docs")
    restricted = folder / "mobilite-00.md"
    restricted.write_text(restricted.read_text(encoding="utf-8").replace(
        "---\n\n", "visibilite: restreint\ngroupes: [maieuticiens]\n---\n\n", 1),
        encoding="utf-8")
    assert not ingest_paths(kb_instance, [folder]).failed
    decisions = tmp_path / "decisions.tsv"
    decisions.write_text("".join(f"mobilite-{n:02d}.md\t{SYSTEMIC}\n" for n in range(10))
                         + "".join(f"cantine-{n:02d}.md\t{DESIGN}\n" for n in range(10)),
                         encoding="utf-8")
    import_tags(kb_instance, decisions)
    tag_documents(kb_instance, [])
    target = doc_id(kb_instance, "mobilite-11.md")
    hidden = doc_id(kb_instance, "mobilite-00.md")

    def similar(reader: Reader) -> list[str]:
        tag = next(t for t in document_tags(kb_instance, reader, target)
                   if t.concept_uri == SYSTEMIC)
        return [doc for doc, _title in tag.similar]

    assert hidden in similar(Reader.operator())
    # The tagger's workings are for those who review tags: a member sees none of them.
    auth.login("allie")
    page = client.get(f"/documents/{target}").get_data(as_text=True)
    assert "Appris de" not in page and "semblable" not in page
    auth.logout()
    # A documentalist who may not read a similar document is not told it exists.
    auth.login("collectif")
    page = client.get(f"/documents/{target}").get_data(as_text=True)
    assert "Appris de 9 documents semblables" in page and "Se déplacer autrement (0)" not in page
    assert f"/documents/{hidden}" not in page
    auth.logout()
    auth.login("admin")
    page = client.get(f"/documents/{target}").get_data(as_text=True)
    assert "Appris de 10 documents semblables" in page


def test_a_theme_of_any_thesaurus_can_be_added(client: FlaskClient, auth: Auth,
                                               kb_instance: KbContext, tmp_path: Path) -> None:
    second = tmp_path / "alimentation.ttl"
    second.write_text(SECOND_THESAURUS, encoding="utf-8")
    import_skos(kb_instance, second)
    assert not ingest_paths(kb_instance, [write_documents(tmp_path / "docs")]).failed
    target = doc_id(kb_instance, "efc.md")
    auth.login("collectif")
    page = client.get(f"/documents/{target}").get_data(as_text=True)
    assert '<optgroup label="Alimentation durable">' in page
    assert f'<option value="{OTHER_CC}">' in page
    token = csrf_token(client, f"/documents/{target}")
    client.post(f"/taxonomie/documents/{target}/etiquettes", data={
        "csrf_token": token, "concept_uri": OTHER_CC, "decision": "accepted"})
    added = {t.concept_uri: (t.state, t.origin)
             for t in document_tags(kb_instance, Reader.operator(), target)}
    assert added[OTHER_CC] == ("accepted", "human")
