"""A profile as a reader sees it, and its changes: fields, organisations, consent.

An ally edits their own profile (the one linked to their account), the association any.
Giving consent records who, when, for which visibility and on which wording; withdrawing it
takes the profile back to the association only. Public surface: `get_profile`,
`ProfileView`, `update_profile`, `set_consent`, `own_person`, `create_own_profile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import Concept, ConsentEvent, Membership, Organisation, Person, User, utcnow
from kb.models.people import ORGANISATION_KINDS, PROFILE_FIELDS
from kb.people.evidence import Evidence, load_evidence, summarise, territory_linker
from kb.people.matching import add_name
from kb.people.names import fold, name_key
from kb.people.privacy import (
    CONSENT_WORDING,
    LEVELS,
    can_edit,
    can_see,
    can_see_field,
    is_association,
)
from kb.people.territories import Territory
from kb.visibility import Reader

LIMITS = {"name": 200, "headline": 300, "presentation": 5000, "contact_email": 254,
          "contact_phone": 40, "contact_note": 300}
MAX_ITEMS = 20
_URL = re.compile(r"^https?://[^\s<>\"]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ProfileView:
    """A profile with what this reader may see of it."""

    person: Person
    evidence: list[Evidence]
    organisations: list[tuple[Organisation, str]]
    territories: list[Territory]
    show_contact: bool
    can_edit: bool
    competences: list[tuple[str, str, int]]  # (uri or text, label, evidence count)
    themes: list[tuple[str, str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)


def visible_person(session: Session, reader: Reader, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or not can_see(reader, person):
        raise NotFound("Profil introuvable.")
    return person


def editable_person(session: Session, reader: Reader, person_id: str) -> Person:
    person = visible_person(session, reader, person_id)
    if not can_edit(reader, person):
        raise Forbidden("Seul·e la personne ou l'association peut modifier ce profil.")
    return person


def _competences(session: Session, person: Person,
                 themes: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    counts = {uri: n for uri, _, n in themes}
    labels = dict(session.execute(select(Concept.uri, Concept.pref_label).where(
        Concept.uri.in_(person.competences or []))).all())
    return [(c, labels.get(c, c), counts.get(c, 0)) for c in person.competences or []]


def get_profile(ctx: KbContext, reader: Reader, person_id: str) -> ProfileView:
    with ctx.sessions() as session:
        person = visible_person(session, reader, person_id)
        evidence = load_evidence(session, reader, [person]).get(person.id, [])
        organisations = list(session.execute(
            select(Organisation, Membership.role).join(Membership)
            .where(Membership.person_id == person.id).order_by(Membership.position)).tuples()) \
            if can_see_field(reader, person, "organisations") else []
        link = territory_linker(session)
        territories = [link(t) for t in person.territories] \
            if can_see_field(reader, person, "territoires") else []
        themes, places = summarise(evidence)
        competences = _competences(session, person, themes)
    return ProfileView(person, evidence, organisations, territories,
                       can_see_field(reader, person, "contact"), can_edit(reader, person),
                       competences, themes, places)


def _text(values: dict[str, object], name: str) -> str:
    text = " ".join(str(values.get(name) or "").split()) if name != "presentation" \
        else str(values.get(name) or "").strip()
    if len(text) > LIMITS[name]:
        raise InvalidInput(f"{name} : {LIMITS[name]} caractères au plus")
    return text


def _lines(values: dict[str, object], name: str) -> list[str]:
    raw = values.get(name) or []
    items = raw.splitlines() if isinstance(raw, str) else [str(v) for v in raw]  # type: ignore[union-attr]
    cleaned = list(dict.fromkeys(" ".join(i.split())[:300] for i in items if i.strip()))
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(f"{name} : {MAX_ITEMS} éléments au plus")
    return cleaned


def validate_profile(values: dict[str, object]) -> dict[str, object]:
    """Checked values of the profile form; a French error names the field at fault."""
    clean: dict[str, object] = {name: _text(values, name) for name in LIMITS if name in values}
    if "name" in clean and len(str(clean["name"]).split()) < 1:
        raise InvalidInput("nom : obligatoire")
    if clean.get("contact_email") and not _EMAIL.match(str(clean["contact_email"])):
        raise InvalidInput("courriel de contact : adresse invalide")
    for name in ("territories", "competences", "links"):
        if name in values:
            clean[name] = _lines(values, name)
    for link in clean.get("links", []):  # type: ignore[attr-defined]
        if not _URL.match(link):
            raise InvalidInput(f"liens : « {link} » n'est pas une adresse http(s)")
    if "field_visibility" in values:
        chosen = values["field_visibility"] or {}
        clean["field_visibility"] = {k: v for k, v in chosen.items()  # type: ignore[union-attr]
                                     if k in PROFILE_FIELDS and v in LEVELS}
    return clean


def update_profile(ctx: KbContext, reader: Reader, person_id: str,
                   values: dict[str, object]) -> Person:
    clean = validate_profile(values)
    with ctx.sessions.begin() as session:
        person = editable_person(session, reader, person_id)
        for name, value in clean.items():
            setattr(person, name, value)
        if "name" in clean and clean["name"]:
            person.name_key = name_key(str(clean["name"]))
            add_name(session, person.id, str(clean["name"]))
        if "organisations" in values:
            _set_organisations(session, person, values["organisations"])  # type: ignore[arg-type]
        person.updated_at = utcnow()
    return person


def _set_organisations(session: Session, person: Person,
                       entries: list[dict[str, str]]) -> None:
    """Replace the person's organisations: [{"name", "kind", "role"}]; an organisation of
    the same name is reused."""
    for membership in session.scalars(select(Membership).where(
            Membership.person_id == person.id)):
        session.delete(membership)
    session.flush()
    for position, entry in enumerate(entries[:MAX_ITEMS]):
        name = " ".join(str(entry.get("name") or "").split())[:300]
        if not name:
            continue
        kind = entry.get("kind") or "autre"
        if kind not in ORGANISATION_KINDS:
            raise InvalidInput(f"organisation « {name} » : type « {kind} » inconnu")
        organisation = session.scalar(select(Organisation).where(
            Organisation.name_key == fold(name)))
        if organisation is None:
            organisation = Organisation(name=name, name_key=fold(name), kind=kind)
            session.add(organisation)
            session.flush()
        session.add(Membership(person_id=person.id, organisation_id=organisation.id,
                               role=" ".join(str(entry.get("role") or "").split())[:200],
                               position=position))


def set_consent(ctx: KbContext, reader: Reader, person_id: str, visibility: str,
                given: bool, note: str = "") -> Person:
    """Give (for a visibility) or withdraw consent; the association records a consent given
    elsewhere only with a note saying how (« courriel du 3 mars »)."""
    if visibility not in LEVELS:
        raise InvalidInput(f"visibilité : « {visibility} » inconnue (public, membres, "
                           "association)")
    with ctx.sessions.begin() as session:
        person = editable_person(session, reader, person_id)
        on_behalf = person.user_id is None or person.user_id != reader.user_id
        if given and on_behalf and not note.strip():
            raise InvalidInput("accord : dites comment la personne l'a donné (date, moyen)")
        person.visibility = visibility if given else "association"
        person.consent_at = utcnow() if given else None
        session.add(ConsentEvent(person_id=person.id, action="accord" if given else "retrait",
                                 visibility=person.visibility, wording=CONSENT_WORDING,
                                 recorded_by_id=reader.user_id, note=note.strip()[:300]))
        person.updated_at = utcnow()
    return person


def own_person(ctx: KbContext, reader: Reader) -> Person | None:
    if reader.user_id is None:
        return None
    with ctx.sessions() as session:
        return session.scalar(select(Person).where(Person.user_id == reader.user_id))


def create_own_profile(ctx: KbContext, reader: Reader) -> Person:
    """The signed-in member's profile, made from their account's display name."""
    if reader.user_id is None:
        raise Forbidden("Connectez-vous pour créer votre profil.")
    with ctx.sessions.begin() as session:
        existing = session.scalar(select(Person).where(Person.user_id == reader.user_id))
        if existing is not None:
            return existing
        user = session.get(User, reader.user_id)
        if user is None:
            raise NotFound("Compte introuvable.")
        person = Person(name=user.name, name_key=name_key(user.name), user_id=user.id,
                        origin="compte")
        session.add(person)
        session.flush()
        add_name(session, person.id, user.name)
    return person


def require_association(reader: Reader) -> None:
    if not is_association(reader):
        raise Forbidden("Réservé à l'association.")
