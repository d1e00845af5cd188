"""Keeps the index in step with the database: after each commit, never inside it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from sqlalchemy import select, update

from indexer.index import IndexedDocument
from kb.context import KbContext
from kb.models import Document
from kb.visibility import document_tokens

log = logging.getLogger(__name__)
BATCH = 200


def to_indexed(document: Document) -> IndexedDocument:
    """The index's view of a document."""
    return IndexedDocument(
        id=document.id,
        source_key=document.source_key,
        title=document.title,
        body=document.text,
        kind=document.kind,
        visibility_tokens=document_tokens(document.visibility, document.groups),
        headings=[str(s.get("heading")) for s in document.sections if s.get("heading")],
        authors=list(document.authors),
        territory=document.territory,
        themes=list(document.themes),
        doctrine_status=document.doctrine_status,
        date=document.date,
    )


def index_pending(ctx: KbContext, ids: Iterable[str] | None = None) -> int:
    """Push documents flagged `index_pending` (or just `ids`) to the index, then clear the flag.

    A failure leaves the flags set, so `kb check` or the next ingest repairs it."""
    with ctx.sessions() as session:
        query = select(Document).where(Document.index_pending.is_(True))
        if ids is not None:
            query = query.where(Document.id.in_(list(ids)))
        documents = session.scalars(query).all()
        if not documents:
            return 0
        batch = [(d.id, d.updated_at) for d in documents]
        ctx.index.update_documents(to_indexed(d) for d in documents)
    with ctx.sessions.begin() as session:
        for doc_id, stamp in batch:
            # Only clear the flag if nobody changed the document meanwhile.
            session.execute(
                update(Document)
                .where(Document.id == doc_id, Document.updated_at == stamp)
                .values(index_pending=False)
            )
    return len(batch)


def iter_all_indexed(ctx: KbContext) -> Iterator[IndexedDocument]:
    with ctx.sessions() as session:
        for document in session.scalars(select(Document).execution_options(yield_per=BATCH)):
            yield to_indexed(document)


def rebuild_index(ctx: KbContext, procs: int = 1) -> int:
    """Rebuild the whole index from the database beside the old one and swap it in."""
    count = ctx.index.rebuild(iter_all_indexed(ctx), procs=procs)
    with ctx.sessions.begin() as session:
        session.execute(update(Document).values(index_pending=False))
    return count


def ensure_index(ctx: KbContext) -> bool:
    """Rebuild when the index is missing or its schema or analysis changed; True if rebuilt."""
    if ctx.index.needs_rebuild():
        rebuild_index(ctx)
        return True
    return False


def check_index(ctx: KbContext, repair: bool = False) -> dict[str, list[str]]:
    """Drift between database and index: missing, stale (not in the database) or pending."""
    with ctx.sessions() as session:
        db_ids = set(session.scalars(select(Document.id)))
        pending = set(session.scalars(select(Document.id).where(Document.index_pending)))
    indexed = ctx.index.indexed_ids() if ctx.index.exists() else set()
    drift = {
        "missing": sorted(db_ids - indexed),
        "stale": sorted(indexed - db_ids),
        "pending": sorted(pending),
    }
    if repair:
        if drift["stale"]:
            ctx.index.remove_documents(drift["stale"])
        to_push = set(drift["missing"]) | pending
        if to_push:
            with ctx.sessions.begin() as session:
                session.execute(
                    update(Document).where(Document.id.in_(to_push)).values(index_pending=True)
                )
            index_pending(ctx, to_push)
    return drift
