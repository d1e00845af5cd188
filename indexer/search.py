"""Ranked search over the index, restricted by visibility tokens, and escaped snippets.

Public surface: `search(index, text, visible, page, per_page)` returning a `SearchResult`
of ranked ids, and `snippet(text, terms)` returning safe HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from whoosh import highlight
from whoosh.index import Index
from whoosh.qparser import MultifieldParser, OrGroup, PlusMinusPlugin
from whoosh.query import NullQuery, Or, Query, Term

from indexer.analysis import french_analyzer

SEARCH_FIELDS = ("title", "concepts", "headings", "body", "authors", "territory")
STEMMED_FIELDS = frozenset({"title", "concepts", "headings", "body"})
SNIPPET_CHARS = 240


@dataclass
class SearchResult:
    """One page of ranked document ids, the total count and the terms to highlight."""

    total: int
    hits: list[tuple[str, float]] = field(default_factory=list)
    terms: frozenset[str] = frozenset()
    page: int = 1
    per_page: int = 10


def parse_query(index: Index, text: str) -> Query:
    """Plain words (more matched words rank higher), "phrases" and -exclusions; a query the
    parser cannot take is searched again as plain words instead of failing."""
    parser = MultifieldParser(list(SEARCH_FIELDS), index.schema, group=OrGroup.factory(0.9))
    parser.add_plugin(PlusMinusPlugin())
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - any parser failure falls back to plain words
        words = "".join(ch if ch.isalnum() or ch in "'’-" else " " for ch in text)
        return parser.parse(words)


def visibility_filter(visible: frozenset[str]) -> Query:
    return Or([Term("visibility", token) for token in sorted(visible)]) if visible else NullQuery


def search(
    index: Index, text: str, visible: frozenset[str], page: int = 1, per_page: int = 10
) -> SearchResult:
    """Rank documents the reader may see; `visible` lists the visibility tokens allowed."""
    query = parse_query(index, text)
    if not visible or isinstance(query, type(NullQuery)):
        return SearchResult(0, page=page, per_page=per_page)
    terms = frozenset(
        word.decode() if isinstance(word, bytes) else str(word)
        for fieldname, word in query.iter_all_terms()
        if fieldname in STEMMED_FIELDS
    )
    with index.searcher() as searcher:
        results = searcher.search_page(
            query, max(page, 1), pagelen=per_page, filter=visibility_filter(visible)
        )
        hits = [(hit["id"], float(hit.score or 0.0)) for hit in results]
        return SearchResult(len(results), hits, terms, page, per_page)


def snippet(text: str, terms: frozenset[str], chars: int = SNIPPET_CHARS) -> str:
    """Safe HTML: the best passage of `text` with matched words in <mark>, or its opening."""
    if terms and text:
        fragmenter = highlight.ContextFragmenter(maxchars=chars, surround=chars // 3)
        formatter = highlight.HtmlFormatter(tagname="mark", between=" … ", classname="hl",
                                            termclass="t")
        html = highlight.highlight(text, terms, french_analyzer(), fragmenter, formatter, top=2)
        if html:
            return html
    opening = " ".join(text.split())[:chars]
    return escape(opening + ("…" if len(text) > chars else ""))
