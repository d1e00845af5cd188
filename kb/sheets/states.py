"""A sheet's states: brouillon -> en relecture (the narrator reads and approves) -> publiée.

The narrator's approval is recorded by the maïeuticien·ne (name, date, how) or, when the
sheet is linked to the narrator's account, given by that account; it holds for one version
only (see docs/decisions.md). Only a published sheet becomes a searchable Document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from kb.context import KbContext
from kb.documents.reading import get_readable_document
from kb.errors import Conflict, Forbidden, InvalidInput
from kb.models import Sheet, utcnow
from kb.sheets.content import SheetContent
from kb.sheets.publishing import KIND, content_of_document, publish_document, push_to_index
from kb.sheets.rules import add_revision, can_edit, can_write_sheets, is_admin, load_sheet
from kb.visibility import Reader


@dataclass
class PublishOutcome:
    sheet: Sheet
    document_id: str
    index_error: str | None = None


def _current(sheet: Sheet, version: int, state: str, refusal: str) -> None:
    """The sheet is still at the version shown, and in the state the action starts from."""
    if version != sheet.version:
        raise Conflict("La fiche a été modifiée depuis l'affichage de cette page : "
                       "rechargez-la avant de changer son état.")
    if sheet.state != state:
        raise Conflict(refusal)


def missing_for_review(sheet: Sheet) -> list[str]:
    """What a sheet needs before the narrator can read it."""
    missing = [label for name, label in (
        ("title", "titre"), ("authors", "la personne qui raconte (première des personnes)"),
        ("narrative", "récit")) if not getattr(sheet, name)]
    return missing


def submit_for_review(ctx: KbContext, reader: Reader, sheet_id: str, version: int) -> Sheet:
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        _current(sheet, version, "brouillon", "Seul un brouillon peut être envoyé en relecture.")
        if missing := missing_for_review(sheet):
            raise InvalidInput(f"à compléter avant la relecture : {', '.join(missing)}")
        sheet.state = "en-relecture"
        sheet.updated_at = utcnow()
        add_revision(sheet, reader, "etat", version, note="Envoyée en relecture")
        return sheet


def can_approve(reader: Reader, sheet: Sheet) -> bool:
    """The narrator's own account when linked, else the author; administrators always."""
    if is_admin(reader):
        return True
    if sheet.narrator_user_id is not None:
        return reader.user_id == sheet.narrator_user_id
    return can_edit(reader, sheet)


def record_approval(ctx: KbContext, reader: Reader, sheet_id: str, version: int,
                    narrator_name: str, approved_on: dt.date | None, note: str = "") -> Sheet:
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id)
        if not can_approve(reader, sheet):
            raise Forbidden("L'accord doit être donné par le compte du narrateur de la fiche.")
        _current(sheet, version, "en-relecture",
                 "L'accord du narrateur se donne sur une fiche en relecture.")
        name = " ".join((narrator_name or SheetContent.of(sheet).narrator).split())[:200]
        if not name:
            raise InvalidInput("narrateur·rice : nom obligatoire pour consigner l'accord")
        day = approved_on or dt.date.today()
        if day > dt.date.today():
            raise InvalidInput("date de l'accord : elle ne peut pas être dans le futur")
        sheet.approved_version, sheet.approved_by_name = version, name
        sheet.approved_on, sheet.approval_note = day, " ".join(note.split())[:500]
        sheet.approval_recorded_by = reader.user_id
        add_revision(sheet, reader, "etat", version,
                     note=f"Accord de {name} du {day.strftime('%d/%m/%Y')} consigné")
        return sheet


def back_to_draft(ctx: KbContext, reader: Reader, sheet_id: str, version: int,
                  note: str = "") -> Sheet:
    """The narrator (or the author) asks for changes: the approval, if any, is voided."""
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id)
        if not (can_edit(reader, sheet) or can_approve(reader, sheet)):
            raise Forbidden("Votre rôle ne permet pas cette action.")
        _current(sheet, version, "en-relecture",
                 "Seule une fiche en relecture peut revenir au brouillon.")
        sheet.state, sheet.approved_version = "brouillon", None
        sheet.updated_at = utcnow()
        add_revision(sheet, reader, "etat", version,
                     note=("Modifications demandées : " + note.strip())[:500] if note.strip()
                     else "Revenue au brouillon")
        return sheet


def publish(ctx: KbContext, reader: Reader, sheet_id: str, version: int) -> PublishOutcome:
    """Publish the approved version: a Document (new revision if republished), indexed."""
    with ctx.sessions.begin() as session:
        sheet = load_sheet(session, reader, sheet_id, edit=True)
        _current(sheet, version, "en-relecture", "Seule une fiche en relecture peut être publiée.")
        if not sheet.is_approved:
            raise Conflict("L'accord du narrateur sur cette version n'est pas consigné.")
        document = publish_document(session, ctx, sheet)
        sheet.state, sheet.published_version = "publiee", version
        sheet.updated_at = utcnow()
        add_revision(sheet, reader, "etat", version, note="Publiée")
        document_id = document.id
    return PublishOutcome(sheet, document_id, push_to_index(ctx, document_id))


def sheet_for_document(ctx: KbContext, document_id: str) -> Sheet | None:
    with ctx.sessions() as session:
        return session.scalar(select(Sheet).where(Sheet.document_id == document_id))


def adopt_document(ctx: KbContext, reader: Reader, document_id: str) -> Sheet:
    """Turn an ingested experience sheet (a DOCX or any file with the sheet's headings)
    into a structured, editable sheet linked to the same document."""
    if not can_write_sheets(reader) or reader.user_id is None:
        raise Forbidden("Seul·es les maïeuticien·nes rédigent des fiches d'expérience.")
    document = get_readable_document(ctx, reader, document_id)
    if document.kind != KIND:
        raise InvalidInput("ce document n'est pas une fiche d'expérience")
    content = content_of_document(ctx, document).normalized()
    with ctx.sessions.begin() as session:
        existing = session.scalar(select(Sheet).where(Sheet.document_id == document_id))
        if existing is not None:
            return existing
        sheet = Sheet(owner_id=reader.user_id, state="publiee", version=1, published_version=1,
                      visibility=document.visibility, groups=list(document.groups),
                      document_id=document_id, created_at=utcnow(), updated_at=utcnow())
        content.apply_to(sheet)
        session.add(sheet)
        add_revision(sheet, reader, "import", 0, note=f"Reprise du document « {document.title} »")
        return sheet
