"""Validation dossiers (doctrine and labels), positions, the append-only history, labels."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, new_id, one_of, utcnow

DOSSIER_KINDS = ("doctrine", "egide", "fabrique-locale")
DOSSIER_KIND_LABELS = {
    "doctrine": "Reconnaissance comme doctrine",
    "egide": "Label « sous l'égide »",
    "fabrique-locale": "Label « fabrique locale des transitions »",
}
LABEL_KINDS = ("egide", "fabrique-locale")
STATES = ("propose", "en-debat", "modifications-demandees", "valide", "non-retenu", "retire",
          "a-reviser")
STATE_LABELS = {
    "propose": "proposé",
    "en-debat": "en débat",
    "modifications-demandees": "modifications demandées",
    "valide": "validé",
    "non-retenu": "non retenu",
    "retire": "retiré",
    "a-reviser": "à réviser",
}
EVENT_LABELS = {
    "proposition": "Proposition",
    "ouvrir-debat": "Ouverture du débat",
    "commenter": "Commentaire",
    "position": "Prise de position",
    "reponse-objection": "Réponse à une objection",
    "retrait-objection": "Objection retirée par son auteur·rice",
    "ecarter-objection": "Objection écartée par le collectif",
    "critere": "Critère",
    "demander-modifications": "Modifications demandées",
    "reprendre-debat": "Reprise du débat",
    "nouvelle-version": "Nouvelle version du document",
    "decision": "Décision",
    "retirer": "Retrait du dossier",
    "rouvrir": "Réouverture",
    "retirer-label": "Retrait du label",
}
STANCES = ("consentement", "reserve", "objection")
STANCE_LABELS = {"consentement": "consentement", "reserve": "réserve", "objection": "objection"}


class Initiative(Base):
    """An initiative or a local fabrique that may be labelled; not a document."""

    __tablename__ = "initiatives"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    territory: Mapped[str] = mapped_column(String(300), default="")
    carrier: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Dossier(Base):
    """One request for recognition: a document as doctrine, or an initiative's label."""

    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), default=None, index=True)
    initiative_id: Mapped[str | None] = mapped_column(
        ForeignKey("initiatives.id"), default=None, index=True)
    # The subject's title when the dossier opened: the history stays readable on its own.
    subject_title: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(32), default="propose", index=True)
    # "kind:subject" while the dossier is not closed: one open dossier per subject.
    open_key: Mapped[str | None] = mapped_column(String(80), unique=True, default=None)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    motivation: Mapped[str] = mapped_column(Text, default="")
    # The document revision under debate, and the one the last validation applied to.
    revision_number: Mapped[int | None] = mapped_column(Integer, default=None)
    decided_revision: Mapped[int | None] = mapped_column(Integer, default=None)
    # Positions count only in the current round; a new revision or a re-opening starts one.
    round: Mapped[int] = mapped_column(Integer, default=1)
    criteria: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # Bumped by every change with a conditional UPDATE: concurrent decisions cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    __table_args__ = (one_of("kind", DOSSIER_KINDS), one_of("state", STATES))


class Position(Base):
    """A qualified member's current position on a dossier; its changes are events."""

    __tablename__ = "dossier_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stance: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    revision_number: Mapped[int | None] = mapped_column(Integer, default=None)
    # The latest answer to an objection (every answer is also an event). Answers do not
    # lift it: an objection stays open until its author withdraws it (changes position) or
    # the collective sets it aside, an explicit step recorded with who and why.
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    answered_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    set_aside_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    set_aside_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    set_aside_reason: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("dossier_id", "user_id"), one_of("stance", STANCES))

    @property
    def blocks(self) -> bool:
        """An objection neither withdrawn (its author changed position) nor set aside."""
        return self.stance == "objection" and self.set_aside_at is None


class DossierEvent(Base):
    """One entry of a dossier's history; a database trigger forbids changing or deleting it."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # The name at the time: renaming an account does not rewrite history.
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32), default=None)
    to_state: Mapped[str | None] = mapped_column(String(32), default=None)
    revision_number: Mapped[int | None] = mapped_column(Integer, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Label(Base):
    """A label granted to an initiative by a dossier's decision."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiatives.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approvers: Mapped[list[str]] = mapped_column(JSON, default=list)
    renewal_date: Mapped[dt.date] = mapped_column()
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (one_of("kind", LABEL_KINDS),)

    def status(self, today: dt.date) -> str:
        """`actif`, `expire` (renewal date passed) or `retire`."""
        if self.withdrawn_at is not None:
            return "retire"
        return "actif" if today <= self.renewal_date else "expire"
