"""Small builders of the OpenAPI document's JSON Schemas, parameters and responses, shared by
the descriptions of the search (`webui.api.openapi`) and of the directory
(`webui.api.openapi_directory`)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
STRING_LIST: Schema = {"type": "array", "items": {"type": "string"}}
# The web refuses U+0000 in any parameter (webui.common.security): the texts it takes say so.
WITHOUT_NUL = "^[^\\u0000]*$"
REFUSED = "Paramètre refusé (caractère nul), le champ est nommé dans l'erreur."


def object_schema(properties: dict[str, Schema], description: str = "") -> Schema:
    """An object holding exactly these properties."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties), "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


def without_nul(schema: Schema) -> Schema:
    """The schema of a text parameter (or list of texts), with the pattern refusing U+0000."""
    if schema.get("type") == "string":
        return {**schema, "pattern": WITHOUT_NUL}
    if schema.get("type") == "array" and schema.get("items", {}).get("type") == "string":
        return {**schema, "items": without_nul(schema["items"])}
    return schema


def query_parameter(name: str, schema: Schema, description: str, **extra: Any) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": without_nul(schema),
            "description": description, **extra}


def json_response(schema_name: str, description: str) -> Schema:
    return {"description": description, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}
