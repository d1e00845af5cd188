"""The directory of allies as JSON: `GET /api/annuaire` (the same search as the page: words,
`theme`, `territoire`, `organisation`) and `GET /api/annuaire/personnes/<id>` (a profile and
its evidence). Both answer as the request's reader (see `webui.api.blueprint`): profiles
whose person consented to be seen by that reader, each field only where the person's
choices allow, evidence only from what the reader may read. `webui.api.openapi` describes
them.
"""

from __future__ import annotations

from flask import Response, jsonify, request, url_for

from kb.models import Organisation, Person
from kb.people.directory import DirectoryPage, Result, search_directory
from kb.people.evidence import Evidence
from kb.people.privacy import can_see_field
from kb.people.profiles import ProfileView, get_profile
from kb.people.territories import Territory
from kb.visibility import Reader
from webui.api.blueprint import bp
from webui.common.context import current_reader, instance
from webui.people.params import read_query

MAX_PER_PAGE = 50
MAX_EVIDENCE = 20


def _evidence_url(item: Evidence) -> str:
    if item.kind in ("fiche", "document"):
        return url_for("documents.show", doc_id=item.target, _external=True)
    if item.kind == "catalogue":
        return url_for("catalogues.show", catalogue_id=item.target, _external=True)
    return url_for("workflow.show", dossier_id=item.target, _external=True)


def evidence_json(item: Evidence) -> dict[str, object]:
    return {"kind": item.kind, "label": item.label, "title": item.title,
            "date": item.date.isoformat() if item.date else None,
            "territory": item.territory.label() or None, "roles": item.roles,
            "themes": sorted(item.themes.values()), "url": _evidence_url(item)}


def _contact(reader: Reader, person: Person) -> dict[str, str] | None:
    if not can_see_field(reader, person, "contact"):
        return None
    return {"email": person.contact_email, "phone": person.contact_phone,
            "note": person.contact_note}


def _organisations(pairs: list[tuple[Organisation, str]]) -> list[dict[str, str]]:
    return [{"id": o.id, "name": o.name, "kind": o.kind, "role": role,
             "url": url_for("organisations.show", organisation_id=o.id, _external=True)}
            for o, role in pairs]


def _person_json(reader: Reader, person: Person, organisations: list[tuple[Organisation, str]],
                 territories: list[Territory]) -> dict[str, object]:
    """What every answer says of a person, each field as the reader may see it."""
    return {"id": person.id, "name": person.name, "headline": person.headline,
            "organisations": _organisations(organisations),
            "territories": [t.label() for t in territories],
            "contact": _contact(reader, person),
            "url": url_for("people.profile", person_id=person.id, _external=True)}


def _result_json(reader: Reader, result: Result) -> dict[str, object]:
    return {**_person_json(reader, result.person, [(o, "") for o in result.organisations],
                           result.territories),
            "score": round(result.score, 4), "reasons": result.reasons,
            "evidence_count": len(result.evidence),
            "evidence": [evidence_json(e) for e in result.matching[:MAX_EVIDENCE]]}


def directory_json(reader: Reader, page: DirectoryPage, number: int,
                   per_page: int) -> dict[str, object]:
    total = len(page.results)
    pages = max(1, -(-total // per_page))
    shown = page.results[(number - 1) * per_page:number * per_page]
    understood = page.understood
    return {
        "query": page.query.text, "themes": page.query.themes,
        "territories": page.query.territories, "organisations": page.query.organisations,
        "understood": {
            "themes": [{"uri": uri, "label": label}
                       for uri, label in understood.concepts.items()],
            "territory": understood.place.label() if understood.place else None,
            "words": understood.words},
        "total": total, "page": number, "pages": pages, "per_page": per_page,
        "results": [_result_json(reader, result) for result in shown],
        "facets": [{"name": facet.name, "label": facet.label, "param": facet.param, "values": [
            {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
            for v in facet.values]} for facet in page.facets],
    }


@bp.get("/annuaire")
def directory() -> Response:
    reader = current_reader()
    page = search_directory(instance(), reader, read_query(request.args))
    per_page = min(max(request.args.get("par_page", 20, type=int) or 20, 1), MAX_PER_PAGE)
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    return jsonify(directory_json(reader, page, number, per_page))


def profile_json(reader: Reader, view: ProfileView) -> dict[str, object]:
    person = view.person
    return {**_person_json(reader, person, view.organisations, view.territories),
            "presentation": person.presentation, "links": person.links,
            "themes": [{"uri": uri, "label": label, "count": n} for uri, label, n in view.themes],
            "declared": [label for _, label, n in view.competences if n == 0],
            "places": [{"label": label, "count": n} for label, n in view.places],
            "evidence": [evidence_json(e) for e in view.evidence]}


@bp.get("/annuaire/personnes/<person_id>")
def person(person_id: str) -> Response:
    reader = current_reader()
    return jsonify(profile_json(reader, get_profile(instance(), reader, person_id)))
