"""Catalogue lists as a reader sees them: theirs and the shared ones, resource counts, and
where a trainer may add a document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from kb.catalogues.catalogue import can_compose
from kb.context import KbContext
from kb.models import Catalogue, CatalogueItem, Document
from kb.visibility import Reader, can_read


def list_catalogues(ctx: KbContext, reader: Reader) -> tuple[list[Catalogue], list[Catalogue]]:
    """(this reader's own catalogues, the others shared with them), most recent first."""
    with ctx.sessions() as session:
        query = select(Catalogue).order_by(Catalogue.updated_at.desc())
        if reader.user_id is None and not reader.sees_everything:
            query = query.where(Catalogue.sharing == "public")
        elif not (reader.sees_everything or "admin" in reader.roles):
            query = query.where(or_(Catalogue.owner_id == reader.user_id,
                                    Catalogue.sharing.in_(("membres", "public"))))
        catalogues = list(session.scalars(query))
    mine = [c for c in catalogues if c.owner_id == reader.user_id]
    return mine, [c for c in catalogues if c.owner_id != reader.user_id]


def visible_counts(ctx: KbContext, reader: Reader, catalogue_ids: list[str]) -> dict[str, int]:
    """How many resources of each catalogue this reader may read."""
    if not catalogue_ids:
        return {}
    with ctx.sessions() as session:
        rows = session.execute(
            select(CatalogueItem.catalogue_id, Document.visibility, Document.groups)
            .join(Document, Document.id == CatalogueItem.document_id)
            .where(CatalogueItem.catalogue_id.in_(catalogue_ids))).all()
    counts = Counter(cid for cid, visibility, groups in rows
                     if can_read(reader, visibility, groups))
    return {cid: counts.get(cid, 0) for cid in catalogue_ids}


@dataclass
class Target:
    """A place where a reader may add a resource: one section of one of their catalogues."""

    catalogue_id: str
    section_id: int
    label: str


@dataclass
class AddChoices:
    """Where a reader may add each of some documents: their own catalogues (the most
    recently changed first) less those already holding it."""

    catalogues: list[Catalogue] = field(default_factory=list)
    holding: dict[str, set[str]] = field(default_factory=dict)  # document -> catalogue ids

    def targets(self, document_id: str) -> list[Target]:
        held = self.holding.get(document_id, set())
        return [Target(c.id, s.id, f"{c.title} › {s.title}" if len(c.sections) > 1 else c.title)
                for c in self.catalogues if c.id not in held for s in c.sections]

    def holders(self, document_id: str) -> list[Catalogue]:
        held = self.holding.get(document_id, set())
        return [c for c in self.catalogues if c.id in held]


def add_choices(ctx: KbContext, reader: Reader, document_ids: list[str]) -> AddChoices:
    """The reader's catalogues and which of them hold each document (one query each, for a
    whole results page)."""
    if not can_compose(reader) or reader.user_id is None:
        return AddChoices()
    with ctx.sessions() as session:
        catalogues = list(session.scalars(
            select(Catalogue).where(Catalogue.owner_id == reader.user_id)
            .order_by(Catalogue.updated_at.desc()).options(selectinload(Catalogue.sections))))
        holding: dict[str, set[str]] = {}
        for document_id, catalogue_id in session.execute(
                select(CatalogueItem.document_id, CatalogueItem.catalogue_id)
                .where(CatalogueItem.document_id.in_(document_ids),
                       CatalogueItem.catalogue_id.in_([c.id for c in catalogues]))):
            holding.setdefault(document_id, set()).add(catalogue_id)
    return AddChoices(catalogues, holding)


def add_targets(ctx: KbContext, reader: Reader, document_id: str) -> tuple[list[Target],
                                                                              list[Catalogue]]:
    """The sections of the reader's own catalogues, and those already holding the document."""
    choices = add_choices(ctx, reader, [document_id])
    return choices.targets(document_id), choices.holders(document_id)
