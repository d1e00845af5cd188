"""The directory of allies: people, the names documents give them, organisations, consents.

A person may have an account (`user_id`) or not (a narrator or an author found in documents);
nobody is shown beyond the association before they consent (`consent_at`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, new_id, one_of, utcnow
from kb.models.documents import Document

PROFILE_VISIBILITIES = ("public", "membres", "association")
PROFILE_VISIBILITY_LABELS = {
    "public": "Public (toute personne, sur le site et dans les exports)",
    "membres": "Membres de l'alliance connectés",
    "association": "L'association seulement",
}
# Who sees a profile, said after « visible » (« profil visible de tout le monde »).
VISIBILITY_AUDIENCES = {"public": "de tout le monde", "membres": "des membres de l'alliance",
                        "association": "de l'association seulement"}
# Fields a person shows to fewer readers than the profile itself.
PROFILE_FIELDS = {"contact": "Coordonnées", "organisations": "Organisations",
                  "territoires": "Territoires d'action"}
ORIGINS = {"documents": "trouvé·e dans les documents", "compte": "créé par son compte",
           "import": "importé·e par l'association"}
ORGANISATION_KINDS = {
    "association": "Association",
    "conseil": "Bureau d'études, conseil",
    "recherche": "Recherche, université",
    "collectivite": "Collectivité territoriale",
    "etat": "État, établissement public",
    "entreprise": "Entreprise, coopérative",
    "reseau": "Réseau, fédération",
    "autre": "Autre",
}
MENTION_ROLES = {"auteur": "auteur·rice", "narrateur": "narrateur·rice",
                 "maieuticien": "maïeuticien·ne", "temoin": "témoin"}
# A mention is linked to a person, waits for the association (uncertain match), or belongs
# to someone who had their profile deleted and their name kept out of the directory.
MENTION_STATES = ("lie", "a-verifier", "efface")


class Person(Base):
    """Someone in the directory: an ally with an account, or a person named in documents."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True, default=None)
    # An account asking to be recognised as this person, until the association decides.
    claimed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True)
    origin: Mapped[str] = mapped_column(String(16), default="documents")
    headline: Mapped[str] = mapped_column(String(300), default="")
    presentation: Mapped[str] = mapped_column(Text, default="")
    territories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Declared competences: concept URIs of the taxonomy or free labels.
    competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_note: Mapped[str] = mapped_column(String(300), default="")
    visibility: Mapped[str] = mapped_column(String(16), default="association")
    # {"contact": "membres", ...}: a field shown to fewer readers than the profile.
    field_visibility: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    consent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # Ids of people the association said are not this one (homonyms).
    distinct_from: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (one_of("visibility", PROFILE_VISIBILITIES),)

    @property
    def consented(self) -> bool:
        return self.consent_at is not None


class PersonName(Base):
    """A name known to be this person's (their own, and variants the association confirmed)."""

    __tablename__ = "person_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    text: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)
    first_key: Mapped[str] = mapped_column(String(100), index=True)
    last_key: Mapped[str] = mapped_column(String(100), index=True)

    # Declared so that a flush inserts the person before its names.
    person: Mapped[Person] = relationship()

    __table_args__ = (UniqueConstraint("person_id", "key"),)


class Mention(Base):
    """A person named by a document (author, narrator, maïeuticien·ne), and who it is."""

    __tablename__ = "person_mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # What the document says after the name (« directrice du PETR »).
    detail: Mapped[str] = mapped_column(String(300), default="")
    person_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True)
    state: Mapped[str] = mapped_column(String(16), default="lie")
    # How it was linked: exact, variante, nouveau, or a person's decision (confirme).
    method: Mapped[str] = mapped_column(String(16), default="exact")
    suggested_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None)
    closeness: Mapped[str] = mapped_column(String(16), default="")
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    # Declared so that a flush inserts the document and the people before the mention.
    document: Mapped[Document] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    suggested: Mapped[Person | None] = relationship(foreign_keys=[suggested_id])

    __table_args__ = (UniqueConstraint("document_id", "role", "name_key"),
                      one_of("state", MENTION_STATES))


class Organisation(Base):
    """An organisation allies belong to (association, consultancy, local authority…)."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="autre")
    territory: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    presentation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Membership(Base):
    """A person's place in an organisation."""

    __tablename__ = "organisation_members"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation] = relationship()


class ConsentEvent(Base):
    """A consent given or withdrawn: when, for which visibility, on which wording, by whom."""

    __tablename__ = "person_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(16))  # accord, retrait
    visibility: Mapped[str] = mapped_column(String(16))
    wording: Mapped[str] = mapped_column(String(16))  # version of the consent text
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    note: Mapped[str] = mapped_column(String(300), default="")

    person: Mapped[Person] = relationship()


class Erasure(Base):
    """A name whose person asked to be deleted: documents naming it make no new profile.

    Only a digest of the folded name is kept."""

    __tablename__ = "person_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DirectoryState(Base):
    """One row: when the documents present before the directory existed were read."""

    __tablename__ = "directory_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    scanned_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class TerritoryLink(Base):
    """The association's link of a territory the shipped list cannot place (« PETR du Pays
    Midi-Quercy » -> Tarn-et-Garonne, PETR)."""

    __tablename__ = "territory_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    text: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="")
    departement: Mapped[str] = mapped_column(String(3), default="")
    region: Mapped[str] = mapped_column(String(2), default="")
