"""Keeps the index in step with the database: after each commit, never inside it.

Public surface: `to_indexed()`, `indexed_batch()`, `index_pending()` (push flagged
documents and queued removals), `rebuild_index()`, `ensure_index()`, `check_index()`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from indexer.index.store import IndexedDocument
from kb.context import KbContext
from kb.indexing.document_concepts import DocumentConcepts, concepts_by_document
from kb.models import Document, IndexRemoval, utcnow
from kb.search.expansion import with_ancestors
from kb.visibility import document_tokens

log = logging.getLogger(__name__)
BATCH = 200
PARALLEL_FROM = 2000  # documents: below this, starting processes costs more than it saves
DRIFT_LABELS = {
    "missing": "absents de l'index",
    "stale": "dans l'index mais plus en base",
    "outdated": "indexés dans une version dépassée",
    "pending": "en attente d'indexation",
    "removals": "supprimés en base, à retirer de l'index",
}


def stamp(document: Document) -> str:
    return document.updated_at.isoformat() if document.updated_at else ""


def to_indexed(document: Document, concepts: DocumentConcepts,
               theme_keys: list[str]) -> IndexedDocument:
    """The index's view of a document, with its concepts' labels and theme keys."""
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
        theme_keys=theme_keys,
        stamp=stamp(document),
        concept_labels=concepts.labels,
    )


def indexed_batch(session: Session, documents: Sequence[Document]) -> list[IndexedDocument]:
    """Index views of a batch of documents, their tags read in one query."""
    concepts = concepts_by_document(session, [d.id for d in documents])
    views = []
    for document in documents:
        found = concepts.get(document.id) or DocumentConcepts()
        views.append(to_indexed(document, found, with_ancestors(session, found.uris)))
    return views


def _push_removals(ctx: KbContext) -> int:
    with ctx.sessions() as session:
        removed = list(session.scalars(select(IndexRemoval.document_id)))
    if not removed:
        return 0
    ctx.index.remove_documents(removed)
    with ctx.sessions.begin() as session:
        session.execute(delete(IndexRemoval).where(IndexRemoval.document_id.in_(removed)))
    return len(removed)


def index_pending(ctx: KbContext, ids: Iterable[str] | None = None) -> int:
    """Push documents flagged `index_pending` (or just `ids`) and queued removals to the
    index, then clear the flags. A failure leaves the flags set, so `kb check` or the next
    change repairs it. Returns the number of documents updated or removed."""
    removed = _push_removals(ctx)
    with ctx.sessions() as session:
        query = select(Document).where(Document.index_pending.is_(True))
        if ids is not None:
            query = query.where(Document.id.in_(list(ids)))
        documents = session.scalars(query).all()
        if not documents:
            return removed
        batch = [(d.id, d.updated_at) for d in documents]
        ctx.index.update_documents(indexed_batch(session, documents))
    with ctx.sessions.begin() as session:
        for doc_id, updated in batch:
            # Only clear the flag if nobody changed the document meanwhile.
            session.execute(
                update(Document)
                .where(Document.id == doc_id, Document.updated_at == updated)
                .values(index_pending=False)
            )
    return removed + len(batch)


def iter_all_indexed(ctx: KbContext) -> Iterator[IndexedDocument]:
    with ctx.sessions() as session:
        result = session.execute(select(Document).execution_options(yield_per=BATCH))
        for documents in result.scalars().partitions():
            yield from indexed_batch(session, documents)


def rebuild_index(ctx: KbContext, procs: int | None = None) -> int:
    """Rebuild the whole index from the database beside the old one and swap it in; with
    `procs` unset, large bases are analysed by several processes.

    Searches keep reading the old generation meanwhile; changes another process committed
    during the rebuild went to the old generation, so they are pushed again after the swap.
    Removal records are cleared only once the new generation is live: if the rebuild
    fails, they still take deleted documents out of the old one. The generations lock is
    held throughout, so another process's rebuild waits for this one."""
    with ctx.index.locked():
        started = utcnow()
        with ctx.sessions() as session:
            if procs is None:
                count = session.scalar(select(func.count(Document.id))) or 0
                procs = min(os.cpu_count() or 1, 4) if count >= PARALLEL_FROM else 1
            removed = list(session.scalars(select(IndexRemoval.document_id)))
        count = ctx.index.rebuild(iter_all_indexed(ctx), procs=procs)
        with ctx.sessions.begin() as session:
            # The new generation was built from the database: these deletions are in it.
            session.execute(delete(IndexRemoval).where(IndexRemoval.document_id.in_(removed)))
            session.execute(
                update(Document).where(Document.updated_at < started).values(index_pending=False)
            )
            session.execute(
                update(Document).where(Document.updated_at >= started).values(index_pending=True)
            )
    index_pending(ctx)
    check_index(ctx, repair=True)
    return count


def ensure_index(ctx: KbContext) -> bool:
    """Rebuild when the index is missing or its schema or analysis changed; True if rebuilt.
    Checked again under the generations lock: another process may have just rebuilt it."""
    if not ctx.index.needs_rebuild():
        return False
    with ctx.index.locked():
        if not ctx.index.needs_rebuild():
            return False
        rebuild_index(ctx)
    return True


def check_index(ctx: KbContext, repair: bool = False) -> dict[str, list[str]]:
    """Drift between database and index: missing, stale (not in the database), outdated
    (indexed from an older version), pending, and removals not yet applied."""
    with ctx.sessions() as session:
        stamps = {d_id: (u.isoformat() if u else "") for d_id, u in
                  session.execute(select(Document.id, Document.updated_at))}
        pending = set(session.scalars(select(Document.id).where(Document.index_pending)))
        removals = set(session.scalars(select(IndexRemoval.document_id)))
    indexed = ctx.index.indexed_stamps() if ctx.index.exists() else {}
    drift = {
        "missing": sorted(stamps.keys() - indexed.keys()),
        "stale": sorted(indexed.keys() - stamps.keys()),
        "outdated": sorted(i for i in stamps.keys() & indexed.keys() if stamps[i] != indexed[i]),
        "pending": sorted(pending),
        "removals": sorted(removals),
    }
    if repair:
        _repair(ctx, drift)
    return drift


def _repair(ctx: KbContext, drift: dict[str, list[str]]) -> None:
    if drift["stale"]:
        ctx.index.remove_documents(drift["stale"])
    to_push = set(drift["missing"]) | set(drift["outdated"]) | set(drift["pending"])
    if to_push:
        with ctx.sessions.begin() as session:
            session.execute(
                update(Document).where(Document.id.in_(to_push)).values(index_pending=True)
            )
    if to_push or drift["removals"]:
        index_pending(ctx)
