"""A published sheet as a Document of kind `fiche-experience`, and a Document as a sheet.

Publishing writes the Document and a new Revision in the caller's transaction and flags it
`index_pending`; the caller pushes it to the index after commit. The original kept for the
document is the sheet's DOCX export, so « Télécharger l'original » gives a Word file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.metadata import fold
from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.models import Document, Revision, Sheet, utcnow
from kb.sheets.content import Author, SheetContent, legacy_authors
from kb.sheets.export import sheet_docx
from kb.sheets.importing import sheet_from_docx, sheet_from_sections
from kb.slug import slug

log = logging.getLogger(__name__)
KIND = "fiche-experience"
SOURCE_PREFIX = "fiches-web/"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document_for(session: Session, sheet: Sheet) -> Document:
    document = session.get(Document, sheet.document_id) if sheet.document_id else None
    key = f"{SOURCE_PREFIX}{sheet.id}"
    if document is None:
        document = session.scalar(select(Document).where(Document.source_key == key))
    if document is None:
        document = Document(source_key=key, created_at=utcnow())
        session.add(document)
    return document


def people_extra(authors: list[Author]) -> dict[str, object]:
    """What a published sheet keeps of its people: every author with their role, for the
    document page, and under the roles the directory of allies weighs (`kb.people`)."""
    def entries(keep: Callable[[Author], bool]) -> list[dict[str, str]]:
        return [a.as_dict() for a in authors if keep(a)]

    def midwife(author: Author) -> bool:
        return fold(author.role).startswith("maieut")

    return {"auteurs": entries(lambda a: True),
            "narrateur": entries(lambda a: not midwife(a)), "maieuticien": entries(midwife)}


def _fill(document: Document, sheet: Sheet, content: SheetContent, digest: str) -> None:
    document.title = content.title or "Fiche sans titre"
    document.kind = KIND
    document.authors = [a.name for a in content.authors]
    document.date = content.experience_date
    document.territory = content.territory or None
    document.themes = list(content.themes)
    document.language = "fr"
    document.visibility, document.groups = sheet.visibility, list(sheet.groups)
    document.text = content.document_text()
    document.sections = content.document_sections()
    document.page_count = None
    document.warnings = []
    document.extra = dict(document.extra or {}) | people_extra(content.authors) | {
        "fiche": sheet.id}
    document.content_hash = digest
    document.media_type = DOCX_TYPE
    document.original_name = f"fiche-{slug(document.title, 'sans-titre')}.docx"
    document.updated_at = utcnow()
    document.index_pending = True  # pushed to the index by the caller after commit


def publish_document(session: Session, ctx: KbContext, sheet: Sheet) -> Document:
    """Create or update the sheet's Document with a new Revision; the caller commits."""
    content = SheetContent.of(sheet).normalized()
    data = sheet_docx(content, sheet.created_at)
    digest = ctx.originals.put(data)  # content-addressed: harmless if the transaction rolls back
    document = _document_for(session, sheet)
    _fill(document, sheet, content, digest)
    session.flush()
    # The document's version is the sheet's (one number everywhere), kept increasing.
    number = max(sheet.version, 1 + (session.scalar(select(Revision.number).where(
        Revision.document_id == document.id).order_by(Revision.number.desc()).limit(1)) or 0))
    session.add(Revision(
        document_id=document.id, number=number, content_hash=digest, media_type=DOCX_TYPE,
        original_name=document.original_name, size=len(data), title=document.title,
        text=document.text, metadata_={"kind": KIND, "authors": document.authors,
                                       "fiche": sheet.id, "version": sheet.version}))
    sheet.document_id = document.id
    return document


def push_to_index(ctx: KbContext, document_id: str) -> str | None:
    """Index the document now; a failure is logged and left for `kb check --repair`."""
    try:
        index_pending(ctx, [document_id])
    except Exception as exc:  # noqa: BLE001 - the flag stays set; `kb check --repair` redoes it
        log.exception("index update failed for %s", document_id)
        return f"mise à jour de l'index échouée ({exc}) ; lancez « kb check --repair »"
    return None


def content_of_document(ctx: KbContext, document: Document) -> SheetContent:
    """The structured sheet in a stored document: from its DOCX original when it has one
    (line breaks and Word headings intact), else from its extracted sections."""
    content = None
    if document.media_type == DOCX_TYPE and ctx.originals.exists(document.content_hash):
        content = sheet_from_docx(ctx.originals.read(document.content_hash))
    if content is None or content.is_empty():
        content = sheet_from_sections(document.title, list(document.sections))
    content.title = content.title or document.title
    content.territory = content.territory or document.territory or ""
    content.experience_date = content.experience_date or document.date
    content.authors = content.authors or document_authors(document)
    content.themes = content.themes or list(document.themes)
    return content


def document_authors(document: Document) -> list[Author]:
    """A document's people as a sheet lists them: the authors a published sheet kept, else
    the narrator and maïeuticien·ne its metadata named, else its authors."""
    extra = document.extra or {}
    if isinstance(extra.get("auteurs"), list):
        return [Author.of(a) for a in extra["auteurs"]]  # type: ignore[union-attr]
    named = legacy_authors(extra.get("narrateur") or extra.get("narrator"),
                           extra.get("maieuticien"))
    return named or [Author.parse(a) for a in document.authors]
