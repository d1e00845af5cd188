"""Changing a catalogue's contents: sections and resources, their order and their notes.

Positions are kept contiguous (0, 1, 2…) within a catalogue's sections and within each
section, so that moving up or down is a swap with the neighbour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.catalogues.catalogue import load_catalogue
from kb.context import KbContext
from kb.errors import Conflict, InvalidInput, NotFound
from kb.models import Catalogue, CatalogueItem, CatalogueSection, Document, utcnow
from kb.visibility import Reader, can_read

MAX_NOTE = 5000
MAX_SECTION_TITLE = 300


def _section_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("titre de la section : obligatoire")
    if len(title) > MAX_SECTION_TITLE:
        raise InvalidInput(f"titre de la section : {MAX_SECTION_TITLE} caractères au plus")
    return title


def _note(note: str) -> str:
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"note : {MAX_NOTE} caractères au plus")
    return note


@dataclass(frozen=True)
class Placement:
    """Where a resource or a section stands after a move, for the message that says so."""

    title: str  # the resource's document title, or the section's title
    position: int  # from 1
    count: int
    within: str = ""  # the resource's section; empty for a section
    moved: bool = True  # False when it was already first (up) or last (down)


def _renumber(rows: list[CatalogueSection] | list[CatalogueItem]) -> None:
    for position, row in enumerate(rows):
        row.position = position


def _move(rows: list, target: object, delta: int) -> tuple[int, bool]:  # type: ignore[type-arg]
    """Swap `target` with its neighbour `delta` (-1 up, +1 down) places away, if any;
    returns its position (from 1) and whether it moved."""
    index = rows.index(target)
    other = index + delta
    moved = 0 <= other < len(rows)
    if moved:
        rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    return rows.index(target) + 1, moved


def _item_title(session: Session, reader: Reader, item: CatalogueItem) -> str:
    document = session.get(Document, item.document_id)
    readable = document is not None and can_read(reader, document.visibility, document.groups)
    return document.title if readable else "Ressource"  # type: ignore[union-attr]


def _section(session: Session, catalogue: Catalogue, section_id: int) -> CatalogueSection:
    section = session.get(CatalogueSection, section_id)
    if section is None or section.catalogue_id != catalogue.id:
        raise NotFound("Section introuvable.")
    return section


def _item(session: Session, catalogue: Catalogue, item_id: int) -> CatalogueItem:
    item = session.get(CatalogueItem, item_id)
    if item is None or item.catalogue_id != catalogue.id:
        raise NotFound("Ressource introuvable dans ce catalogue.")
    return item


@contextmanager
def _editing(ctx: KbContext, reader: Reader,
             catalogue_id: str) -> Iterator[tuple[Session, Catalogue]]:
    """One transaction on a catalogue the reader may edit, dated as changed when it succeeds."""
    with ctx.sessions.begin() as session:
        catalogue = load_catalogue(session, reader, catalogue_id, edit=True)
        yield session, catalogue
        catalogue.updated_at = utcnow()


def add_section(ctx: KbContext, reader: Reader, catalogue_id: str, title: str) -> int:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        section = CatalogueSection(title=_section_title(title), position=len(catalogue.sections))
        catalogue.sections.append(section)
        session.flush()
        return section.id


def rename_section(ctx: KbContext, reader: Reader, catalogue_id: str, section_id: int,
                   title: str) -> None:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        _section(session, catalogue, section_id).title = _section_title(title)


def move_section(ctx: KbContext, reader: Reader, catalogue_id: str, section_id: int,
                 delta: int) -> Placement:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        section = _section(session, catalogue, section_id)
        sections = list(catalogue.sections)
        position, moved = _move(sections, section, delta)
        return Placement(section.title, position, len(sections), moved=moved)


def delete_section(ctx: KbContext, reader: Reader, catalogue_id: str, section_id: int) -> None:
    """Only an empty section goes (resources are never removed as a side effect)."""
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        section = _section(session, catalogue, section_id)
        if section.items:
            raise Conflict("Cette section contient des ressources : déplacez-les ou retirez-les "
                           "d'abord.")
        if len(catalogue.sections) == 1:
            raise Conflict("Un catalogue garde au moins une section.")
        catalogue.sections.remove(section)
        _renumber(list(catalogue.sections))


def add_item(ctx: KbContext, reader: Reader, catalogue_id: str, document_id: str,
             section_id: int | None = None, note: str = "") -> int:
    """Add a document the reader can read, at the end of a section (the first by default)."""
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        document = session.get(Document, document_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            raise NotFound("Document introuvable.")
        if session.scalar(select(CatalogueItem.id).where(
                CatalogueItem.catalogue_id == catalogue.id,
                CatalogueItem.document_id == document_id)) is not None:
            raise Conflict(f"« {document.title} » est déjà dans ce catalogue.")
        section = _section(session, catalogue, section_id) if section_id \
            else catalogue.sections[0]
        item = CatalogueItem(catalogue_id=catalogue.id, document_id=document_id,
                             note=_note(note), position=len(section.items))
        section.items.append(item)
        session.flush()
        return item.id


def update_note(ctx: KbContext, reader: Reader, catalogue_id: str, item_id: int,
                note: str) -> None:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        _item(session, catalogue, item_id).note = _note(note)


def move_item(ctx: KbContext, reader: Reader, catalogue_id: str, item_id: int,
              delta: int) -> Placement:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        item = _item(session, catalogue, item_id)
        items = list(item.section.items)
        position, moved = _move(items, item, delta)
        return Placement(_item_title(session, reader, item), position, len(items),
                         item.section.title, moved)


def move_item_to_section(ctx: KbContext, reader: Reader, catalogue_id: str, item_id: int,
                         section_id: int) -> Placement:
    # Not `_editing`: a move to the section it is already in leaves the catalogue's date alone.
    with ctx.sessions.begin() as session:
        catalogue = load_catalogue(session, reader, catalogue_id, edit=True)
        item = _item(session, catalogue, item_id)
        target = _section(session, catalogue, section_id)
        title = _item_title(session, reader, item)
        if target.id == item.section_id:
            return Placement(title, item.position + 1, len(target.items), target.title, False)
        # Both collections are loaded before the change: a lazy load in between would
        # autoflush the item as an orphan of its old section.
        remaining = [i for i in item.section.items if i is not item]
        position = len(target.items)
        item.section = target
        item.position = position
        _renumber(remaining)
        catalogue.updated_at = utcnow()
        return Placement(title, position + 1, position + 1, target.title)


def remove_item(ctx: KbContext, reader: Reader, catalogue_id: str, item_id: int) -> None:
    with _editing(ctx, reader, catalogue_id) as (session, catalogue):
        item = _item(session, catalogue, item_id)
        section = item.section
        section.items.remove(item)
        session.delete(item)
        _renumber(list(section.items))
