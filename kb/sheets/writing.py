"""Writing experience sheets: create, save drafts without losing a word, restore, import.

Every save is a revision. A save names the version it was based on: if the sheet moved on
meanwhile (another tab, a double submit, a stale form), the text is kept as a revision of
kind `conflit` and the caller is told; it never silently overwrites newer text.
States and publication are in `kb.sheets.states`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.models import Sheet, User, utcnow
from kb.sheets.content import SheetContent
from kb.sheets.rules import (
    SheetSettings,
    add_revision,
    can_write_sheets,
    is_admin,
    load_sheet,
    validate_content,
    validate_settings,
)
from kb.visibility import Reader


@dataclass
class SaveOutcome:
    """`saved`, `unchanged` (nothing new: a double submit) or `conflit` (kept aside)."""

    status: str
    sheet: Sheet
    revision: int | None = None
    message: str = ""


def get_sheet(ctx: KbContext, reader: Reader, sheet_id: str) -> Sheet:
    with ctx.sessions() as session:
        return load_sheet(session, reader, sheet_id)


def list_sheets(ctx: KbContext, reader: Reader) -> list[Sheet]:
    """The sheets this reader writes or narrates (all of them for an administrator)."""
    if reader.user_id is None and not reader.sees_everything:
        return []
    query = select(Sheet).order_by(Sheet.updated_at.desc())
    if not is_admin(reader):
        query = query.where(or_(Sheet.owner_id == reader.user_id,
                                Sheet.narrator_user_id == reader.user_id))
    with ctx.sessions() as session:
        return list(session.scalars(query))


def sheets_in_progress(ctx: KbContext, reader: Reader, limit: int = 5) -> list[Sheet]:
    """The reader's own sheets not published as they stand (drafts, sheets in review), those
    awaiting their approval as narrator included; the most recently changed first."""
    if reader.user_id is None:
        return []
    query = (select(Sheet).where(Sheet.state.in_(("brouillon", "en-relecture")),
                                 or_(Sheet.owner_id == reader.user_id,
                                     Sheet.narrator_user_id == reader.user_id))
             .order_by(Sheet.updated_at.desc()).limit(limit))
    with ctx.sessions() as session:
        return list(session.scalars(query))


def delete_draft(ctx: KbContext, reader: Reader, sheet_id: str) -> str:
    """Delete a sheet never published, with its versions (its author or an administrator);
    returns its title. A published sheet stays: its text is in the base."""
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        if sheet.document_id is not None or sheet.published_version is not None:
            raise Conflict("une fiche déjà publiée ne se supprime pas ; modifiez-la ou "
                           "demandez à l'association de retirer le document")
        title = sheet.title or "Fiche sans titre"
        session.delete(sheet)
    return title


def narrator_account(ctx: KbContext, email: str) -> int | None:
    """The id of the narrator's account named by e-mail (empty: no account)."""
    email = email.strip().lower()
    if not email:
        return None
    with ctx.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.email == email, User.active))
    if user_id is None:
        raise InvalidInput(f"compte du narrateur : aucun compte actif pour « {email} »")
    return user_id


def _apply(sheet: Sheet, content: SheetContent, settings: SheetSettings) -> None:
    content.apply_to(sheet)
    sheet.visibility, sheet.groups = settings.visibility, settings.groups
    sheet.narrator_user_id = settings.narrator_user_id
    sheet.updated_at = utcnow()


def _same(sheet: Sheet, content: SheetContent, settings: SheetSettings) -> bool:
    return (SheetContent.of(sheet).same_words(content) and sheet.visibility == settings.visibility
            and list(sheet.groups) == settings.groups
            and sheet.narrator_user_id == settings.narrator_user_id)


def create_sheet(ctx: KbContext, reader: Reader, content: SheetContent,
                 settings: SheetSettings, client_key: str | None = None) -> SaveOutcome:
    """A new draft; the same `client_key` twice (a double submit) gives the same sheet."""
    if not can_write_sheets(reader) or reader.user_id is None:
        raise Forbidden("Seul·es les maïeuticien·nes rédigent des fiches d'expérience.")
    content, settings = validate_content(content), validate_settings(settings)
    key = (client_key or "").strip()[:64] or None
    with ctx.sessions.begin() as session:
        if key and (sheet := session.scalar(select(Sheet).where(Sheet.client_key == key))):
            base = sheet.version if sheet.owner_id == reader.user_id else -1
            return _save(session, reader, sheet.id, content, settings, base)
        sheet = Sheet(owner_id=reader.user_id, client_key=key, state="brouillon", version=1,
                      created_at=utcnow())
        _apply(sheet, content, settings)
        session.add(sheet)
        revision = add_revision(sheet, reader, "enregistrement", 0, note="Création")
        return SaveOutcome("saved", sheet, revision.number, "Brouillon enregistré.")


def save_draft(ctx: KbContext, reader: Reader, sheet_id: str, content: SheetContent,
               settings: SheetSettings, base_version: int,
               kind: str = "enregistrement") -> SaveOutcome:
    content, settings = validate_content(content), validate_settings(settings)
    with ctx.sessions.begin() as session:
        return _save(session, reader, sheet_id, content, settings, base_version, kind)


def _save(session: Session, reader: Reader, sheet_id: str, content: SheetContent,
          settings: SheetSettings, base_version: int,
          kind: str = "enregistrement") -> SaveOutcome:
    sheet = load_sheet(session, reader, sheet_id, edit=True)
    if kind != "import":  # only an import brings new unplaced text; a form keeps it
        content.unplaced = list(sheet.unplaced)
    if _same(sheet, content, settings) and content.unplaced == list(sheet.unplaced):
        return SaveOutcome("unchanged", sheet, None, "Aucune modification depuis le dernier "
                           "enregistrement.")
    if base_version != sheet.version:
        kept = content.as_dict() | {"visibility": settings.visibility, "groups": settings.groups,
                                    "narrator_user_id": settings.narrator_user_id}
        revision = add_revision(sheet, reader, "conflit", base_version, kept, applied=False,
                                note=f"Texte fondé sur la version {base_version}, "
                                     f"la fiche était en version {sheet.version}")
        return SaveOutcome("conflit", sheet, revision.number, (
            f"La fiche a été modifiée entre-temps (version {sheet.version}). Votre texte, fondé "
            f"sur la version {base_version}, ne l'a pas remplacée : il est gardé à part "
            "(« texte gardé à part » dans ses versions)."))
    _apply(sheet, content, settings)
    if sheet.state == "publiee":
        sheet.state = "brouillon"  # the published document keeps the approved text
    sheet.version += 1
    revision = add_revision(sheet, reader, kind, base_version)
    return SaveOutcome("saved", sheet, revision.number, "Brouillon enregistré.")


def restore_revision(ctx: KbContext, reader: Reader, sheet_id: str, number: int,
                     base_version: int) -> SaveOutcome:
    """Make an earlier revision (a conflict kept aside, say) the current text again."""
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        revision = next((r for r in sheet.revisions if r.number == number), None)
        if revision is None:
            raise NotFound("Révision introuvable.")
        data = dict(revision.content)
        settings = validate_settings(SheetSettings(
            str(data.get("visibility", sheet.visibility)), list(data.get("groups") or []),
            data.get("narrator_user_id")))  # type: ignore[arg-type]
        content = SheetContent.from_dict(data)
        return _save(session, reader, sheet_id, validate_content(content), settings,
                     base_version, kind="restauration")


def import_content(ctx: KbContext, reader: Reader, sheet_id: str, imported: SheetContent,
                   base_version: int) -> SaveOutcome:
    """Replace the text with an imported one (the narrator's corrected DOCX); settings stay.

    Text that could not be placed is kept on the sheet until its author dismisses it."""
    imported = validate_content(imported)
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        settings = SheetSettings(sheet.visibility, list(sheet.groups), sheet.narrator_user_id)
        return _save(session, reader, sheet_id, imported, settings, base_version, "import")


def dismiss_unplaced(ctx: KbContext, reader: Reader, sheet_id: str) -> None:
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        if sheet.unplaced:
            sheet.unplaced = []
            add_revision(sheet, reader, "etat", sheet.version, note="Texte non placé écarté")
