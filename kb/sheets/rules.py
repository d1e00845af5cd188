"""The rules of experience sheets: who writes, reads and edits them, what a sheet may hold,
and how a change is recorded as a revision."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session, selectinload

from kb.config import VISIBILITIES
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import Sheet, SheetRevision, utcnow
from kb.sheets.content import SECTIONS, SheetContent
from kb.visibility import Reader

WRITER_ROLES = frozenset({"maieuticien", "admin"})
MAX_CHARS = {"title": 500, "territory": 300}
MAX_PART_CHARS = 200_000
MAX_AUTHORS = 30
MAX_AUTHOR_CHARS = 200
FIELD_LABELS = {"title": "titre", "territory": "territoire", "authors": "personnes",
                "context": "contexte", "actors": "acteurs",
                "narrative": "récit", "difficulties": "difficultés", "lessons": "enseignements"}


@dataclass
class SheetSettings:
    """Who may read the published sheet, and the narrator's account if they have one."""

    visibility: str = "membres"
    groups: list[str] = field(default_factory=list)
    narrator_user_id: int | None = None


def can_write_sheets(reader: Reader) -> bool:
    return reader.sees_everything or not WRITER_ROLES.isdisjoint(reader.roles)


def is_admin(reader: Reader) -> bool:
    return reader.sees_everything or "admin" in reader.roles


def can_edit(reader: Reader, sheet: Sheet) -> bool:
    return is_admin(reader) or (can_write_sheets(reader) and reader.user_id == sheet.owner_id)


def can_view(reader: Reader, sheet: Sheet) -> bool:
    """The author, the narrator's account and administrators see the working copy."""
    return can_edit(reader, sheet) or (
        reader.user_id is not None and reader.user_id == sheet.narrator_user_id)


class MissingFields(InvalidInput):
    """A save refused because fields are empty: `fields` names them (form field names)."""

    def __init__(self, fields: list[str]) -> None:
        labels = ", ".join(FIELD_LABELS[name] for name in fields)
        super().__init__(f"Fiche non enregistrée : à remplir — {labels}.")
        self.fields = fields


def missing_for_save(content: SheetContent) -> list[str]:
    """A sheet needs at least its title to be saved; an empty form names every field."""
    if content.title:
        return []
    if content.is_empty() and not content.authors and not content.territory:
        return ["title", "authors", *(name for name, _ in SECTIONS)]
    return ["title"]


def validate_content(content: SheetContent) -> SheetContent:
    """The normalised content; an empty form, a person without a name or an over-long field
    is refused (never cut: no word is lost)."""
    content = content.normalized()
    if missing := missing_for_save(content):
        raise MissingFields(missing)
    _check_authors(content)
    for name, limit in MAX_CHARS.items():
        if len(getattr(content, name)) > limit:
            raise InvalidInput(f"{FIELD_LABELS[name]} : {limit} caractères au plus")
    for name, _ in SECTIONS:
        if len(getattr(content, name)) > MAX_PART_CHARS:
            raise InvalidInput(f"{FIELD_LABELS[name]} : {MAX_PART_CHARS} caractères au plus")
    return content


def _check_authors(content: SheetContent) -> None:
    if len(content.authors) > MAX_AUTHORS:
        raise InvalidInput(f"personnes : {MAX_AUTHORS} au plus")
    for number, author in enumerate(content.authors, start=1):
        if not author.name:
            raise InvalidInput(f"personnes : le nom manque pour la personne n° {number} "
                               f"(rôle « {author.role} »)")
        if max(len(author.name), len(author.role)) > MAX_AUTHOR_CHARS:
            raise InvalidInput(f"personnes : {MAX_AUTHOR_CHARS} caractères au plus pour le nom "
                               f"et le rôle de la personne n° {number}")


def validate_settings(settings: SheetSettings) -> SheetSettings:
    if settings.visibility not in VISIBILITIES:
        raise InvalidInput(f"visibilité : « {settings.visibility} » inconnue")
    groups = sorted({g.strip().lower() for g in settings.groups if g.strip()})
    if settings.visibility == "restreint" and not groups:
        raise InvalidInput("groupes : au moins un groupe pour une fiche restreinte")
    return SheetSettings(settings.visibility, groups, settings.narrator_user_id)


def snapshot(sheet: Sheet) -> dict[str, object]:
    """What a revision keeps: the content and the settings."""
    data = SheetContent.of(sheet).as_dict()
    data.update(visibility=sheet.visibility, groups=list(sheet.groups),
                narrator_user_id=sheet.narrator_user_id)
    return data


def add_revision(sheet: Sheet, reader: Reader, kind: str, base_version: int,
                 content: dict[str, object] | None = None, note: str = "",
                 applied: bool = True) -> SheetRevision:
    number = 1 + max((r.number for r in sheet.revisions), default=0)
    revision = SheetRevision(
        number=number, kind=kind, base_version=base_version,
        version=sheet.version if applied else None, state=sheet.state,
        content=content if content is not None else snapshot(sheet), note=note[:500],
        author_id=reader.user_id, created_at=utcnow())
    sheet.revisions.append(revision)
    return revision


def load_sheet(session: Session, reader: Reader, sheet_id: str, edit: bool = False) -> Sheet:
    """The sheet, or `NotFound` when missing or not visible to this reader; to `edit`, its
    row is locked until the transaction ends, so that a concurrent save waits and then sees
    the new version (a conflict) instead of overwriting it (PostgreSQL; SQLite has one writer
    at a time anyway)."""
    sheet = session.get(Sheet, sheet_id, options=[selectinload(Sheet.revisions)],
                        with_for_update=edit)
    if sheet is None or not can_view(reader, sheet):
        raise NotFound("Fiche introuvable.")
    if edit and not can_edit(reader, sheet):
        raise Forbidden("Seul·e l'auteur·rice de la fiche peut la modifier.")
    return sheet
