"""The web UI through the Flask test client: search page, document page, original, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths


@pytest.fixture
def filled(tmp_path: Path, app, client: FlaskClient) -> FlaskClient:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "recits.md").write_text(
        "---\ntitre: Mise en récit à Tulle\nvisibilite: public\ndate: 2022-06-01\n"
        "territoire: Tulle\n---\n# Mise en récit à Tulle\n\n## Récit\n\n"
        "Les habitant·es racontent la transition de leur ville. <script>alert('x')</script>\n",
        encoding="utf-8")
    for number in range(12):
        (folder / f"note-{number:02d}.md").write_text(
            f"---\ntitre: Note bocage {number}\nvisibilite: public\n---\n"
            f"Le bocage et les haies, note {number}.\n", encoding="utf-8")
    ctx: KbContext = app.extensions["kb"]
    assert not ingest_paths(ctx, [folder]).failed
    return client


def result_titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/documents/[^"]+">([^<]+)</a>', html)


def test_home_has_a_labelled_search_box(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<label for="q-main">' in html and 'lang="fr"' in html


def test_search_without_accents_finds_the_document(filled: FlaskClient) -> None:
    response = filled.get("/recherche?q=recit+habitants")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert result_titles(html)[0] == "Mise en récit à Tulle"
    assert "<mark" in html
    assert "1 juin 2022" in html or "1er juin 2022" in html


def test_snippet_is_escaped(filled: FlaskClient) -> None:
    html = filled.get("/recherche?q=transition+ville").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_pagination(filled: FlaskClient) -> None:
    first = filled.get("/recherche?q=bocage").get_data(as_text=True)
    second = filled.get("/recherche?q=bocage&page=2").get_data(as_text=True)
    assert "12 documents" in first and "Page 1 sur 2" in first
    assert len(result_titles(first)) == 10 and len(result_titles(second)) == 2
    assert not set(result_titles(first)) & set(result_titles(second))


def test_document_page_and_original(filled: FlaskClient) -> None:
    html = filled.get("/recherche?q=Tulle").get_data(as_text=True)
    link = re.search(r'href="(/documents/[^"]+)"', html)
    assert link
    page = filled.get(link.group(1)).get_data(as_text=True)
    assert "<h1>Mise en récit à Tulle</h1>" in page and "<h2>Récit</h2>" in page
    assert "&lt;script&gt;" in page
    original = filled.get(link.group(1) + "/original")
    assert original.status_code == 200
    assert original.headers["Content-Type"].startswith("text/plain")
    assert parse_options_header(original.headers["Content-Disposition"]) == (
        "attachment", {"filename": "recits.md"})
    assert original.data.startswith(b"---\ntitre: Mise en r")


@pytest.mark.parametrize("path", ["/documents/inconnu", "/documents/inconnu/original",
                                  "/nulle-part"])
def test_not_found_is_a_french_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "introuvable" in response.get_data(as_text=True)


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("path", "field", "json"), [
    ("/recherche?q=r%C3%A9cit%00", "q", False),
    ("/documents/abc%00def", "adresse", False),
    ("/api/annuaire?theme=eau&theme=%01%00x", "theme", True),
    ("/api/search?q=%00", "q", True),
])
def test_a_nul_character_is_refused_naming_its_field(client: FlaskClient, path: str,
                                                     field: str, json: bool) -> None:
    """PostgreSQL cannot hold U+0000 in a text: a 400 that names the field, never a 500."""
    response = client.get(path)
    assert response.status_code == 400
    body = response.get_json()["error"] if json else response.get_data(as_text=True)
    assert f"« {field} »" in str(body) and "caractère nul" in str(body)


def test_malformed_query_does_not_fail(filled: FlaskClient) -> None:
    for query in ['"récit', "(((", "AND OR NOT", "titre:", "-", "*"]:
        assert filled.get("/recherche", query_string={"q": query}).status_code == 200


def test_every_revision_original_is_downloadable(tmp_path: Path, app,
                                                 client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "versions"
    folder.mkdir()
    note = folder / "note.md"
    ctx: KbContext = app.extensions["kb"]
    note.write_text("---\ntitre: Note\nvisibilite: public\n---\nPremière version.\n",
                    encoding="utf-8")
    doc_id = ingest_paths(ctx, [folder]).outcomes[0].document_id
    note.write_text("---\ntitre: Note\nvisibilite: public\n---\nSeconde version.\n",
                    encoding="utf-8")
    ingest_paths(ctx, [folder])
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"/documents/{doc_id}/versions/1/original" in page
    first = client.get(f"/documents/{doc_id}/versions/1/original")
    assert first.status_code == 200 and b"Premi" in first.data
    assert b"Seconde" in client.get(f"/documents/{doc_id}/versions/2/original").data
    assert client.get(f"/documents/{doc_id}/versions/9/original").status_code == 404
