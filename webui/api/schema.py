"""Small builders of the OpenAPI document's JSON Schemas, parameters and responses, shared by
the descriptions of the search (`webui.api.openapi`) and of the directory
(`webui.api.openapi_directory`)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
STRING_LIST: Schema = {"type": "array", "items": {"type": "string"}}


def object_schema(properties: dict[str, Schema], description: str = "") -> Schema:
    """An object holding exactly these properties."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties), "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


def query_parameter(name: str, schema: Schema, description: str, **extra: Any) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description, **extra}


def json_response(schema_name: str, description: str) -> Schema:
    return {"description": description, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}
