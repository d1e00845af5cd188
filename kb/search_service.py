"""Search as readers see it: ranked ids from the index, reloaded from the database,
filtered again by the visibility rule, with escaped snippets."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select

from indexer.search import search, snippet
from kb.context import KbContext
from kb.models import Document
from kb.visibility import Reader, can_read, reader_tokens

MAX_PER_PAGE = 100


@dataclass
class Hit:
    document: Document
    score: float
    snippet: Markup


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_documents(
    ctx: KbContext, reader: Reader, query: str, page: int = 1, per_page: int = 10
) -> SearchPage:
    """One page of results for `reader`; a stale or forbidden index entry never shows."""
    query = query.strip()
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    if not query:
        return SearchPage(query, page=page, per_page=per_page)
    result = search(ctx.index.open(), query, reader_tokens(reader), page, per_page)
    ids = [doc_id for doc_id, _ in result.hits]
    with ctx.sessions() as session:
        documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    hits: list[Hit] = []
    dropped = 0
    for doc_id, score in result.hits:
        document = documents.get(doc_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            dropped += 1
            continue
        hits.append(Hit(document, score, Markup(snippet(document.text, result.terms))))
    return SearchPage(query, hits, max(0, result.total - dropped), page, per_page)
