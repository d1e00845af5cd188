"""Trainers' catalogues of resources: ordered sections of documents, each with a note."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, new_id, one_of, utcnow

SHARING_LEVELS = ("prive", "membres", "public")
SHARING_LABELS = {
    "prive": "Privé (vous seul·e)",
    "membres": "Membres de l'alliance",
    "public": "Public",
}


class Catalogue(Base):
    """A catalogue composed by a trainer for an accompaniment or a training."""

    __tablename__ = "catalogues"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(300), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(100), default="")
    sharing: Mapped[str] = mapped_column(String(16), default="prive")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sections: Mapped[list[CatalogueSection]] = relationship(
        back_populates="catalogue", order_by="CatalogueSection.position",
        cascade="all, delete-orphan")

    __table_args__ = (one_of("sharing", SHARING_LEVELS),)


class CatalogueSection(Base):
    """A titled, ordered part of a catalogue."""

    __tablename__ = "catalogue_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[str] = mapped_column(
        ForeignKey("catalogues.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)

    catalogue: Mapped[Catalogue] = relationship(back_populates="sections")
    items: Mapped[list[CatalogueItem]] = relationship(
        back_populates="section", order_by="CatalogueItem.position",
        cascade="all, delete-orphan")


class CatalogueItem(Base):
    """One resource (a document) in a section, with the trainer's note."""

    __tablename__ = "catalogue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[str] = mapped_column(ForeignKey("catalogues.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        ForeignKey("catalogue_sections.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    section: Mapped[CatalogueSection] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("catalogue_id", "document_id"),)
