"""Documents and their revisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.config import VISIBILITIES
from kb.models.base import Base, new_id, one_of, utcnow

KINDS = ("texte-fondateur", "fiche-experience", "proposition", "outil", "autre")
KIND_LABELS = {
    "texte-fondateur": "Texte fondateur",
    "fiche-experience": "Fiche d'expérience",
    "proposition": "Proposition de changement de modèle",
    "outil": "Outil et méthode",
    "autre": "Autre document",
}
KIND_PLURAL_LABELS = {
    "texte-fondateur": "Textes fondateurs",
    "fiche-experience": "Fiches d'expérience",
    "proposition": "Propositions de changement de modèle",
    "outil": "Outils et méthodes",
    "autre": "Autres documents",
}
# Key of `Document.extra` listing the fields edited on the web: new revisions keep them.
CURATED_KEY = "curated_fields"
DOCTRINE_STATUSES = ("aucun", "propose", "en-debat", "doctrine", "non-retenu", "a-reviser")


class Document(Base):
    """A document of the base; its current revision's text and metadata are copied here."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32), default="autre")
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    date: Mapped[dt.date | None] = mapped_column(default=None)
    territory: Mapped[str | None] = mapped_column(String(300), default=None)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    visibility: Mapped[str] = mapped_column(String(16), default="membres")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    doctrine_status: Mapped[str] = mapped_column(String(16), default="aucun")
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"heading": str, "level": int, "paragraphs": [str]}], for display and headings.
    sections: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    page_count: Mapped[int | None] = mapped_column(Integer, default=None)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set in the same transaction as any change, cleared once the index has it.
    index_pending: Mapped[bool] = mapped_column(default=True)

    revisions: Mapped[list[Revision]] = relationship(
        back_populates="document", order_by="Revision.number", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_documents_index_pending", "index_pending"),
                      one_of("kind", KINDS), one_of("visibility", VISIBILITIES),
                      one_of("doctrine_status", DOCTRINE_STATUSES))


class Revision(Base):
    """One stored version of a document's original file and extracted text."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    metadata_: Mapped[dict[str, object]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("document_id", "number"),)
