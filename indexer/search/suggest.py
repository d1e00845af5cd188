"""Suggestions as you type and spelling corrections, counted only in documents the reader
may see: a word that occurs only in a confidential document is never offered to others.

Everything offered is shown as documents write it (« CRTE », « écologique », « tiers-lieux »),
never as an index key. Public surface: `complete_word(snap, prefix, visible, limit)`,
`correct_word(snap, word, visible)`, `written_form(snap, folded, visible)`.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.analysis.chain import SURFACE_MARK
from indexer.analysis.french import SEPARATORS, fold, stem
from indexer.index.snapshot import Snapshot

MIN_PREFIX = 2
CANDIDATES = 40
MIN_CORRECTED = 4  # shorter words have too many neighbours to guess from


def written_form(snap: Snapshot, folded: str, visible: np.ndarray) -> str:
    """The form under which a folded word is written in most visible documents that have it
    (« ecologique » -> « écologique », « crte » -> « CRTE », « tierslieux » ->
    « tiers-lieux »); the folded word itself when most write it so."""
    total = snap.doc_frequency("spelling", folded, visible)
    forms = [(snap.doc_frequency("spelling", term, visible), term.split(SURFACE_MARK, 1)[1])
             for term, _df in snap.terms_with_prefix("spelling", folded + SURFACE_MARK)]
    # On a tie, the later form in code point order: lowercase and accented letters.
    df, form = max(forms, default=(0, folded))
    return form if df and df * 2 >= total else folded


def complete_word(snap: Snapshot, prefix: str, visible: np.ndarray,
                  limit: int = 8) -> list[tuple[str, int]]:
    """Words starting with `prefix` (accents, case and hyphens ignored: « tiers-l » ->
    « tiers-lieux »), with their number of visible documents, most frequent first; one word
    per stem (« transition », not « transitions »)."""
    folded = SEPARATORS.sub("", fold(prefix.strip()))
    if len(folded) < MIN_PREFIX or not folded.isalnum():
        return []
    words = [(t, df) for t, df in snap.terms_with_prefix("spelling", folded)
             if SURFACE_MARK not in t]
    words.sort(key=lambda item: -item[1])
    by_stem: dict[str, tuple[str, int]] = {}
    for word, _df in words[:CANDIDATES]:
        visible_df = snap.doc_frequency("spelling", word, visible)
        key = stem(word)
        if visible_df and (key not in by_stem or by_stem[key][1] < visible_df):
            by_stem[key] = (word, visible_df)
    ranked = sorted(by_stem.values(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(written_form(snap, word, visible), df) for word, df in ranked]


def correct_word(snap: Snapshot, word: str,
                 visible: np.ndarray) -> tuple[str, int, int] | None:
    """A near spelling found in clearly more visible documents than `word`, if any, as
    (word, visible documents, edit distance); a swap of two letters is one edit."""
    folded = fold(word)
    if len(folded) < MIN_CORRECTED or not folded.isalpha():
        return None
    own = snap.doc_frequency("spelling", folded, visible)
    maxdist = 1 if len(folded) <= 4 else 2
    words = snap.words_by_initial("spelling").get(folded[:1], [])
    best: tuple[int, int, str] | None = None
    for candidate, distance, _index in process.extract(
            folded, words, scorer=OSA.distance, score_cutoff=maxdist, limit=CANDIDATES):
        if candidate == folded:
            continue
        df = snap.doc_frequency("spelling", candidate, visible)
        rank = (int(distance), -df, candidate)
        if df >= max(1, 3 * own) and (best is None or rank < best):
            best = rank
    # A word typed halfway (« transi ») is best completed: count that as two edits.
    for candidate, df in complete_word(snap, folded, visible, 3):
        rank = (2, -df, candidate)
        if fold(candidate) != folded and df >= max(1, 3 * own) and (best is None or rank < best):
            best = rank
    if best is None:
        return None
    return written_form(snap, fold(best[2]), visible), -best[1], best[0]
