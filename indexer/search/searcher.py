"""Ranked search over one index snapshot, restricted by the reader's visibility tokens.

Public surface: `SearchRequest`, `SearchResult`, `search(snap, request)`, `word_terms()`;
snippets come from `indexer.search.snippets.snippet` with the result's `stems` and `folded`
words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.analysis.chain import SURFACE_MARK
from indexer.analysis.french import name_key, stem
from indexer.index.snapshot import Snapshot
from indexer.search.facets import FACET_FIELDS, count_facets, filter_masks
from indexer.search.query import ParsedQuery, prefix_key
from indexer.search.ranking import (
    QueryTerm,
    bm25f,
    compound_terms,
    term_mask,
    terms_for,
    typed_compounds,
)

PHRASE_FIELDS = ("title", "headings", "body")
NAME_FIELDS = ("territory_facet", "author_facet")
MIN_NAME = 4
MIN_PREFIX = 2
PREFIX_WORDS = 50  # a prefix stands for its most frequent words
SORTS = ("pertinence", "date")


@dataclass
class SearchRequest:
    """What to look for: a parsed query, the reader's tokens and facet choices (index keys)."""

    query: ParsedQuery
    visible: frozenset[str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    expansions: list[QueryTerm] = field(default_factory=list)
    page: int = 1
    per_page: int = 10
    sort: str = "pertinence"
    facets: bool = True


@dataclass
class SearchResult:
    """One page of ranked ids, the total, facet counts and the words to highlight; with the
    compounds typed (« tiers-lieux »), how many of the documents found write them whole."""

    total: int
    hits: list[tuple[str, float]] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    stems: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()
    compounds: list[str] = field(default_factory=list)
    with_compounds: int = 0


def prefix_term(snap: Snapshot, key: str) -> QueryTerm | None:
    """The words starting with `key` (a folded prefix), most frequent first, as one query
    word; None when no word starts so."""
    if len(key) < MIN_PREFIX or not key.isalnum():
        return None
    found = sorted(((df, word) for word, df in snap.terms_with_prefix("spelling", key)
                    if SURFACE_MARK not in word), reverse=True)[:PREFIX_WORDS]
    variants = tuple(dict.fromkeys((stem(word), word) for _df, word in found))
    return QueryTerm("", "", 1.0, variants=variants) if variants else None


def word_terms(snap: Snapshot, text: str) -> list[QueryTerm] | None:
    """The query terms of a word, a phrase or a prefix; None for a prefix of no word."""
    key = prefix_key(text)
    if key is None:
        return terms_for(text)
    term = prefix_term(snap, key)
    return [term] if term else None


def _positive_terms(snap: Snapshot, query: ParsedQuery,
                    expansions: list[QueryTerm]) -> list[QueryTerm] | None:
    """Every term that ranks documents; None when a prefix typed matches no word at all."""
    terms: list[QueryTerm] = []
    for text in query.positive:
        found = word_terms(snap, text)
        if found is None:
            return None
        terms += found
    compounds = [t for text in query.positive for t in compound_terms(text)]
    return terms + compounds + expansions


def _name_terms(snap: Snapshot, query: ParsedQuery) -> list[QueryTerm]:
    """A query that is a whole place or person name (« La Réunion », whose « la » is a stop
    word) also finds the documents of that territory or author (« Département de La
    Réunion »)."""
    typed = name_key(" ".join(query.positive))
    if len(typed) < MIN_NAME:
        return []
    return [QueryTerm("", "", 1.0, ((field, value),))
            for field in NAME_FIELDS for key, values in snap.folded_values(field).items()
            if f" {typed} " in f" {key} " for value in values]


def _any_mask(snap: Snapshot, terms: list[QueryTerm]) -> np.ndarray:
    mask = np.zeros(snap.doc_count, dtype=bool)
    for term in terms:
        mask |= term_mask(snap, term)
    return mask


def _phrase_mask(snap: Snapshot, text: str, among: np.ndarray) -> np.ndarray:
    """Documents of `among` holding the phrase in a title, a heading or the body."""
    terms = terms_for(text)
    if len(terms) <= 1:
        return _any_mask(snap, terms) & among if terms else among.copy()
    mask = np.zeros(snap.doc_count, dtype=bool)
    words = [t.stemmed for t in terms]
    for name in PHRASE_FIELDS:
        mask[snap.phrase_docs(name, words, among)] = True
    return mask


def _base(snap: Snapshot, request: SearchRequest,
          positive: list[QueryTerm]) -> tuple[np.ndarray, np.ndarray] | None:
    """Documents the query matches among visible ones, and their scores. Exclusions alone
    (`-transition`) list every visible document but the excluded ones."""
    query = request.query
    terms = positive + (_name_terms(snap, query) if positive else [])
    visible = snap.visible_mask(request.visible)
    if terms:
        scores, matched = bm25f(snap, terms)
        base = visible & (matched > 0)
    elif request.filters or query.filters or query.excluded:
        scores, base = np.zeros(snap.doc_count, dtype=np.float32), visible.copy()
    else:
        return None
    for word in query.required:
        for term in word_terms(snap, word) or []:
            base &= term_mask(snap, term)
    for phrase in query.phrases:
        base &= _phrase_mask(snap, phrase, base)
    for excluded in query.excluded:
        base &= ~(_phrase_mask(snap, excluded, base) if " " in excluded.strip()
                  else _any_mask(snap, word_terms(snap, excluded) or []))
    return base, scores


def _order(snap: Snapshot, selected: np.ndarray, scores: np.ndarray, sort: str,
           wanted: int) -> np.ndarray:
    """The first `wanted` documents, in a stable order: pages never overlap."""
    candidates = np.flatnonzero(selected)
    dates = snap.dates[candidates]
    if sort == "date":
        return candidates[np.lexsort((candidates, -scores[candidates], -dates))][:wanted]
    if len(candidates) > wanted:
        # Keep every document scoring at least the wanted-th score, ties included.
        kth = np.partition(-scores[candidates], wanted - 1)[wanted - 1]
        keep = -scores[candidates] <= kth
        candidates, dates = candidates[keep], dates[keep]
    # Ties (browsing by filters only) show the newest first.
    return candidates[np.lexsort((candidates, -dates, -scores[candidates]))][:wanted]


def _highlighted(terms: list[QueryTerm]) -> tuple[frozenset[str], frozenset[str]]:
    """The stemmed and folded words to mark in snippets."""
    forms = [form for term in terms for form in term.forms()]
    return (frozenset(stemmed for stemmed, _ in forms if stemmed),
            frozenset(folded for _, folded in forms if folded))


def _with_compounds(snap: Snapshot, compounds: list[str], selected: np.ndarray) -> int:
    """How many selected documents write every compound typed, hyphenated or not."""
    mask = selected.copy()
    for compound in compounds:
        mask &= _phrase_mask(snap, compound, mask)
    return int(np.count_nonzero(mask))


def search(snap: Snapshot, request: SearchRequest) -> SearchResult:
    """Rank documents the reader may see; facets count only those documents."""
    terms = _positive_terms(snap, request.query, request.expansions)
    if terms is None:
        return SearchResult(0)
    found = _base(snap, request, terms)
    stems, folded = _highlighted(terms)
    if found is None:
        return SearchResult(0, stems=stems, folded=folded)
    base, scores = found
    masks = filter_masks(snap, request.filters)
    selected = base
    for mask in masks.values():
        selected = selected & mask
    page, per_page = max(1, request.page), max(1, request.per_page)
    ordered = _order(snap, selected, scores, request.sort, page * per_page)
    hits = [(snap.doc_id(d), float(scores[d])) for d in ordered[(page - 1) * per_page:]]
    facets = count_facets(snap, base, masks) if request.facets else {}
    compounds = [c for text in request.query.positive for c in typed_compounds(text)]
    with_compounds = _with_compounds(snap, compounds, selected) if compounds else 0
    return SearchResult(int(np.count_nonzero(selected)), hits, facets, stems, folded,
                        compounds, with_compounds)


__all__ = ["FACET_FIELDS", "SORTS", "SearchRequest", "SearchResult", "search", "word_terms"]
