"""« Qui a fait cela ? »: the people a document names, linked to the profiles the reader may
see (the names themselves are the document's, shown to whoever may read it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kb.context import KbContext
from kb.models import Document, Mention, Person
from kb.people.privacy import can_see
from kb.visibility import Reader, can_read

ROLE_ORDER = ("narrateur", "temoin", "maieuticien", "auteur")


@dataclass
class NamedPerson:
    name: str
    role: str
    detail: str
    person_id: str | None  # set when the reader may open the profile
    headline: str = ""


def document_people(ctx: KbContext, reader: Reader, document_id: str) -> list[NamedPerson]:
    with ctx.sessions() as session:
        document = session.get(Document, document_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            return []
        rows = session.execute(select(Mention, Person).outerjoin(
            Person, Person.id == Mention.person_id).where(Mention.document_id == document_id))
        named = [NamedPerson(m.name, m.role, m.detail,
                             p.id if p is not None and can_see(reader, p) else None,
                             p.headline if p is not None and can_see(reader, p) else "")
                 for m, p in rows if m.state != "efface"]
    return sorted(named, key=lambda n: (ROLE_ORDER.index(n.role)
                                        if n.role in ROLE_ORDER else 9, n.name))
