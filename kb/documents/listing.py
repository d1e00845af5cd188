"""Short lists of documents for a reader: the latest of some kinds, the visibility rule
applied to each."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import load_only

from kb.context import KbContext
from kb.models import Document
from kb.visibility import Reader, can_read, visibilities_to_check

# What a list shows of a document: never its text.
LISTED = load_only(Document.id, Document.title, Document.kind, Document.date,
                   Document.territory, Document.authors, Document.visibility,
                   Document.groups, Document.created_at, Document.doctrine_status)
BATCH = 50


def latest_documents(ctx: KbContext, reader: Reader, kinds: Sequence[str],
                     limit: int = 5) -> list[Document]:
    """The documents of `kinds` most recently added to the base that the reader may read."""
    query = (select(Document).options(LISTED)
             .where(Document.kind.in_(kinds),
                    Document.visibility.in_(visibilities_to_check(reader)))
             .order_by(Document.created_at.desc(), Document.id)
             .execution_options(yield_per=BATCH))
    found: list[Document] = []
    with ctx.sessions() as session:
        for document in session.scalars(query):
            if len(found) >= limit:
                break
            if can_read(reader, document.visibility, document.groups):
                found.append(document)
    return found
