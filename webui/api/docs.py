"""The API described: its OpenAPI document as JSON, and the same document as a French page
served from here (no script, nothing fetched from elsewhere)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template

from webui.api.blueprint import bp
from webui.api.openapi import openapi_document


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


def _type(schema: dict[str, Any]) -> str:
    """A schema told in a few words: `entier (1 à 50)`, `pertinence | date`, `liste`…"""
    if "$ref" in schema:
        return schema["$ref"].rpartition("/")[2]
    if "oneOf" in schema:
        return " ou ".join(_type(part) for part in schema["oneOf"])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    kind = {"integer": "entier", "string": "texte", "boolean": "booléen", "number": "nombre",
            "array": "liste", "object": "objet", "null": "null"}.get(schema.get("type", ""), "")
    if kind == "liste" and "items" in schema:
        kind = f"liste de {_type(schema['items'])}"
    bounds = [f"{schema[key]}" for key in ("minimum", "maximum") if key in schema]
    if len(bounds) == 2:
        kind += f" ({bounds[0]} à {bounds[1]})"
    elif "maxLength" in schema:
        kind += f" ({schema['maxLength']} caractères au plus)"
    return kind


@bp.get("/")
def documentation() -> str:
    return render_template("api_docs.html", spec=openapi_document(), describe=_type)
