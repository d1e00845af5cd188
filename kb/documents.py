"""Reading documents: one function per read, each applying the visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy.orm import selectinload

from kb.context import KbContext
from kb.errors import NotFound
from kb.models import Document
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
            return "text/plain; charset=utf-8" if self.media_type.startswith("text/") \
                else "application/octet-stream"
        return self.media_type

    @property
    def content_disposition(self) -> str:
        ascii_name = self.filename.encode("ascii", "replace").decode().replace('"', "")
        return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename)}"


def read_original(ctx: KbContext, reader: Reader, doc_id: str) -> OriginalDownload:
    document = get_readable_document(ctx, reader, doc_id)
    if not ctx.originals.exists(document.content_hash):
        raise NotFound("Le fichier original n'est plus disponible.")
    return OriginalDownload(ctx.originals.read(document.content_hash), document.media_type,
                            document.original_name)
