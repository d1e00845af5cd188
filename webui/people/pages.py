"""Directory pages: the search with facets and reasons, a profile with its evidence, an
organisation, and the exports (CSV, vCard, the DOCX book of evidence)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from sqlalchemy import select

from kb.models import Concept, Document
from kb.models.people import MENTION_ROLES, ORGANISATION_KINDS, ORIGINS
from kb.people.directory import Result, as_filters, search_directory
from kb.people.evidence import summarise
from kb.people.exports import directory_csv, directory_vcards, evidence_docx
from kb.people.people_of import document_people
from kb.people.privacy import can_see_field, effective_visibility
from kb.people.profiles import get_profile
from kb.people.territories import data as territory_data
from kb.people.territories import kinds
from kb.sheets.publishing import DOCX_TYPE
from kb.slug import slug
from kb.visibility import Reader
from webui.common.context import current_reader, instance
from webui.common.downloads import attachment
from webui.people.params import directory_url, read_query

bp = Blueprint("people", __name__, url_prefix="/annuaire")


def territory_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped options of the territory filter: régions, départements, kinds."""
    d = territory_data()
    return [("Régions", [(f"reg:{r.code}", r.name) for r in sorted(
                d.regions.values(), key=lambda r: r.name)]),
            ("Départements", [(f"dep:{p.code}", f"{p.name} ({p.code})")
                              for p in d.departements.values()]),
            ("Types de territoire", [(f"type:{code}", label) for code, label in kinds().items()])]


def theme_choices() -> list[tuple[str, str]]:
    with instance().sessions() as session:
        rows = session.execute(select(Concept.uri, Concept.pref_label)
                               .where(Concept.deprecated.is_(False))
                               .order_by(Concept.pref_label)).all()
    return [(uri, label) for uri, label in rows]


def document_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """« Qui a fait cela ? » on a document page: the profiles of its people this reader may
    see."""
    people = document_people(instance(), reader, document.id)
    return {"people": people, "roles": MENTION_ROLES} if people else None


@bp.get("/")
def directory() -> str:
    reader = current_reader()
    query = read_query(request.args)
    page = search_directory(instance(), reader, query)
    filters = as_filters(page.understood)
    return render_template(
        "people/directory.html", page=page, query=query, directory_url=directory_url,
        understood_filters=directory_url(filters) if filters else None,
        territory_choices=territory_choices(), theme_choices=theme_choices(),
        organisation_kinds=ORGANISATION_KINDS, visibility_of=effective_visibility,
        is_association=reader.sees_everything or "admin" in reader.roles)


def _contacts_for(reader: Reader):  # type: ignore[no-untyped-def]
    return lambda result: can_see_field(reader, result.person, "contact")


def _profile_link(person_id: str) -> str:
    return url_for("people.profile", person_id=person_id, _external=True)


@bp.get("/export.csv")
def export_csv() -> Response:
    reader = current_reader()
    page = search_directory(instance(), reader, read_query(request.args))
    body = "\ufeff" + directory_csv(page, _contacts_for(reader), _profile_link)
    return attachment(body, "text/csv", "annuaire.csv")


@bp.get("/export.vcf")
def export_vcard() -> Response:
    reader = current_reader()
    page = search_directory(instance(), reader, read_query(request.args))
    return attachment(directory_vcards(page, _contacts_for(reader), _profile_link),
                      "text/vcard", "annuaire.vcf")


@bp.get("/personnes/<person_id>")
def profile(person_id: str) -> str:
    view = get_profile(instance(), current_reader(), person_id)
    return render_template("people/profile.html", view=view, origins=ORIGINS,
                           organisation_kinds=ORGANISATION_KINDS,
                           visibility=effective_visibility(view.person))


@bp.get("/personnes/<person_id>/preuves.docx")
def evidence_export(person_id: str) -> Response:
    view = get_profile(instance(), current_reader(), person_id)
    data = evidence_docx(view, lambda doc_id: url_for("documents.show", doc_id=doc_id,
                                                      _external=True))
    name = f"preuves-{slug(view.person.name, 'personne')}.docx"
    return attachment(data, DOCX_TYPE, name)


def result_themes(result: Result, limit: int = 5) -> list[str]:
    """The themes most of the evidence found (or, if none answers, of all) is about."""
    return [label for _, label, _ in summarise(result.matching or result.evidence)[0][:limit]]
