"""The JSON search API: results, facets, suggestions, filters, and the reader's rights."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from tests.conftest import Auth

NOTES = {
    "cantine": ("La cantine bio", "public", "fiche", "2021-03-01",
                "Les repas de la cantine viennent des fermes voisines. <script>x()</script>"),
    "cuisine": ("Cuisine centrale", "membres", "outil", "2022-03-01",
                "La cuisine centrale prépare les repas de la cantine."),
    "secret": ("Note du collectif", "restreint\ngroupes: [collectif]", "outil", "2023-01-01",
               "Le zorglubisme des repas de la cantine."),
}


@pytest.fixture
def api(app: Flask, client: FlaskClient, tmp_path: Path) -> FlaskClient:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, (title, visibility, kind, date, text) in NOTES.items():
        (folder / f"{name}.txt").write_text(
            f"Titre : {title}\n\n{text}\n", encoding="utf-8")
        (folder / f"{name}.txt.meta.yaml").write_text(
            f"visibilite: {visibility}\ntype: {kind}\ndate: {date}\n", encoding="utf-8")
    ctx: KbContext = app.extensions["kb"]
    assert not ingest_paths(ctx, [folder]).failed
    return client


def get(client: FlaskClient, **params: object) -> dict[str, object]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200 and response.is_json
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()  # type: ignore[no-any-return]


def test_results_facets_and_suggestions(api: FlaskClient) -> None:
    body = get(api, q="cantine")
    assert body["total"] == 1 and body["pages"] == 1
    result = body["results"][0]  # type: ignore[index]
    assert result["title"] == "La cantine bio" and result["kind"] == "fiche-experience"
    assert result["url"].endswith(f"/documents/{result['id']}")
    assert "<mark" in result["snippet"] and "<script>" not in result["snippet"]
    assert "&lt;script&gt;" in result["snippet"]
    facets = {f["name"]: f for f in body["facets"]}  # type: ignore[union-attr]
    assert facets["type"]["values"] == [{"value": "fiche-experience", "label": "Fiche d'expérience",
                                         "count": 1, "selected": False, "depth": 0}]
    assert set(body["suggestions"]) == {"spelling", "completions"}  # type: ignore[arg-type]


def test_filters_pages_and_spelling(api: FlaskClient, auth: Auth) -> None:
    auth.login("allie")
    assert get(api, q="repas")["total"] == 2
    assert [r["title"] for r in get(api, q="repas", type="outil")["results"]] == [  # type: ignore[index]
        "Cuisine centrale"]
    assert get(api, q="repas", par_page=1, page=2)["results"][0]["title"] in (  # type: ignore[index]
        "La cantine bio", "Cuisine centrale")
    spelled = get(api, q="cantinne")
    assert spelled["suggestions"]["spelling"] == {  # type: ignore[index]
        "query": "cantine", "total": 2, "applied": True}


@pytest.mark.parametrize(("role", "expected"), [(None, 1), ("allie", 2), ("collectif", 3)])
def test_the_api_applies_the_readers_rights(api: FlaskClient, auth: Auth, role: str | None,
                                            expected: int) -> None:
    if role:
        auth.login(role)
    assert get(api, q="cantine repas")["total"] == expected
    secret = get(api, q="zorglubisme")
    assert (secret["total"] == 1) == (role == "collectif")
    words = api.get("/api/search/suggestions?q=zorglu").get_json()["suggestions"]
    assert bool(words) == (role == "collectif")


def test_suggestions_complete_the_last_word(api: FlaskClient) -> None:
    body = api.get("/api/search/suggestions?q=repas%20canti").get_json()
    assert body["suggestions"][0] == {"query": "repas cantine", "word": "cantine", "count": 1}
    assert api.get("/api/search/suggestions?q=").get_json()["suggestions"] == []


@pytest.mark.parametrize("query", ['"cantine', "(((", "type:", "-", "annee:deux-mille", "*"])
def test_malformed_queries_answer(api: FlaskClient, query: str) -> None:
    assert "results" in get(api, q=query, page="x", par_page="-3")
