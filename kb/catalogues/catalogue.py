"""Trainers' catalogues: create, share, list, and read them as a reader may see them.

Sharing (`prive`, `membres`, `public`) is checked at every read, and so is each resource:
a document the reader may not read is neither shown, nor counted, nor exported. Sections
and resources are changed in `kb.catalogues.items`; lists and counts are in
`kb.catalogues.lists`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import Catalogue, CatalogueSection, Document, User, utcnow
from kb.models.catalogues import SHARING_LEVELS
from kb.visibility import Reader, can_read

COMPOSER_ROLES = frozenset({"formateur", "admin"})
DEFAULT_SECTION = "Ressources"
LIMITS = {"title": 300, "audience": 300, "purpose": 5000, "duration": 100}
FIELD_LABELS = {"title": "titre", "audience": "public visé", "purpose": "objectif",
                "duration": "durée", "sharing": "partage"}


@dataclass
class ItemView:
    id: int
    document: Document
    note: str
    position: int


@dataclass
class SectionView:
    id: int
    title: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class CatalogueView:
    """A catalogue as one reader sees it: only the resources they may read."""

    catalogue: Catalogue
    owner_name: str
    sections: list[SectionView]
    editable: bool

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def can_compose(reader: Reader) -> bool:
    return reader.sees_everything or not COMPOSER_ROLES.isdisjoint(reader.roles)


def can_edit_catalogue(reader: Reader, catalogue: Catalogue) -> bool:
    if reader.sees_everything or "admin" in reader.roles:
        return True
    return can_compose(reader) and reader.user_id == catalogue.owner_id


def can_read_catalogue(reader: Reader, catalogue: Catalogue) -> bool:
    if catalogue.sharing == "public" or can_edit_catalogue(reader, catalogue):
        return True
    if reader.user_id is not None and reader.user_id == catalogue.owner_id:
        return True
    return catalogue.sharing == "membres" and reader.is_member


def validate_fields(values: dict[str, object]) -> dict[str, str]:
    """Trimmed values; each error names the field."""
    clean: dict[str, str] = {}
    for name, value in values.items():
        if name not in FIELD_LABELS:
            raise InvalidInput(f"champ inconnu : {name}")
        text = str(value or "").strip()
        if name == "sharing":
            if text not in SHARING_LEVELS:
                raise InvalidInput(f"partage : « {text} » inconnu")
        elif len(text) > LIMITS[name]:
            raise InvalidInput(f"{FIELD_LABELS[name]} : {LIMITS[name]} caractères au plus")
        clean[name] = text
    if "title" in clean and not clean["title"]:
        raise InvalidInput("titre : obligatoire")
    return clean


def load_catalogue(session: Session, reader: Reader, catalogue_id: str,
                   edit: bool = False) -> Catalogue:
    """The catalogue, or `NotFound` when missing or not shared with this reader; to `edit`,
    its row is locked until the transaction ends (concurrent edits queue up: positions and
    the one-document-once rule are read fresh)."""
    catalogue = session.get(Catalogue, catalogue_id, with_for_update=edit)
    if catalogue is None or not can_read_catalogue(reader, catalogue):
        raise NotFound("Catalogue introuvable.")
    if edit and not can_edit_catalogue(reader, catalogue):
        raise Forbidden("Seul·e l'auteur·rice du catalogue peut le modifier.")
    return catalogue


def create_catalogue(ctx: KbContext, reader: Reader, values: dict[str, object]) -> Catalogue:
    if not can_compose(reader) or reader.user_id is None:
        raise Forbidden("Seul·es les formateur·rices composent des catalogues.")
    clean = validate_fields({"sharing": "prive", **values})
    if "title" not in clean:
        raise InvalidInput("titre : obligatoire")
    with ctx.sessions.begin() as session:
        catalogue = Catalogue(owner_id=reader.user_id, **clean)
        catalogue.sections.append(CatalogueSection(title=DEFAULT_SECTION, position=0))
        session.add(catalogue)
        return catalogue


def update_catalogue(ctx: KbContext, reader: Reader, catalogue_id: str,
                     values: dict[str, object]) -> Catalogue:
    clean = validate_fields(values)
    with ctx.sessions.begin() as session:
        catalogue = load_catalogue(session, reader, catalogue_id, edit=True)
        for name, value in clean.items():
            setattr(catalogue, name, value)
        catalogue.updated_at = utcnow()
        return catalogue


def delete_catalogue(ctx: KbContext, reader: Reader, catalogue_id: str) -> None:
    with ctx.sessions.begin() as session:
        session.delete(load_catalogue(session, reader, catalogue_id, edit=True))


def view_catalogue(ctx: KbContext, reader: Reader, catalogue_id: str) -> CatalogueView:
    """The catalogue with, in each section, the resources this reader may read, in order."""
    with ctx.sessions() as session:
        catalogue = load_catalogue(session, reader, catalogue_id)
        sections = session.scalars(
            select(CatalogueSection).where(CatalogueSection.catalogue_id == catalogue_id)
            .order_by(CatalogueSection.position)
            .options(selectinload(CatalogueSection.items))).all()
        ids = [item.document_id for s in sections for item in s.items]
        documents = {d.id: d for d in session.scalars(select(Document).where(
            Document.id.in_(ids)))} if ids else {}
        owner = session.get(User, catalogue.owner_id)
        views = [SectionView(s.id, s.title, [
            ItemView(i.id, documents[i.document_id], i.note, i.position) for i in s.items
            if i.document_id in documents and _readable(reader, documents[i.document_id])])
            for s in sections]
        return CatalogueView(catalogue, owner.name if owner else "", views,
                             can_edit_catalogue(reader, catalogue))


def _readable(reader: Reader, document: Document) -> bool:
    return can_read(reader, document.visibility, document.groups)
