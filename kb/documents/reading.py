"""Reading documents: one function per read, each applying the visibility rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from kb.config import VISIBILITIES
from kb.context import KbContext
from kb.documents.publishing import can_edit_document, can_publish, check_publication
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.indexing.sync import index_pending
from kb.models import KINDS, Document, User, utcnow
from kb.models.documents import CURATED_KEY
from kb.visibility import Reader, can_read

# Types a browser could execute or render as a page are served as plain downloads.
ACTIVE_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml")


def get_readable_document(ctx: KbContext, reader: Reader, doc_id: str) -> Document:
    """The document, with its revisions; `NotFound` when missing or not visible, so that
    nobody learns that a confidential document exists."""
    with ctx.sessions() as session:
        document = session.get(Document, doc_id, options=[selectinload(Document.revisions)])
        if document is None or not can_read(reader, document.visibility, document.groups):
            raise NotFound("Document introuvable.")
        return document


@dataclass
class OriginalDownload:
    data: bytes
    media_type: str
    filename: str

    @property
    def safe_media_type(self) -> str:
        if self.media_type in ACTIVE_TYPES or self.media_type.startswith("text/"):
            return "text/plain" if self.media_type.startswith("text/") \
                else "application/octet-stream"
        return self.media_type


def read_revision_original(ctx: KbContext, reader: Reader, doc_id: str,
                           number: int) -> OriginalDownload:
    """The original file of one earlier revision, under the same visibility rule."""
    document = get_readable_document(ctx, reader, doc_id)
    revision = next((r for r in document.revisions if r.number == number), None)
    if revision is None or not ctx.originals.exists(revision.content_hash):
        raise NotFound("Cette version n'est pas disponible.")
    return OriginalDownload(ctx.originals.read(revision.content_hash), revision.media_type,
                            revision.original_name)


def read_original(ctx: KbContext, reader: Reader, doc_id: str) -> OriginalDownload:
    document = get_readable_document(ctx, reader, doc_id)
    if not ctx.originals.exists(document.content_hash):
        raise NotFound("Le fichier original n'est plus disponible.")
    return OriginalDownload(ctx.originals.read(document.content_hash), document.media_type,
                            document.original_name)


def can_edit_metadata(reader: Reader) -> bool:
    """Administrators and the qualified collective curate every document's metadata (the
    uploader of a document not yet published may too: `can_edit_document`)."""
    return can_publish(reader)


def update_metadata(ctx: KbContext, reader: Reader, doc_id: str,
                    changes: dict[str, object]) -> Document:
    """Change a document's descriptive fields in one transaction; the index follows. Who
    may publish what (`kb.documents.publishing`) is checked here."""
    fields = validate_metadata(changes)
    with ctx.sessions.begin() as session:
        document = session.get(Document, doc_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            raise NotFound("Document introuvable.")
        user = session.get(User, reader.user_id) if reader.user_id is not None else None
        if not can_edit_document(reader, document, user.email if user else None):
            raise Forbidden("Votre rôle ne permet pas de modifier ce document.")
        check_publication(reader, fields)
        edited = {name for name, value in fields.items() if getattr(document, name) != value}
        for name, value in fields.items():
            setattr(document, name, value)
        if edited:
            # Remembered so that ingesting a new revision keeps what a person decided.
            curated = set((document.extra or {}).get(CURATED_KEY, [])) | edited
            document.extra = {**(document.extra or {}), CURATED_KEY: sorted(curated)}
        if document.visibility == "restreint" and not document.groups:
            raise InvalidInput("groupes : au moins un groupe pour un document restreint")
        document.updated_at = utcnow()
        document.index_pending = True
    index_pending(ctx, [doc_id])
    return get_readable_document(ctx, reader, doc_id)


def validate_metadata(changes: dict[str, object]) -> dict[str, object]:
    """Check edited values; each error names the field."""
    fields: dict[str, object] = {}
    for name, value in changes.items():
        if name == "title":
            title = str(value or "").strip()
            if not title:
                raise InvalidInput("titre : obligatoire")
            fields["title"] = title[:300]
        elif name == "kind":
            if value not in KINDS:
                raise InvalidInput(f"type : « {value} » inconnu")
            fields["kind"] = value
        elif name == "visibility":
            if value not in VISIBILITIES:
                raise InvalidInput(f"visibilité : « {value} » inconnue")
            fields["visibility"] = value
        elif name == "date":
            fields["date"] = _parse_iso_date(value)
        elif name in ("authors", "themes", "groups"):
            items = value if isinstance(value, (list, tuple)) else []
            fields[name] = [str(v).strip() for v in items if str(v).strip()]
        elif name == "territory":
            fields["territory"] = str(value or "").strip()[:300] or None
        else:
            raise InvalidInput(f"champ inconnu : {name}")
    return fields


def _parse_iso_date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InvalidInput(f"date : « {value} » n'est pas au format AAAA-MM-JJ") from exc
