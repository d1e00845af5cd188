"""The API's OpenAPI 3.1 description, kept beside the views it describes and built from the
same constants (filters, sorts, limits, kinds); `tests/test_openapi.py` holds the views to it
with a property-based run of schemathesis."""

from __future__ import annotations

from indexer.search.facets import FACET_FIELDS
from indexer.search.searcher import SORTS
from kb.models import KIND_LABELS
from webui.api.openapi_directory import DIRECTORY_SCHEMAS, directory_paths
from webui.api.schema import REFUSED, STRING_LIST, Schema
from webui.api.schema import json_response as _json
from webui.api.schema import nullable as _nullable
from webui.api.schema import object_schema as _object
from webui.api.schema import query_parameter as _query
from webui.api.search import MAX_PER_PAGE, MAX_SUGGEST_QUERY
from webui.search.params import MAX_PAGE, MAX_QUERY

TOKEN_SCHEME = "jeton"

FILTERS: Schema = {
    "type": "object",
    "description": "Filtres en vigueur, par facette (valeurs de l'index).",
    "propertyNames": {"enum": list(FACET_FIELDS)},
    "additionalProperties": STRING_LIST,
}

RESULT = _object({
    "id": {"type": "string", "description": "Identifiant du document."},
    "title": {"type": "string"},
    "kind": {"type": "string", "description": "Type de document.",
             "examples": list(KIND_LABELS)},
    "kind_label": {"type": "string", "description": "Type en toutes lettres."},
    "date": _nullable({"type": "string", "format": "date"}),
    "territory": _nullable({"type": "string"}),
    "authors": STRING_LIST,
    "score": {"type": "number", "description": "Pertinence (BM25F) ; 0 pour un tri par date."},
    "snippet": {"type": "string",
                "description": "Extrait en HTML échappé ; les mots trouvés dans <mark>."},
    "url": {"type": "string", "format": "uri", "description": "Page du document."},
}, "Un document trouvé, visible par le lecteur.")

FACET = _object({
    "name": {"enum": list(FACET_FIELDS)},
    "label": {"type": "string"},
    "values": {"type": "array", "items": _object({
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0,
                  "description": "Documents visibles ; 0 pour une valeur choisie sans "
                                 "résultat."},
        "selected": {"type": "boolean"},
        "depth": {"type": "integer", "minimum": 0,
                  "description": "Thèmes : profondeur sous un concept plus large affiché."},
    })},
}, "Une facette et ses valeurs, comptées parmi les documents visibles.")

CHIP = _object({
    "name": {"type": "string"},
    "label": {"type": "string"},
    "query": {"type": "string", "description": "La requête sans ce filtre."},
    "filters": FILTERS,
}, "Un filtre en vigueur et la recherche sans lui.")

SEARCH_PAGE = _object({
    "query": {"type": "string", "description": "La requête telle que reçue."},
    "searched": {"type": "string", "description": "La requête cherchée (corrigée s'il y a lieu)."},
    "only_common_words": {"type": "boolean",
                          "description": "La requête ne contenait que des mots trop courants."},
    "total": {"type": "integer", "minimum": 0},
    "page": {"type": "integer", "minimum": 1},
    "pages": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    "sort": {"enum": list(SORTS)},
    "filters": FILTERS,
    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Resultat"}},
    "facets": {"type": "array", "items": {"$ref": "#/components/schemas/Facette"}},
    "chips": {"type": "array", "items": {"$ref": "#/components/schemas/Pastille"}},
    "notes": {**STRING_LIST,
              "description": "Filtres tapés non compris, cherchés comme des mots (en français)."},
    "compounds": _object({
        "typed": {**STRING_LIST, "description": "Mots composés tapés (« tiers-lieux »)."},
        "total": {"type": "integer", "minimum": 0,
                  "description": "Documents trouvés qui les écrivent en entier."},
    }),
    "suggestions": _object({
        "spelling": _nullable(_object({
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "applied": {"type": "boolean",
                        "description": "Vrai : les résultats sont ceux de la requête corrigée."},
        })),
        "completions": STRING_LIST,
    }),
})

SUGGESTIONS = _object({
    "query": {"type": "string"},
    "suggestions": {"type": "array", "items": _object({
        "query": {"type": "string", "description": "La requête complétée."},
        "word": {"type": "string", "description": "Le mot proposé."},
        "count": {"type": "integer", "minimum": 1,
                  "description": "Documents visibles qui contiennent ce mot."},
    })},
})

ERROR = _object({"error": {"type": "string", "description": "Le problème, en français."}})

HEALTH = _object({
    "status": {"enum": ["ok", "degraded", "down"]},
    "checked_at": {"type": "string", "format": "date-time"},
    "database": _object({"reachable": {"type": "boolean"},
                         "schema_current": {"type": "boolean"}}),
    "index": _object({
        "present": {"type": "boolean"},
        "generation": _nullable({"type": "integer", "minimum": 1}),
        "commit": _nullable({"type": "integer", "minimum": 0}),
        "built_at": _nullable({"type": "string", "format": "date-time"}),
        "updated_at": _nullable({"type": "string", "format": "date-time"}),
        "current": {"type": "boolean"},
        "pending": {"type": "integer", "minimum": 0},
        "oldest_pending_seconds": _nullable({"type": "number", "minimum": 0}),
        "stale_after_seconds": {"type": "integer"},
    }),
})


def _search_parameters() -> list[Schema]:
    filters = [_query(name, STRING_LIST, f"Filtre « {name} » (répétable : valeurs en OU).",
                      style="form", explode=True) for name in FACET_FIELDS]
    return [
        _query("q", {"type": "string", "maxLength": MAX_QUERY}, "La requête, dans la syntaxe "
               "de la recherche (mots, « phrase », -exclu, type:fiche…)."),
        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page (1 par "
               "défaut)."),
        _query("par_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
               "Résultats par page (10 par défaut)."),
        _query("tri", {"enum": list(SORTS)}, "Ordre : pertinence (défaut) ou date."),
        _query("exact", {"enum": ["0", "1"]}, "1 : sans correction orthographique."),
        *filters,
    ]


def _paths() -> dict[str, Schema]:
    unauthorized = _json("Erreur", "Jeton inconnu, révoqué ou expiré.")
    return {
        "/api/search": {"get": {
            "operationId": "chercher", "summary": "Chercher des documents",
            "description": "Résultats, facettes et suggestions, limités à ce que le lecteur "
                           "peut lire (sans jeton : documents publics).",
            "parameters": _search_parameters(),
            "responses": {"200": _json("PageDeResultats", "Une page de résultats."),
                          "401": unauthorized},
        }},
        "/api/search/suggestions": {"get": {
            "operationId": "completer", "summary": "Compléter le mot en cours de frappe",
            "parameters": [_query("q", {"type": "string", "maxLength": MAX_SUGGEST_QUERY},
                                  "Le texte tapé.")],
            "responses": {"200": _json("Suggestions", "Les complétions, les plus fréquentes "
                                                      "d'abord."),
                          "401": unauthorized},
        }},
        **directory_paths(unauthorized),
        "/sante": {"get": {
            "operationId": "sante", "summary": "État du service, pour la supervision",
            "security": [{}],
            "responses": {"200": _json("Sante", "Le service répond (ok ou dégradé)."),
                          "503": _json("Sante", "Base injoignable ou index absent.")},
        }},
    }


def _with_refusals(paths: dict[str, Schema]) -> dict[str, Schema]:
    """Every operation taking parameters may answer 400 with the field named (a NUL
    character, refused by the web before any view)."""
    for operations in paths.values():
        for operation in operations.values():
            if operation.get("parameters"):
                operation["responses"].setdefault("400", _json("Erreur", REFUSED))
    return paths


def openapi_document() -> Schema:
    """The OpenAPI 3.1 document of the JSON API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API de la base documentaire de la Fabrique des transitions",
            "version": "1.0",
            "description": "Recherche dans la base documentaire, pour l'intégrer à un autre "
                           "site. Sans jeton, l'API répond comme à un visiteur anonyme "
                           "(documents publics seulement) ; avec le jeton personnel d'un·e "
                           "membre (en-tête `Authorization: Bearer …`), elle voit ce que ce "
                           "membre voit.",
        },
        "servers": [{"url": "/"}],
        "security": [{}, {TOKEN_SCHEME: []}],
        "paths": _with_refusals(_paths()),
        "components": {
            "securitySchemes": {TOKEN_SCHEME: {
                "type": "http", "scheme": "bearer",
                "description": "Jeton personnel créé sur la page « Mon compte »."}},
            "schemas": {"PageDeResultats": SEARCH_PAGE, "Resultat": RESULT, "Facette": FACET,
                        "Pastille": CHIP, "Suggestions": SUGGESTIONS, "Erreur": ERROR,
                        "Sante": HEALTH, **DIRECTORY_SCHEMAS},
        },
    }
