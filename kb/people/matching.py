"""People named by documents, linked to the directory's profiles in the same transaction as
any change of a document (ingestion, web edit, published sheet).

A name whose key (accents, case, hyphens folded) is a known name of exactly one person is
linked to that person; a name only close to a known one (initials, order, spelling) waits in
the association's review queue (`kb.people.review`) and is never linked silently; a name close
to nobody makes a new profile, seen by the association only until its person consents.

Public surface: `watch_documents(sessions)` (wired by `kb.instance`), `ensure_scanned(ctx)`,
`document_names(document)`, `erased_digest(key)`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import chain

from more_itertools import chunked
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session, sessionmaker

from kb.context import KbContext
from kb.models import DirectoryState, Document, Erasure, Mention, Person, PersonName
from kb.models.base import new_id, utcnow
from kb.people.names import SURE, ParsedName, closeness, first_and_last, fold, parse_person

# The closest kinds of uncertain match first.
_UNCERTAIN_ORDER = ("variante", "initiales", "ordre", "proche")


def erased_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def document_names(document: Document) -> dict[tuple[str, str], ParsedName]:
    """(role, name key) -> name, for the people a document names: narrator, maïeuticien·ne,
    witnesses, then authors not already named in one of those roles."""
    extra = document.extra or {}
    found: dict[tuple[str, str], ParsedName] = {}
    roles = (("narrateur", extra.get("narrateur") or extra.get("narrator")),
             ("maieuticien", extra.get("maieuticien")),
             ("temoin", extra.get("temoins")))
    for role, value in roles:
        for entry in value if isinstance(value, list) else [value]:
            if (parsed := parse_person(entry)) is not None:
                found.setdefault((role, parsed.key), parsed)
    named = {key for _, key in found}
    for entry in document.authors or []:
        parsed = parse_person(entry)
        if parsed is not None and parsed.key not in named:
            found.setdefault(("auteur", parsed.key), parsed)
    return found


@dataclass
class Match:
    person_id: str | None
    state: str
    method: str
    suggested_id: str | None = None
    closeness: str = ""


@dataclass
class Matcher:
    """Matches names within one flush; remembers the people it created, which queries made
    without flushing cannot see yet."""

    session: Session
    created: dict[str, str] = field(default_factory=dict)  # name key -> person id

    def match(self, parsed: ParsedName) -> Match:
        key = parsed.key
        if self.session.scalar(select(Erasure.id).where(
                Erasure.key_digest == erased_digest(key))) is not None:
            return Match(None, "efface", "efface")
        if key in self.created:
            return Match(self.created[key], "lie", "exact")
        exact = list(dict.fromkeys(self.session.execute(
            select(PersonName.person_id, PersonName.text).where(PersonName.key == key)).all()))
        people = list(dict.fromkeys(person_id for person_id, _ in exact))
        if len(people) == 1:
            same = any(text == parsed.name for _, text in exact)
            return Match(people[0], "lie", "exact" if same else "variante")
        if len(people) > 1:  # homonyms: the association says which
            return Match(None, "a-verifier", "", people[0], "variante")
        if near := self._near(key):
            return Match(None, "a-verifier", "", near[0], near[1])
        return Match(self._create(parsed), "lie", "nouveau")

    def _near(self, key: str) -> tuple[str, str] | None:
        first, last = first_and_last(key)
        rows = self.session.execute(select(PersonName.person_id, PersonName.key).where(
            or_(PersonName.last_key == last, PersonName.first_key == first)).limit(500))
        found = [(person_id, kind) for person_id, other in chain(
            rows, ((pid, k) for k, pid in self.created.items()))
            if (kind := closeness(key, other)) is not None and kind not in SURE]
        found.sort(key=lambda item: _UNCERTAIN_ORDER.index(item[1]))
        return found[0] if found else None

    def _create(self, parsed: ParsedName) -> str:
        person = Person(id=new_id(), name=parsed.name, name_key=parsed.key, origin="documents",
                        headline=parsed.detail)
        self.session.add(person)
        add_name(self.session, person.id, parsed.name)
        self.created[parsed.key] = person.id
        return person.id


def add_name(session: Session, person_id: str, text: str) -> None:
    """Record a name as this person's (no-op if known)."""
    key = fold(text)
    if not key or session.scalar(select(PersonName.id).where(
            PersonName.person_id == person_id, PersonName.key == key)) is not None:
        return
    first, last = first_and_last(key)
    session.add(PersonName(person_id=person_id, text=text, key=key, first_key=first[:100],
                           last_key=last[:100]))


def sync_document(session: Session, document: Document, matcher: Matcher) -> None:
    """Bring a document's mentions in line with the names it gives now; decisions already
    taken on names still there are kept."""
    wanted = document_names(document)
    existing = {(m.role, m.name_key): m for m in session.scalars(
        select(Mention).where(Mention.document_id == document.id))} if document.id else {}
    document.id = document.id or new_id()  # a new document gets its id before the flush
    for key, mention in existing.items():
        if key not in wanted:
            session.delete(mention)
    for key, parsed in wanted.items():
        mention = existing.get(key)
        if mention is not None:
            mention.name, mention.detail = parsed.name, parsed.detail
            continue
        found = matcher.match(parsed)
        session.add(Mention(document_id=document.id, role=key[0], name=parsed.name,
                            name_key=parsed.key, detail=parsed.detail,
                            person_id=found.person_id, state=found.state, method=found.method,
                            suggested_id=found.suggested_id, closeness=found.closeness))


def _names_changed(document: Document) -> bool:
    state = inspect(document)
    if state.pending or state.transient:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("authors", "extra"))


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    documents = [obj for obj in chain(session.new, session.dirty)
                 if isinstance(obj, Document) and obj not in session.deleted
                 and _names_changed(obj)]
    if not documents:
        return
    matcher = Matcher(session)
    with session.no_autoflush:
        for document in documents:
            sync_document(session, document, matcher)


def watch_documents(sessions: sessionmaker[Session]) -> None:
    """Keep mentions in step with documents in every transaction of these sessions."""
    event.listen(sessions, "before_flush", _before_flush)


def ensure_scanned(ctx: KbContext, chunk: int = 200) -> int:
    """Read once the documents stored before the directory existed; the number read."""
    with ctx.sessions() as session:
        if session.scalar(select(DirectoryState.scanned_at).where(DirectoryState.id == 1)):
            return 0
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    for part in chunked(ids, chunk):
        with ctx.sessions.begin() as session:
            matcher = Matcher(session)
            with session.no_autoflush:
                for document in session.scalars(select(Document).where(Document.id.in_(part))):
                    sync_document(session, document, matcher)
    with ctx.sessions.begin() as session:
        state = session.get(DirectoryState, 1) or DirectoryState(id=1)
        state.scanned_at = utcnow()
        session.add(state)
    return len(ids)
