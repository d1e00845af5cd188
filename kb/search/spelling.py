"""Spelling help: each unknown word of a query (found in no document the reader may see)
replaced by its nearest spelling among those documents. Nothing is corrected in text that
looks like markup or code, nor in a prefix (`transi*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from indexer.analysis.french import TOKEN_PATTERN, fold, is_stopword
from indexer.index.snapshot import Snapshot
from indexer.search.query import ParsedQuery
from indexer.search.ranking import QueryTerm, term_mask, terms_for
from indexer.search.suggest import correct_word, written_form

MAX_WORDS = 12  # beyond that, a query is not a few mistyped words
# A correction also searched silently: one edit (or swap) away from a long word, a typo
# rather than another word (« gaspilage », « experiance », but not « rendu » -> « rend »).
SURE_LENGTH = 5
SURE_WEIGHT = 0.6  # below a typed word: the guess may still be another word
# A correction applied without asking changes a word by one edit, or two in a long word
# (« biodiversitée », « tranzition »; not « alert » -> « agent »).
CLOSE_LENGTH = 8
# Tags, braces, calls, operators, addresses: `<script>alert(1)</script>`, `a && b`, `x => y`.
CODE = re.compile(r"<\s*/?\s*[a-z!][^>]*>|[{}\\]|\w\(|=>|==|&&|\|\||\$\(|://", re.IGNORECASE)


def looks_like_code(text: str) -> bool:
    return bool(CODE.search(text))


@dataclass
class Correction:
    """The corrected query text, and each corrected word with the edit distance."""

    query: str
    words: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def close(self) -> bool:
        """Near enough to what was typed to be searched instead without asking."""
        return all(distance <= (2 if len(typed) >= CLOSE_LENGTH else 1)
                   for typed, _fixed, distance in self.words)

    @property
    def terms(self) -> list[QueryTerm]:
        """Query terms for the corrections sure enough to be searched without asking."""
        return [term for typed, fixed, distance in self.words
                if distance == 1 and len(typed) >= SURE_LENGTH
                for term in terms_for(fixed, SURE_WEIGHT)]


def correct_query(snap: Snapshot, visible: np.ndarray, query: str,
                  parsed: ParsedQuery) -> Correction | None:
    """The query with its unknown words corrected, or None when none could be. Filters and
    excluded words are left as typed; known words typed without their accents get them
    back in the corrected query (« transiton ecologique » -> « transition écologique »)."""
    skipped = [f.span for f in parsed.filters]
    replaced: list[tuple[int, int, str]] = []
    unaccented: list[tuple[int, int, str]] = []
    words: list[tuple[str, str, int]] = []
    for match in list(TOKEN_PATTERN.finditer(query))[:MAX_WORDS]:
        start, end = match.span()
        if any(s <= start < e for s, e in skipped) or query[max(0, start - 1):start] == "-" \
                or query[end:end + 1] == "*":
            continue
        word = match.group()
        folded = fold(word)
        if is_stopword(folded, 2) or not folded.isalpha():
            continue
        if snap.doc_frequency("spelling", folded, visible) or _stem_found(snap, word, visible):
            if word == folded:
                unaccented.append((start, end, folded))
            continue
        correction = correct_word(snap, word, visible)
        if correction is None:
            continue
        replaced.append((start, end, correction[0]))
        words.append((word, correction[0], correction[2]))
    if not words:
        return None
    # Accents are looked up only now: most queries need no correction at all.
    replaced += [(start, end, written_form(snap, folded, visible))
                 for start, end, folded in unaccented]
    corrected = query
    for start, end, text in sorted(replaced, reverse=True):
        corrected = corrected[:start] + text + corrected[end:]
    return Correction(corrected, words)


def _stem_found(snap: Snapshot, word: str, visible: np.ndarray) -> bool:
    """True when the word's stem is found (« africaines » meets « africains »)."""
    return any(bool((term_mask(snap, term) & visible).any()) for term in terms_for(word))
