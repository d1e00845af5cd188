"""The API is described by a valid OpenAPI 3.1 document, and held to it: a property-based
run of schemathesis against the app (WSGI, no network) finds no server error and no answer
that breaks the document; the README's API section names what the JSON holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from webui.api.openapi import openapi_document

ROOT = Path(__file__).resolve().parent.parent
# Examples per operation (five operations): a few hundred calls in all, bounded; set
# KB_API_EXAMPLES for a longer exploration.
EXAMPLES = int(os.environ.get("KB_API_EXAMPLES", "150"))


def test_the_document_is_valid_openapi_31(corpus_app: Flask) -> None:
    served = corpus_app.test_client().get("/api/openapi.json")
    assert served.status_code == 200
    document = served.get_json()
    assert document == openapi_document() and document["openapi"].startswith("3.1")
    validate(document)


def test_the_api_keeps_to_its_description(corpus_app: Flask) -> None:
    """Each operation's strategy (schemathesis, Hypothesis) drives calls through WSGI and
    checks each answer: no 5xx, status, content type, headers and body as described."""
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", corpus_app)
    calls: dict[str, int] = {}
    for found in api.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def keeps_to_it(case: schemathesis.Case) -> None:
            case.call_and_validate()
            calls[case.operation.label] = calls.get(case.operation.label, 0) + 1

        keeps_to_it()
    assert set(calls) == {"GET /api/search", "GET /api/search/suggestions", "GET /sante",
                          "GET /api/annuaire", "GET /api/annuaire/personnes/{person_id}"}
    assert sum(calls.values()) >= 200, calls
    print("schemathesis calls:", calls)


def test_the_page_shows_each_operation_and_field(corpus_app: Flask) -> None:
    page = corpus_app.test_client().get("/api/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    document = openapi_document()
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in html
    for name in document["components"]["schemas"]["Resultat"]["properties"]:
        assert f"<code>{name}</code>" in html
    # No API explorer loaded from elsewhere: the site's own scripts only.
    assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html))
    assert "http://" not in html.replace("http://localhost", "")


def test_the_readme_names_the_json_fields_and_parameters() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**API JSON**"):]
    section = section[:section.index("\n\n**Index.**")]
    named = set(re.findall(r"`([a-z_]+)`", section))
    document = openapi_document()
    schemas = document["components"]["schemas"]
    parameters = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    for expected in (set(schemas["PageDeResultats"]["properties"])
                     | set(schemas["Resultat"]["properties"]) | parameters):
        assert expected in named, expected
    enums = (set(schemas["PageDeResultats"]["properties"]["sort"]["enum"])
             | set(schemas["Sante"]["properties"]["status"]["enum"]))
    allowed = (set(schemas["PageDeResultats"]["properties"]) | parameters | enums
               | set(schemas["Resultat"]["properties"]) | {"error", "status"}
               | set(schemas["PageDeResultats"]["properties"]["suggestions"]["properties"]))
    assert named <= allowed, named - allowed
