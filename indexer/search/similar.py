"""« Documents similaires »: the terms that best characterise a document (tf-idf), plus its
themes, searched with BM25F among the documents the reader may see.

Public surface: `key_terms(snap, text, limit)`, `similar(snap, doc_id, text, theme_keys,
visible, limit)`.
"""

from __future__ import annotations

from collections import Counter
from math import log, log1p

import numpy as np

from indexer.analysis.chain import french_analyzer
from indexer.index.snapshot import Snapshot
from indexer.search.ranking import QueryTerm, bm25f

KEY_TERMS = 25
MAX_TEXT = 60_000  # characters read from a long document; its opening characterises it


def key_terms(snap: Snapshot, text: str, limit: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The document's most distinctive stemmed terms with a weight (log tf × idf)."""
    counts = Counter(t.text for t in french_analyzer()(text[:MAX_TEXT], mode="query"))
    documents = max(int(np.count_nonzero(snap.live)), 1)
    candidates = [t for t in counts if len(t) >= 3 and not t.isdigit()]
    weighted = []
    for term, df in zip(candidates, snap.global_frequency("body", candidates), strict=True):
        if df < 2:  # a word no other document has cannot relate documents
            continue
        weighted.append((term, (1 + log(counts[term])) * log1p(documents / df)))
    weighted.sort(key=lambda item: -item[1])
    return weighted[:limit]


def similar(snap: Snapshot, doc_id: str, text: str, theme_keys: list[str],
            visible: frozenset[str], limit: int = 5) -> list[tuple[str, float]]:
    """Up to `limit` other visible documents closest to this one, best first."""
    terms = key_terms(snap, text)
    if not terms and not theme_keys:
        return []
    top = terms[0][1] if terms else 1.0
    query = [QueryTerm(term, "", weight / top) for term, weight in terms]
    query += [QueryTerm("", "", 0.5, (("theme", key),)) for key in theme_keys]
    scores, matched = bm25f(snap, query)
    mask = snap.visible_mask(visible) & (matched > 0)
    own = snap.docnum(doc_id)
    if own is not None:
        mask[own] = False
    candidates = np.flatnonzero(mask)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit - 1)[:limit]]
    candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
    return [(snap.doc_id(d), float(scores[d])) for d in candidates]
