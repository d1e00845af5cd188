"""Search as readers see it: ranked ids from the index, reloaded from the database and
filtered again by the visibility rule, with escaped snippets, facets and spelling help.

Everything a reader gets (hits, counts, facets, snippets, corrections) is computed among the
documents `reader_tokens(reader)` opens; a stale or forbidden index entry never shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import defer

from indexer.index.snapshot import Snapshot
from indexer.search.facets import FACET_FIELDS
from indexer.search.query import ParsedQuery, filters_as_words, parse
from indexer.search.ranking import QueryTerm, terms_for
from indexer.search.searcher import SORTS, SearchRequest, SearchResult, search
from indexer.search.snippets import snippet
from kb.context import KbContext
from kb.models import Document
from kb.search.expansion import Taxonomy, expansions, taxonomy
from kb.search.facets import Chip, Facet, build_chips, build_facets, resolve_filters
from kb.search.filters import not_understood_note
from kb.search.spelling import Correction, correct_query, looks_like_code
from kb.visibility import Reader, can_read, reader_tokens

MAX_PER_PAGE = 100
MAX_QUERY = 500
# A hit shows its metadata and a snippet of its text: its sections are not loaded.
LIGHT = (defer(Document.sections, raiseload=True), defer(Document.extra, raiseload=True),
         defer(Document.warnings, raiseload=True))


@dataclass
class Hit:
    document: Document
    score: float
    snippet: Markup


@dataclass
class Spelling:
    """A corrected query: offered (« Vouliez-vous dire … ? ») or already applied."""

    query: str
    total: int
    applied: bool


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    sort: str = "pertinence"
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: list[Facet] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    spelling: Spelling | None = None
    # Words were typed, but only words too common to be searched (« le la les »).
    only_common_words: bool = False
    # Typed filters searched as words instead, said in French (« annee:abc » : …).
    notes: list[str] = field(default_factory=list)
    # Hyphenated compounds typed (« tiers-lieux ») and how many documents found write them.
    compounds: list[str] = field(default_factory=list)
    with_compounds: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def searched(self) -> str:
        """The query the hits answer: the corrected one when it was applied."""
        return self.spelling.query if self.spelling and self.spelling.applied else self.query


def clean_filters(filters: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Known facets only, trimmed, without duplicates, at most 20 values each."""
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        kept = [v.strip()[:200] for v in values if v and v.strip()]
        if name in FACET_FIELDS and kept:
            cleaned[name] = list(dict.fromkeys(kept))[:20]
    return cleaned


def search_documents(
    ctx: KbContext, reader: Reader, query: str, page: int = 1, per_page: int = 10,
    filters: Mapping[str, Sequence[str]] | None = None, sort: str = "pertinence",
    with_facets: bool = True, correct: bool = True, with_snippets: bool = True,
) -> SearchPage:
    """One page of results for `reader`, with facets and spelling help."""
    query = " ".join(query.split())[:MAX_QUERY]
    chosen = clean_filters(filters)
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    sort = sort if sort in SORTS else "pertinence"
    result_page = SearchPage(query, page=page, per_page=per_page, sort=sort, filters=chosen)
    parsed = parse(query)
    if not query and not chosen:
        return result_page
    snap = ctx.index.snapshot()
    run = _Searches(snap, reader_tokens(reader), chosen, taxonomy(ctx), sort, page, per_page,
                    with_facets)
    as_understood = run.understood(parsed)[1]
    result_page.notes = [not_understood_note(f.name, f.value) for f in parsed.filters
                         if f not in as_understood.filters]
    correction = correct_query(snap, run.visible, query, parsed) \
        if correct and not looks_like_code(query) else None
    result, result_page.spelling = _with_spelling(run, parsed, correction)
    # Words were typed, yet none is searched: all are stop words.
    result_page.only_common_words = bool(as_understood.positive) and not any(
        terms_for(text) for text in as_understood.positive)
    result_page.hits, dropped = _load_hits(ctx, reader, result, with_snippets)
    result_page.total = max(0, result.total - dropped)
    result_page.compounds, result_page.with_compounds = result.compounds, result.with_compounds
    labels = run.known.labels
    result_page.facets = build_facets(result.facets, chosen, labels, run.known.broader)
    searched = result_page.searched
    result_page.chips = build_chips(searched, run.understood(parse(searched))[1], chosen, labels)
    return result_page


@dataclass
class _Searches:
    """The searches one request runs (as typed, corrected): same reader, filters and page."""

    snap: Snapshot
    tokens: frozenset[str]
    chosen: dict[str, list[str]]
    known: Taxonomy
    sort: str
    page: int
    per_page: int
    with_facets: bool

    def __post_init__(self) -> None:
        self.visible = self.snap.visible_mask(self.tokens)

    def understood(self, parsed: ParsedQuery) -> tuple[dict[str, list[str]], ParsedQuery]:
        """Filter keys, and the query with the filters not understood turned into words."""
        keys, unresolved = resolve_filters(self.snap, self.visible, self.chosen, parsed,
                                           self.known.labels)
        return keys, filters_as_words(parsed, unresolved)

    def __call__(self, parsed: ParsedQuery, extra: list[QueryTerm] | None = None,
                 facets: bool | None = None, size: int | None = None) -> SearchResult:
        keys, searched = self.understood(parsed)
        size = self.per_page if size is None else size
        request = SearchRequest(searched, self.tokens, keys,
                                expansions(self.known, searched) + (extra or []),
                                self.page if size > 1 else 1, size, self.sort,
                                self.with_facets if facets is None else facets)
        return search(self.snap, request)


def _with_spelling(run: Callable[..., SearchResult], parsed: ParsedQuery,
                   correction: Correction | None) -> tuple[SearchResult, Spelling | None]:
    """The results to show and the spelling help that goes with them."""
    if correction is None:
        return run(parsed), None
    typed = run(parsed, facets=False, size=1)
    typed_total = typed.total
    if typed_total == 0 and correction.close:
        # Nothing as typed, and a near spelling: show its results, saying so.
        result = run(parse(correction.query))
        applied = Spelling(correction.query, result.total, applied=True)
        return result, applied if result.total else None
    if typed_total == 0:
        # Nothing as typed (nothing to count in facets either), but the correction is a
        # guess: offer it.
        corrected_total = run(parse(correction.query), facets=False, size=1).total
        offered = Spelling(correction.query, corrected_total, applied=False)
        return typed, offered if corrected_total else None
    # Unknown words also find their surest correction; the corrected query is offered
    # (« Vouliez-vous dire … ? ») unless it finds less than what was typed.
    result = run(parsed, correction.terms)
    corrected_total = run(parse(correction.query), facets=False, size=1).total
    if corrected_total >= typed_total:
        return result, Spelling(correction.query, corrected_total, applied=False)
    return result, None


def _load_hits(ctx: KbContext, reader: Reader, result: SearchResult,
               with_snippets: bool = True) -> tuple[list[Hit], int]:
    ids = [doc_id for doc_id, _ in result.hits]
    with ctx.sessions() as session:
        query = select(Document).where(Document.id.in_(ids)).options(*LIGHT)
        documents = {d.id: d for d in session.scalars(query)}
    hits: list[Hit] = []
    dropped = 0
    for doc_id, score in result.hits:
        document = documents.get(doc_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            dropped += 1
            continue
        html = snippet(document.text, result.stems, result.folded) if with_snippets else ""
        hits.append(Hit(document, score, Markup(html)))  # noqa: S704 - escaped by `snippet`
    return hits, dropped
