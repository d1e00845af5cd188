"""The association's review of the directory: uncertain names, claims, merges, territories.

Nothing here happens without a person deciding: a name only close to a known one is linked
when the association confirms it (or given its own profile), an account becomes a profile's
owner when the association accepts its claim, and two profiles become one by an explicit
merge (`kb people merge`, or the review page), which keeps everything both held.
Public surface: `ReviewQueue`, `review_queue`, `confirm_mention`, `separate_mention`,
`claim_profile`, `decide_claim`, `merge_people`, `link_territory_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Conflict, InvalidInput, NotFound
from kb.models import (
    ConsentEvent,
    Document,
    Membership,
    Mention,
    Person,
    PersonName,
    TerritoryLink,
    User,
    utcnow,
)
from kb.people.evidence import territory_linker
from kb.people.matching import add_name
from kb.people.names import CLOSENESS_LABELS, fold, name_key
from kb.people.profiles import require_association
from kb.people.territories import departement, kinds
from kb.visibility import Reader

# Profile fields an absorbed profile fills when the kept one left them empty.
FILLED_ON_MERGE = ("headline", "presentation", "contact_email", "contact_phone",
                   "contact_note")


@dataclass
class PendingMention:
    mention: Mention
    document_title: str
    suggested: Person | None
    closeness_label: str


@dataclass
class Claim:
    person: Person
    claimant: str
    claimant_id: int
    documents: int  # naming the profile


@dataclass
class ReviewQueue:
    mentions: list[PendingMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    same_names: list[tuple[Person, Person]] = field(default_factory=list)
    territories: list[tuple[str, int]] = field(default_factory=list)  # unlinked, documents

    @property
    def size(self) -> int:
        return (len(self.mentions) + len(self.claims) + len(self.same_names)
                + len(self.territories))


def _same_names(session: Session) -> list[tuple[Person, Person]]:
    keys = session.scalars(select(Person.name_key).group_by(Person.name_key)
                           .having(func.count(Person.id) > 1))
    pairs = []
    for key in keys:
        people = list(session.scalars(select(Person).where(Person.name_key == key)
                                      .order_by(Person.created_at)))
        pairs += [(a, b) for i, a in enumerate(people) for b in people[i + 1:]
                  if b.id not in (a.distinct_from or []) and a.id not in (b.distinct_from or [])]
    return pairs


def _unlinked_territories(session: Session) -> list[tuple[str, int]]:
    link = territory_linker(session)
    counts = session.execute(select(Document.territory, func.count(Document.id))
                             .where(Document.territory.is_not(None))
                             .group_by(Document.territory)).all()
    return sorted(((text, n) for text, n in counts if text and not link(text).linked),
                  key=lambda pair: (-pair[1], pair[0]))


def review_queue(ctx: KbContext, reader: Reader) -> ReviewQueue:
    require_association(reader)
    queue = ReviewQueue()
    with ctx.sessions() as session:
        for mention, title in session.execute(
                select(Mention, Document.title).join(Document)
                .where(Mention.state == "a-verifier").order_by(Mention.name_key)):
            suggested = session.get(Person, mention.suggested_id) if mention.suggested_id \
                else None
            queue.mentions.append(PendingMention(mention, title, suggested,
                                                 CLOSENESS_LABELS.get(mention.closeness, "")))
        for person, user, documents in session.execute(
                select(Person, User, func.count(Mention.id))
                .join(User, User.id == Person.claimed_by_id)
                .outerjoin(Mention, Mention.person_id == Person.id)
                .group_by(Person.id, User.id)):
            queue.claims.append(Claim(person, user.name, user.id, documents))
        queue.same_names = _same_names(session)
        queue.territories = _unlinked_territories(session)
    return queue


def _mention(session: Session, mention_id: int) -> Mention:
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise NotFound("Mention introuvable.")
    return mention


def confirm_mention(ctx: KbContext, reader: Reader, mention_id: int, person_id: str) -> None:
    """The name is this person's: linked, and remembered as one of their names."""
    require_association(reader)
    with ctx.sessions.begin() as session:
        mention = _mention(session, mention_id)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Profil introuvable.")
        mention.person_id, mention.state, mention.method = person_id, "lie", "confirme"
        mention.decided_by, mention.decided_at = reader.user_id, utcnow()
        add_name(session, person_id, mention.name)
        # A profile the documents made is named by the fullest form seen (« L. Martin »
        # becomes « Lucie Martin »); one with an account keeps the name its person chose.
        if person.user_id is None and mention.closeness == "initiales" \
                and len(mention.name) > len(person.name):
            person.name, person.name_key = mention.name, mention.name_key


def separate_mention(ctx: KbContext, reader: Reader, mention_id: int) -> str:
    """The name is someone else's: they get their own profile, kept apart from the one
    suggested. Returns the new profile's id."""
    require_association(reader)
    with ctx.sessions.begin() as session:
        mention = _mention(session, mention_id)
        person = Person(name=mention.name, name_key=mention.name_key, origin="documents",
                        headline=mention.detail,
                        distinct_from=[mention.suggested_id] if mention.suggested_id else [])
        session.add(person)
        session.flush()
        add_name(session, person.id, mention.name)
        mention.person_id, mention.state, mention.method = person.id, "lie", "confirme"
        mention.decided_by, mention.decided_at = reader.user_id, utcnow()
        if mention.suggested_id and (other := session.get(Person, mention.suggested_id)):
            other.distinct_from = [*(other.distinct_from or []), person.id]
        return person.id


def claim_profile(ctx: KbContext, reader: Reader, person_id: str) -> None:
    """A member asks to be recognised as a profile made from documents."""
    if reader.user_id is None:
        raise InvalidInput("Connectez-vous pour vous reconnaître dans un profil.")
    with ctx.sessions.begin() as session:
        person = session.get(Person, person_id)
        if person is None or person.user_id is not None:
            raise NotFound("Profil introuvable ou déjà rattaché à un compte.")
        person.claimed_by_id = reader.user_id


def claimable(ctx: KbContext, reader: Reader) -> list[tuple[Person, int]]:
    """Profiles without account bearing the member's name, with their number of documents."""
    if reader.user_id is None:
        return []
    with ctx.sessions() as session:
        user = session.get(User, reader.user_id)
        if user is None:
            return []
        rows = session.execute(
            select(Person, func.count(Mention.id)).outerjoin(Mention, Mention.person_id
                                                             == Person.id)
            .where(Person.user_id.is_(None), Person.name_key == name_key(user.name))
            .group_by(Person.id)).all()
    return [(person, count) for person, count in rows]


def decide_claim(ctx: KbContext, reader: Reader, person_id: str, accept: bool) -> None:
    """Accept a claim (the account's own profile, if any, is merged into this one) or
    refuse it."""
    require_association(reader)
    with ctx.sessions.begin() as session:
        person = session.get(Person, person_id)
        if person is None or person.claimed_by_id is None:
            raise NotFound("Demande introuvable.")
        claimant, person.claimed_by_id = person.claimed_by_id, None
        if not accept:
            return
        own = session.scalar(select(Person).where(Person.user_id == claimant))
        if own is not None:
            _merge(session, person, own)
        person.user_id = claimant
        person.updated_at = utcnow()


def merge_people(ctx: KbContext, reader: Reader, keep_id: str, absorb_id: str) -> Person:
    """Make two profiles one: the kept one takes the other's names, mentions, organisations,
    consents and account; empty fields are filled from it. Its own consent stands."""
    require_association(reader)
    if keep_id == absorb_id:
        raise InvalidInput("fusion : les deux profils sont le même")
    with ctx.sessions.begin() as session:
        keep, absorb = session.get(Person, keep_id), session.get(Person, absorb_id)
        if keep is None or absorb is None:
            raise NotFound(f"Profil introuvable : {keep_id if keep is None else absorb_id}")
        if keep.user_id and absorb.user_id:
            raise Conflict("fusion refusée : les deux profils ont chacun un compte")
        _merge(session, keep, absorb)
        return keep


def _merge(session: Session, keep: Person, absorb: Person) -> None:
    for name in session.scalars(select(PersonName).where(PersonName.person_id == absorb.id)):
        add_name(session, keep.id, name.text)
    for column in (Mention.person_id, Mention.suggested_id):
        session.execute(update(Mention).where(column == absorb.id).values({column: keep.id})
                        .execution_options(synchronize_session=False))
    known = set(session.scalars(select(Membership.organisation_id).where(
        Membership.person_id == keep.id)))
    for membership in session.scalars(select(Membership).where(
            Membership.person_id == absorb.id)):
        if membership.organisation_id not in known:
            session.add(Membership(person_id=keep.id, organisation_id=membership.organisation_id,
                                   role=membership.role, position=membership.position + 100))
    session.execute(update(ConsentEvent).where(ConsentEvent.person_id == absorb.id)
                    .values(person_id=keep.id).execution_options(synchronize_session=False))
    for name in FILLED_ON_MERGE:
        if not getattr(keep, name):
            setattr(keep, name, getattr(absorb, name))
    for name in ("territories", "competences", "links"):
        setattr(keep, name, list(dict.fromkeys([*getattr(keep, name), *getattr(absorb, name)])))
    user_id = keep.user_id or absorb.user_id
    session.delete(absorb)
    session.flush()
    keep.user_id = user_id
    keep.updated_at = utcnow()


def link_territory_text(ctx: KbContext, reader: Reader, text: str, departement_code: str,
                        kind: str) -> None:
    """The association places a territory the shipped list cannot: its département and
    kind; every document and profile writing it the same way follows."""
    require_association(reader)
    place = departement(departement_code) if departement_code else None
    if departement_code and place is None:
        raise InvalidInput(f"département : code « {departement_code} » inconnu")
    if kind and kind not in kinds():
        raise InvalidInput(f"type de territoire : « {kind} » inconnu")
    with ctx.sessions.begin() as session:
        key = fold(text)
        link = session.scalar(select(TerritoryLink).where(TerritoryLink.key == key)) \
            or TerritoryLink(key=key)
        link.text, link.kind = " ".join(text.split())[:300], kind
        link.departement = place.code if place else ""
        link.region = place.region if place else ""
        session.add(link)
