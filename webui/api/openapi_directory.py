"""The OpenAPI description of the directory's API (`webui.api.directory`), built from the same
constants as the views (limits, kinds, evidence kinds); merged into the API's document by
`webui.api.openapi`."""

from __future__ import annotations

from kb.models.people import MENTION_ROLES, ORGANISATION_KINDS
from kb.people.directory import FACETS, MAX_QUERY
from kb.people.reasons import ORDER as EVIDENCE_KINDS
from webui.api.directory import MAX_EVIDENCE, MAX_PER_PAGE
from webui.api.schema import (
    STRING_LIST,
    Schema,
    json_response,
    nullable,
    object_schema,
    query_parameter,
    without_nul,
)
from webui.people.params import MAX_VALUES


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


EVIDENCE = object_schema({
    "kind": {"enum": list(EVIDENCE_KINDS),
             "description": "fiche (d'expérience), document, catalogue ou dossier."},
    "label": {"type": "string", "description": "Ce que c'est, en toutes lettres."},
    "title": {"type": "string"},
    "date": nullable({"type": "string", "format": "date"}),
    "territory": nullable({"type": "string"}),
    "roles": {"type": "array", "items": {"enum": [*MENTION_ROLES]},
              "description": "Rôle(s) de la personne : auteur, narrateur, maieuticien, "
                             "temoin."},
    "themes": {**STRING_LIST, "description": "Thèmes de la taxonomie."},
    "url": {"type": "string", "format": "uri"},
}, "Une preuve : fiche, document, catalogue ou dossier que le lecteur peut lire.")

ORGANISATION = object_schema({
    "id": {"type": "string"},
    "name": {"type": "string"},
    "kind": {"enum": list(ORGANISATION_KINDS)},
    "role": {"type": "string", "description": "Rôle de la personne (vide s'il n'est pas dit)."},
    "url": {"type": "string", "format": "uri", "description": "Page de l'organisation."},
})

CONTACT = nullable(object_schema({
    "email": {"type": "string"}, "phone": {"type": "string"}, "note": {"type": "string"},
}, "Coordonnées, seulement pour les membres à qui la personne les montre ; jamais à un "
   "visiteur anonyme."))

PERSON_FIELDS: dict[str, Schema] = {
    "id": {"type": "string"},
    "name": {"type": "string", "description": "Nom affiché."},
    "headline": {"type": "string", "description": "Fonction, métier."},
    "organisations": {"type": "array", "items": _ref("OrganisationDUnePersonne"),
                      "description": "Vide si la personne ne les montre pas au lecteur."},
    "territories": {**STRING_LIST, "description": "Territoires d'action déclarés (vide si la "
                                                  "personne ne les montre pas au lecteur)."},
    "contact": CONTACT,
    "url": {"type": "string", "format": "uri", "description": "Page du profil."},
}

PERSON = object_schema({
    **PERSON_FIELDS,
    "score": {"type": "number", "minimum": 0},
    "reasons": {**STRING_LIST, "description": "Pourquoi la personne est là, en français."},
    "evidence_count": {"type": "integer", "minimum": 0,
                       "description": "Preuves lisibles par le lecteur."},
    "evidence": {"type": "array", "items": _ref("Preuve"), "maxItems": MAX_EVIDENCE,
                 "description": "Les preuves qui répondent à la recherche."},
}, "Une personne trouvée, telle que le lecteur peut la voir.")

DIRECTORY_FACET = object_schema({
    "name": {"enum": list(FACETS)},
    "label": {"type": "string"},
    "param": {"enum": sorted({param for _, param in FACETS.values()}),
              "description": "Le paramètre de /api/annuaire qui prend ses valeurs."},
    "values": {"type": "array", "items": object_schema({
        "value": {"type": "string", "description": "URI d'un concept, dep:63, reg:84, "
                                                   "type:petr ou type d'organisation."},
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
    })},
}, "Une facette de l'annuaire, comptée parmi les personnes trouvées.")

DIRECTORY_PAGE = object_schema({
    "query": {"type": "string"},
    "themes": STRING_LIST, "territories": STRING_LIST, "organisations": STRING_LIST,
    "understood": object_schema({
        "themes": {"type": "array", "items": object_schema({
            "uri": {"type": "string"}, "label": {"type": "string"}})},
        "territory": nullable({"type": "string"}),
        "words": {"type": "string", "description": "Les mots cherchés dans les documents."},
    }, "Les thèmes et le territoire que nomment les mots de la recherche."),
    "total": {"type": "integer", "minimum": 0},
    "page": {"type": "integer", "minimum": 1},
    "pages": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    "results": {"type": "array", "items": _ref("Personne")},
    "facets": {"type": "array", "items": _ref("FacetteAnnuaire")},
})

PROFILE = object_schema({
    **PERSON_FIELDS,
    "presentation": {"type": "string"},
    "links": STRING_LIST,
    "themes": {"type": "array", "items": object_schema({
        "uri": {"type": "string"}, "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 1}}),
        "description": "Compétences attestées : thèmes des preuves, avec leur nombre."},
    "declared": {**STRING_LIST, "description": "Compétences déclarées sans preuve."},
    "places": {"type": "array", "items": object_schema({
        "label": {"type": "string"}, "count": {"type": "integer", "minimum": 1}})},
    "evidence": {"type": "array", "items": _ref("Preuve")},
}, "Un profil et ses preuves, tels que le lecteur peut les voir.")

DIRECTORY_SCHEMAS: dict[str, Schema] = {
    "PageAnnuaire": DIRECTORY_PAGE, "Personne": PERSON, "Profil": PROFILE,
    "Preuve": EVIDENCE, "OrganisationDUnePersonne": ORGANISATION,
    "FacetteAnnuaire": DIRECTORY_FACET,
}


def _filter(name: str, description: str) -> Schema:
    return query_parameter(name, {**STRING_LIST, "maxItems": MAX_VALUES},
                           f"{description} (répétable : valeurs en OU).", style="form",
                           explode=True)


def directory_paths(unauthorized: Schema) -> dict[str, Schema]:
    return {
        "/api/annuaire": {"get": {
            "operationId": "annuaire", "summary": "Chercher des allié·e·s",
            "description": "Les personnes qui ont consenti à être vues du lecteur (sans "
                           "jeton : profils publics), les mieux attestées d'abord, chacune "
                           "avec ses raisons et ses preuves lisibles par le lecteur.",
            "parameters": [
                query_parameter("q", {"type": "string", "maxLength": MAX_QUERY},
                                "Mots ou question (« qui a accompagné une démarche "
                                "d'alimentation dans un PETR ? »)."),
                _filter("theme", "URI d'un concept"),
                _filter("territoire", "dep:63, reg:84 ou type:petr"),
                _filter("organisation", "Type d'organisation"),
                query_parameter("page", {"type": "integer", "minimum": 1, "maximum": 1000},
                                "Page (1 par défaut)."),
                query_parameter("par_page", {"type": "integer", "minimum": 1,
                                             "maximum": MAX_PER_PAGE},
                                "Personnes par page (20 par défaut)."),
            ],
            "responses": {"200": json_response("PageAnnuaire", "Une page de l'annuaire."),
                          "401": unauthorized},
        }},
        "/api/annuaire/personnes/{person_id}": {"get": {
            "operationId": "profil", "summary": "Un profil et ses preuves",
            "parameters": [{"name": "person_id", "in": "path", "required": True,
                            "schema": without_nul({"type": "string", "maxLength": 32}),
                            "description": "Identifiant du profil."}],
            "responses": {"200": json_response("Profil", "Le profil."),
                          "401": unauthorized,
                          "404": json_response("Erreur", "Profil introuvable ou non visible "
                                                         "du lecteur.")},
        }},
    }
