"""BM25F over the cached postings: each query term's frequencies are weighted per field,
normalised by field length, summed, then saturated once (Robertson & Zaragoza 2009).

Public surface: `QueryTerm`, `terms_for()`, `typed_compounds()`, `compound_terms()`, `bm25f()`,
`term_mask()`, `FIELDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import log

import numpy as np

from indexer.analysis.chain import analyze_word
from indexer.analysis.french import TOKEN_PATTERN
from indexer.index.postings import EMPTY_IDS, EMPTY_TF
from indexer.index.snapshot import Snapshot


@dataclass(frozen=True)
class FieldWeight:
    name: str
    weight: float
    b: float
    stemmed: bool


# Title above concept labels above headings above body; names searchable, unstemmed.
FIELDS = (
    FieldWeight("title", 4.0, 0.5, True),
    FieldWeight("concepts", 2.5, 0.3, True),
    FieldWeight("headings", 2.0, 0.5, True),
    FieldWeight("body", 1.0, 0.75, True),
    FieldWeight("authors", 2.0, 0.3, False),
    FieldWeight("territory", 2.0, 0.3, False),
)
K1 = 1.2
# A document tagged with a concept whose label was typed counts like a concept-label match.
CONCEPT_WEIGHT = 2.5
EXACT_WEIGHT = 0.5


@dataclass(frozen=True)
class QueryTerm:
    """One word of the query: its stemmed and folded forms, and documents that a taxonomy
    expansion adds to it as (field, index term) pairs. A prefix (`transi*`) is one word with
    `variants`: the (stemmed, folded) forms of the words it starts, counted together."""

    stemmed: str
    folded: str
    weight: float = 1.0
    extra: tuple[tuple[str, str], ...] = ()
    variants: tuple[tuple[str, str], ...] = ()

    def forms(self) -> tuple[tuple[str, str], ...]:
        return self.variants or ((self.stemmed, self.folded),)


def terms_for(text: str, weight: float = 1.0) -> list[QueryTerm]:
    """The query terms of a piece of text, in order (a compound gives each of its parts)."""
    terms: list[QueryTerm] = []
    for raw in TOKEN_PATTERN.findall(text):
        lowered = raw.lower()
        folded = {(s, e): t for t, s, e, joined in analyze_word(lowered, False, 1) if not joined}
        for term, start, end, joined in analyze_word(lowered, True, 2):
            if not joined:
                terms.append(QueryTerm(term, folded.get((start, end), term), weight))
    return terms


# A hyphenated compound typed whole (« tiers-lieux ») also counts as one word: documents
# that write it so rise above those holding one of its parts alone (« tiers-financement »).
COMPOUND_WEIGHT = 0.5


def typed_compounds(text: str) -> list[str]:
    """The compounds of `text` that have two or more searched parts, as typed
    (« tiers-lieux », « Puy-de-Dôme », not « peinent-ils »)."""
    return [raw for raw in TOKEN_PATTERN.findall(text)
            if sum(1 for piece in analyze_word(raw.lower(), True, 2) if not piece[3]) >= 2]


def compound_terms(text: str) -> list[QueryTerm]:
    """The joined forms of the compounds of `text` (see `typed_compounds`)."""
    terms: list[QueryTerm] = []
    for raw in typed_compounds(text):
        lowered = raw.lower()
        folded = [t for t, _s, _e, joined in analyze_word(lowered, False, 1) if joined]
        terms += [QueryTerm(term, folded[0] if folded else "", COMPOUND_WEIGHT)
                  for term, _s, _e, joined in analyze_word(lowered, True, 2) if joined]
    return terms


def merge_terms(terms: Iterable[QueryTerm]) -> list[QueryTerm]:
    """Repeated terms add up their weights instead of being scored twice."""
    merged: dict[tuple[str, str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]],
                 float] = {}
    for term in terms:
        key = (term.stemmed, term.folded, term.extra, term.variants)
        merged[key] = merged.get(key, 0.0) + term.weight
    return [QueryTerm(s, f, w, x, v) for (s, f, x, v), w in merged.items()]


def _frequencies(snap: Snapshot, term: QueryTerm) -> np.ndarray:
    tf = np.zeros(snap.doc_count, dtype=np.float32)
    for spec in FIELDS:
        lengths, average = snap.lengths(spec.name)
        for stemmed, folded in term.forms():
            key = stemmed if spec.stemmed else folded
            ids, freq = snap.postings(spec.name, key) if key else (EMPTY_IDS, EMPTY_TF)
            if len(ids):
                tf[ids] += spec.weight * freq / (1.0 - spec.b + spec.b * lengths[ids] / average)
    for field, key in term.extra:
        tf[snap.postings(field, key)[0]] += CONCEPT_WEIGHT
    if term.folded and EXACT_WEIGHT:
        # The word as typed (accents aside) counts a little more than its stem's other forms.
        ids = snap.postings("spelling", term.folded)[0]
        tf[ids[tf[ids] > 0]] += EXACT_WEIGHT
    return tf


def bm25f(snap: Snapshot, terms: Sequence[QueryTerm]) -> tuple[np.ndarray, np.ndarray]:
    """Scores of every document, and how many distinct query terms each one matches."""
    scores = np.zeros(snap.doc_count, dtype=np.float32)
    matched = np.zeros(snap.doc_count, dtype=np.int16)
    live = snap.live
    documents = max(int(np.count_nonzero(live)), 1)
    for term in merge_terms(terms):
        tf = _frequencies(snap, term)
        present = tf > 0
        df = int(np.count_nonzero(present & live))
        if not df:
            continue
        idf = log(1.0 + (documents - df + 0.5) / (df + 0.5))
        scores += (term.weight * idf * (K1 + 1.0)) * tf / (K1 + tf)
        matched += present
    return scores, matched


def term_mask(snap: Snapshot, term: QueryTerm) -> np.ndarray:
    """Documents where the term occurs in any searched field."""
    mask = np.zeros(snap.doc_count, dtype=bool)
    for spec in FIELDS:
        for stemmed, folded in term.forms():
            key = stemmed if spec.stemmed else folded
            if key:
                mask[snap.postings(spec.name, key)[0]] = True
    for field, key in term.extra:
        mask[snap.postings(field, key)[0]] = True
    return mask
