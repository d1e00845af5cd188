"""« Documents similaires »: the documents closest to one document, among those the reader
may see, reloaded from the database in the index's order."""

from __future__ import annotations

from sqlalchemy import select

from indexer.search.similar import similar
from kb.context import KbContext
from kb.models import Document
from kb.search.expansion import theme_keys
from kb.visibility import Reader, can_read, reader_tokens

SIMILAR = 5


def similar_documents(ctx: KbContext, reader: Reader, doc_id: str,
                      limit: int = SIMILAR) -> list[Document]:
    """Up to `limit` documents like `doc_id`; nothing if the reader may not see it."""
    with ctx.sessions() as session:
        document = session.get(Document, doc_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            return []
        headings = [str(s.get("heading")) for s in document.sections if s.get("heading")]
        text = "\n".join([document.title, *headings, document.text])
        themes = theme_keys(document) or list(document.themes)
    snap = ctx.index.snapshot()
    ranked = similar(snap, doc_id, text, themes, reader_tokens(reader), limit + 3)
    ids = [found for found, _score in ranked]
    with ctx.sessions() as session:
        documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    readable = [documents[i] for i in ids
                if i in documents and can_read(reader, documents[i].visibility,
                                               documents[i].groups)]
    return readable[:limit]
