"""What search needs in the database: removals waiting for the index, and the rule that any
change to a document or to its concept tags flags it for indexing in the same transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, event, insert, inspect, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from kb.models.base import Base, utcnow
from kb.models.documents import Document
from kb.models.taxonomy import DocumentTag


class IndexRemoval(Base):
    """A document deleted from the database whose removal has not reached the index yet."""

    __tablename__ = "index_removals"

    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    removed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


@event.listens_for(Document, "before_update")
def _flag_changed_document(_mapper: Mapper[Document], _connection: Connection,
                           target: Document) -> None:
    # Whoever changes a document, the index hears of it: the flag is written with the change.
    state = inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    if changed - {"index_pending"}:
        target.index_pending = True


@event.listens_for(Document, "after_delete")
def _queue_removal(_mapper: Mapper[Document], connection: Connection, target: Document) -> None:
    # Same transaction as the delete: a crash before the index update leaves the queue entry.
    connection.execute(insert(IndexRemoval).values(document_id=target.id, removed_at=utcnow()))


# What the index takes from a tag (`kb.indexing.document_concepts`): a new confidence or
# passage alone, as a re-scoring writes, leaves the indexed document as it was.
INDEXED_TAG_FIELDS = ("document_id", "concept_id", "state")


@event.listens_for(DocumentTag, "after_insert")
@event.listens_for(DocumentTag, "after_delete")
def _flag_retagged_document(_mapper: Mapper[DocumentTag], connection: Connection,
                            target: DocumentTag) -> None:
    # A document's concepts are indexed with it (labels, themes facet): re-index it.
    connection.execute(update(Document).where(Document.id == target.document_id)
                       .values(index_pending=True))


@event.listens_for(DocumentTag, "after_update")
def _flag_changed_tag(mapper: Mapper[DocumentTag], connection: Connection,
                      target: DocumentTag) -> None:
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in INDEXED_TAG_FIELDS):
        _flag_retagged_document(mapper, connection, target)
