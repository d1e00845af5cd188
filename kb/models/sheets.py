"""Experience sheets (fiches d'expérience) written with a maïeuticien·ne, and their revisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.config import VISIBILITIES
from kb.models.base import Base, new_id, one_of, utcnow

SHEET_STATES = ("brouillon", "en-relecture", "publiee")
SHEET_STATE_LABELS = {
    "brouillon": "Brouillon",
    "en-relecture": "En relecture",
    "publiee": "Publiée",
}
# What a revision records: a save, a save kept aside because the form was stale, an import,
# a restored version, or a change of state.
REVISION_KIND_LABELS = {
    "enregistrement": "Enregistrement",
    "conflit": "Gardée à part (formulaire périmé)",
    "import": "Import",
    "restauration": "Restauration",
    "etat": "Changement d'état",
}


class Sheet(Base):
    """The working copy of a sheet; once published, `document_id` is its searchable Document."""

    __tablename__ = "sheets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500), default="")
    territory: Mapped[str] = mapped_column(String(300), default="")
    experience_date: Mapped[dt.date | None] = mapped_column(default=None)
    # The people of the sheet, in order: [{"name": str, "role": str}]; the first tells the
    # experience (see `kb.sheets.content.Author`).
    authors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    context: Mapped[str] = mapped_column(Text, default="")
    actors: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Text an import could not place: shown to the author until they dismiss it.
    unplaced: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(16), default="membres")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="brouillon")
    # Optimistic locking: a save names the version it was based on.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Idempotency key of the creation form: a double submit finds the sheet already made.
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A narrator with an account approves the sheet themselves (see docs/decisions.md).
    narrator_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approved_version: Mapped[int | None] = mapped_column(Integer, default=None)
    approved_by_name: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(default=None)
    approval_note: Mapped[str] = mapped_column(String(500), default="")
    approval_recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"),
                                                             default=None)
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), default=None, index=True)
    published_version: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    revisions: Mapped[list[SheetRevision]] = relationship(
        back_populates="sheet", order_by="SheetRevision.number", cascade="all, delete-orphan")

    __table_args__ = (one_of("state", SHEET_STATES), one_of("visibility", VISIBILITIES))

    @property
    def is_approved(self) -> bool:
        """The narrator approved the current version (any later change voids the approval)."""
        return self.approved_version is not None and self.approved_version == self.version


class SheetRevision(Base):
    """One recorded change of a sheet: its full content and settings at that moment."""

    __tablename__ = "sheet_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[str] = mapped_column(ForeignKey("sheets.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="enregistrement")
    # The sheet version this change was based on, and the version it produced (None when
    # it was kept aside as a conflict and did not change the sheet).
    base_version: Mapped[int] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer, default=None)
    state: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sheet: Mapped[Sheet] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("sheet_id", "number"),
                      one_of("kind", REVISION_KIND_LABELS), one_of("state", SHEET_STATES))
