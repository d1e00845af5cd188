"""Organisations as a reader sees them: their members, what those members did, where.

An organisation is shown through its members: a member is listed only to readers who may
see their profile and its « organisations » field, and the evidence is each member's as
`load_evidence` gives it to this reader (documents through `kb.visibility`). An
organisation none of whose members the reader may see this way is not shown at all (its
name alone could say who belongs to it). The association edits any organisation, a member
with an account their own organisations.

Public surface: `OrganisationView`, `get_organisation`, `list_organisations`,
`update_organisation`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import Membership, Organisation, Person
from kb.models.people import ORGANISATION_KINDS
from kb.people.evidence import Evidence, load_evidence, summarise, territory_linker
from kb.people.privacy import can_see, can_see_field, is_association, is_self
from kb.people.territories import Territory
from kb.visibility import Reader

LIMITS = {"territory": 300, "website": 500, "presentation": 5000}
_URL = re.compile(r"^https?://[^\s<>\"]+$")


@dataclass
class Member:
    person: Person
    role: str
    evidence: list[Evidence]


@dataclass
class OrganisationView:
    organisation: Organisation
    territory: Territory
    members: list[Member]
    can_edit: bool
    themes: list[tuple[str, str, int]] = field(default_factory=list)  # uri, label, pieces
    places: list[tuple[str, int]] = field(default_factory=list)  # territory, pieces

    @property
    def evidence_count(self) -> int:
        return len({(e.kind, e.target) for m in self.members for e in m.evidence})

    def rows(self) -> list[tuple[Person, Evidence]]:
        """Each member's pieces, the most recent first."""
        rows = [(m.person, e) for m in self.members for e in m.evidence]
        return sorted(rows, key=lambda row: row[1].date or dt.date.min, reverse=True)


def _shown(reader: Reader, person: Person) -> bool:
    return can_see(reader, person) and can_see_field(reader, person, "organisations")


def _members(session: Session, reader: Reader, organisation_id: str) -> list[tuple[Person, str]]:
    rows = session.execute(select(Person, Membership.role).join(
        Membership, Membership.person_id == Person.id)
        .where(Membership.organisation_id == organisation_id).order_by(Person.name_key))
    return [(person, role) for person, role in rows if _shown(reader, person)]


def _may_edit(session: Session, reader: Reader, organisation_id: str) -> bool:
    if is_association(reader):
        return True
    return reader.user_id is not None and any(is_self(reader, person) for person, _ in
                                              _members(session, reader, organisation_id))


def get_organisation(ctx: KbContext, reader: Reader, organisation_id: str) -> OrganisationView:
    with ctx.sessions() as session:
        organisation = session.get(Organisation, organisation_id)
        rows = _members(session, reader, organisation_id) if organisation else []
        if organisation is None or not (rows or is_association(reader)):
            raise NotFound("Organisation introuvable.")
        evidence = load_evidence(session, reader, [person for person, _ in rows])
        members = [Member(person, role, evidence.get(person.id, [])) for person, role in rows]
        view = OrganisationView(organisation, territory_linker(session)(organisation.territory),
                                members, _may_edit(session, reader, organisation_id))
    view.themes, view.places = summarise(e for m in members for e in m.evidence)
    return view


def list_organisations(ctx: KbContext, reader: Reader) -> list[tuple[Organisation, int]]:
    """The organisations this reader may see, with how many of their members they see."""
    with ctx.sessions() as session:
        counts: Counter[str] = Counter()
        for person, organisation_id in session.execute(select(Person, Membership.organisation_id)
                                                       .join(Membership)):
            if _shown(reader, person):
                counts[organisation_id] += 1
        organisations = session.scalars(select(Organisation).order_by(Organisation.name_key))
        return [(o, counts[o.id]) for o in organisations if counts[o.id] or
                is_association(reader)]


def _clean(values: dict[str, str]) -> dict[str, str]:
    clean = {}
    for name, limit in LIMITS.items():
        text = str(values.get(name) or "").strip()
        if name != "presentation":
            text = " ".join(text.split())
        if len(text) > limit:
            raise InvalidInput(f"{name} : {limit} caractères au plus")
        clean[name] = text
    if clean["website"] and not _URL.match(clean["website"]):
        raise InvalidInput(f"site : « {clean['website']} » n'est pas une adresse http(s)")
    kind = values.get("kind") or "autre"
    if kind not in ORGANISATION_KINDS:
        raise InvalidInput(f"type d'organisation : « {kind} » inconnu")
    return {**clean, "kind": kind}


def update_organisation(ctx: KbContext, reader: Reader, organisation_id: str,
                        values: dict[str, str]) -> None:
    """Kind, territory, website and presentation of an organisation."""
    clean = _clean(values)
    with ctx.sessions.begin() as session:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound("Organisation introuvable.")
        if not _may_edit(session, reader, organisation_id):
            raise Forbidden("Seul·e·s ses membres et l'association modifient cette "
                            "organisation.")
        for name, value in clean.items():
            setattr(organisation, name, value)
