"""A person's rights over their profile: export everything kept about them (JSON), and
delete it, detaching their name from the documents they choose.

Deleting removes the profile, its names, organisations and consents; the documents stay.
In the documents the person names, their name is removed from the authors, narrator and
maïeuticien·ne fields (the text of the document is the alliance's and is not rewritten);
the other documents keep it, unlinked. A digest of the name is kept so that documents
naming it never make a new profile. Public surface: `export_person`, `delete_person`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select, update

from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.models import (
    ConsentEvent,
    Document,
    Erasure,
    Membership,
    Mention,
    Organisation,
    PersonName,
    User,
    utcnow,
)
from kb.people.matching import erased_digest
from kb.people.names import parse_person
from kb.people.profiles import editable_person
from kb.visibility import Reader

EXPORT_FORMAT = "kb-annuaire-profil/1"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_person(ctx: KbContext, reader: Reader, person_id: str) -> dict[str, object]:
    """Everything stored about the person, for them or the association (RGPD access and
    portability): profile, names, organisations, consents, the documents naming them."""
    with ctx.sessions() as session:
        person = editable_person(session, reader, person_id)
        account = session.get(User, person.user_id) if person.user_id else None
        return {
            "format": EXPORT_FORMAT,
            "exporte_le": utcnow().isoformat(),
            "profil": {
                "id": person.id, "nom": person.name, "fonction": person.headline,
                "presentation": person.presentation, "territoires": person.territories,
                "competences_declarees": person.competences, "liens": person.links,
                "courriel_de_contact": person.contact_email,
                "telephone": person.contact_phone, "preference_de_contact": person.contact_note,
                "visibilite": person.visibility, "visibilite_des_champs":
                    person.field_visibility, "accord_le": _iso(person.consent_at),
                "origine": person.origin, "cree_le": _iso(person.created_at),
                "modifie_le": _iso(person.updated_at),
                "compte": account.name if account else None,
            },
            "noms": list(session.scalars(select(PersonName.text).where(
                PersonName.person_id == person.id))),
            "organisations": [{"nom": o.name, "type": o.kind, "role": m.role} for m, o in
                              session.execute(select(Membership, Organisation).join(Organisation)
                                              .where(Membership.person_id == person.id))],
            "accords": [{"le": _iso(c.at), "action": c.action, "visibilite": c.visibility,
                         "texte": c.wording, "note": c.note} for c in session.scalars(
                select(ConsentEvent).where(ConsentEvent.person_id == person.id)
                .order_by(ConsentEvent.at))],
            "mentions": [{"document": m.document_id, "titre": title, "role": m.role,
                          "nom_ecrit": m.name, "precision": m.detail, "lien": m.method}
                         for m, title in session.execute(
                             select(Mention, Document.title).join(Document)
                             .where(Mention.person_id == person.id))],
        }


def _without(names: list[object], keys: set[str]) -> list[object]:
    return [n for n in names if (p := parse_person(n)) is None or p.key not in keys]


def _detach(document: Document, keys: set[str]) -> None:
    document.authors = _without(list(document.authors or []), keys)  # type: ignore[arg-type]
    extra = dict(document.extra or {})
    for field in ("narrateur", "narrator", "maieuticien", "auteurs"):
        value = extra.get(field)
        if isinstance(value, list):  # a published sheet's people: [{"name", "role"}]
            extra[field] = _without(value, keys)
        elif (parsed := parse_person(value)) is not None and parsed.key in keys:
            extra[field] = ""
    document.extra = extra
    document.updated_at = utcnow()
    document.index_pending = True


def delete_person(ctx: KbContext, reader: Reader, person_id: str,
                  detach_from: Iterable[str] = ()) -> int:
    """Delete a profile (by the person or the association); remove their name from the
    documents listed in `detach_from` among those naming them. Returns how many documents
    were changed."""
    wanted = set(detach_from)
    with ctx.sessions.begin() as session:
        person = editable_person(session, reader, person_id)
        keys = set(session.scalars(select(PersonName.key).where(
            PersonName.person_id == person.id))) | {person.name_key}
        mentioned = set(session.scalars(select(Mention.document_id).where(
            Mention.person_id == person.id)))
        changed = sorted(wanted & mentioned)
        for document in session.scalars(select(Document).where(Document.id.in_(changed))):
            _detach(document, keys)
        session.execute(update(Mention).where(Mention.person_id == person.id)
                        .values(person_id=None, state="efface", method="efface")
                        .execution_options(synchronize_session=False))
        for key in keys:
            digest = erased_digest(key)
            if session.scalar(select(Erasure.id).where(Erasure.key_digest == digest)) is None:
                session.add(Erasure(key_digest=digest))
        session.delete(person)
    if changed:
        index_pending(ctx, changed)
    return len(changed)
