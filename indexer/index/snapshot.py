"""One open version of the index, with the per-document arrays that search reuses.

Public surface: `Snapshot(index, key)` with `postings()`, `lengths()`, `facet()`,
`value_mask()`, `visible_mask()`, `dates`, `live`, `doc_id()`, `docnum()`,
`terms_with_prefix()`, `frequent_terms()`, `words_by_initial()` and `phrase_docs()`. Whoosh
readers share file positions, so every read of the index goes through `self.lock`; the
arrays built from them are immutable and shared.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from whoosh.index import Index

from indexer.analysis.chain import SURFACE_MARK
from indexer.analysis.french import name_key
from indexer.index.postings import decode_positions, read_lengths, read_postings, read_values

POSTINGS_BUDGET = 8_000_000  # postings kept in memory, about 64 MB
EMPTY_IDS = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class FacetColumn:
    """The values of one facet field and, as parallel arrays, which document has which."""

    values: list[str]
    docs: np.ndarray  # document numbers
    ords: np.ndarray  # index into `values`

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.ords[mask[self.docs]], minlength=len(self.values))


class Snapshot:
    """A searcher on one version of the index, closed when nobody holds it any more."""

    def __init__(self, index: Index, key: Hashable) -> None:
        self.key = key
        self.lock = threading.RLock()
        self.searcher = index.searcher()
        weakref.finalize(self, self.searcher.close)
        self.doc_count = self.searcher.doc_count_all()  # entries, replaced ones included
        self.live_count = self.searcher.doc_count()  # documents
        self.leaves = list(self.searcher.reader().leaf_readers())
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = \
            OrderedDict()
        self._postings_size = 0
        self._cache: dict[Hashable, object] = {}

    # Not `functools.cached_property`: its lock, shared by all snapshots, would deadlock with
    # `self.lock` when a warming thread and a search meet.
    @property
    def live(self) -> np.ndarray:
        """True for documents not deleted."""
        with self.lock:
            if "live" not in self._cache:
                live = np.ones(self.doc_count, dtype=bool)
                for leaf, base in self.leaves:
                    deleted = sorted(leaf.deleted_docs_set) if leaf.has_deletions() else []
                    live[np.asarray(deleted, dtype=np.int64) + base] = False
                self._cache["live"] = live
            return self._cache["live"]  # type: ignore[return-value]

    @property
    def dates(self) -> np.ndarray:
        """Proleptic ordinal of each document's date, 0 when it has none."""
        with self.lock:
            if "dates" not in self._cache:
                dates = np.zeros(self.doc_count, dtype=np.int32)
                for leaf, base in self.leaves:
                    if leaf.has_column("sortdate"):
                        column = list(leaf.column_reader("sortdate"))
                        dates[base:base + len(column)] = column
                self._cache["dates"] = dates
            return self._cache["dates"]  # type: ignore[return-value]

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and term frequencies of one term, deleted documents included."""
        key = (field, term)
        with self.lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            found = read_postings(self.leaves, field, term)
            self._postings[key] = found
            self._postings_size += len(found[0])
            while self._postings_size > POSTINGS_BUDGET and len(self._postings) > 1:
                _, (ids, _tf) = self._postings.popitem(last=False)
                self._postings_size -= len(ids)
        return found

    def mask_of(self, field: str, terms: Iterable[str]) -> np.ndarray:
        mask = np.zeros(self.doc_count, dtype=bool)
        for term in terms:
            mask[self.postings(field, term)[0]] = True
        return mask

    def value_mask(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Documents having any of `values` in a facet field (cached per value set)."""
        key = ("values", field, frozenset(values))
        if key not in self._cache:
            self._cache[key] = self.mask_of(field, key[2]) & self.live
        return self._cache[key]  # type: ignore[return-value]

    def visible_mask(self, tokens: frozenset[str]) -> np.ndarray:
        """Live documents sharing a visibility token with the reader."""
        return self.value_mask("visibility", tokens)

    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Each document's length in `field`, and the average over live documents."""
        key = ("lengths", field)
        if key not in self._cache:
            with self.lock:
                lengths = read_lengths(self.leaves, field, self.doc_count)
            live = lengths[self.live]
            average = float(live.mean()) if len(live) and live.mean() > 0 else 1.0
            self._cache[key] = (lengths, average)
        return self._cache[key]  # type: ignore[return-value]

    def facet(self, field: str) -> FacetColumn:
        key = ("facet", field)
        if key not in self._cache:
            with self.lock:
                values = [t.decode("utf-8") for t in self.searcher.reader().lexicon(field)]
            docs, ords = [], []
            for number, value in enumerate(values):
                ids = self.postings(field, value)[0]
                docs.append(ids)
                ords.append(np.full(len(ids), number, dtype=np.int32))
            self._cache[key] = FacetColumn(
                values,
                np.concatenate(docs) if docs else EMPTY_IDS,
                np.concatenate(ords) if ords else EMPTY_IDS,
            )
        return self._cache[key]  # type: ignore[return-value]

    def folded_values(self, field: str) -> dict[str, list[str]]:
        """A facet's values by their folded form (« la reunion » -> ["La Réunion"])."""
        key = ("folded", field)
        if key not in self._cache:
            found: dict[str, list[str]] = {}
            for value in self.facet(field).values:
                found.setdefault(name_key(value), []).append(value)
            self._cache[key] = found
        return self._cache[key]  # type: ignore[return-value]

    def doc_id(self, docnum: int) -> str:
        with self.lock:
            return str(self.searcher.stored_fields(int(docnum))["id"])

    def docnum(self, doc_id: str) -> int | None:
        ids = self.postings("id", doc_id)[0]
        alive = [int(d) for d in ids if self.live[d]]
        return alive[0] if alive else None

    def global_frequency(self, field: str, terms: list[str]) -> list[int]:
        """Documents holding each term, deleted ones included, read from the term list only
        (no postings): cheap enough for the hundreds of terms of a whole document."""
        with self.lock:
            reader = self.searcher.reader()
            return [reader.doc_frequency(field, term) for term in terms]

    def doc_frequency(self, field: str, term: str, mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask[self.postings(field, term)[0]]))

    def frequent_terms(self, field: str) -> list[str]:
        """The field's terms, most documents first."""
        with self.lock:
            found = [(info.doc_frequency(), term.decode("utf-8"))
                     for term, info in self.searcher.reader().iter_field(field)]
        return [term for _df, term in sorted(found, reverse=True)]

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """Terms starting with `prefix` and their document frequency (all documents)."""
        with self.lock:
            reader = self.searcher.reader()
            return [(t.decode("utf-8"), reader.doc_frequency(field, t))
                    for t in reader.expand_prefix(field, prefix)]

    def words_by_initial(self, field: str) -> dict[str, list[str]]:
        """The field's words grouped by first letter (for spelling corrections), without the
        « folded\x1fwritten » forms."""
        key = ("initials", field)
        if key not in self._cache:
            groups: dict[str, list[str]] = {}
            with self.lock:
                for term in self.searcher.reader().lexicon(field):
                    word = term.decode("utf-8")
                    if SURFACE_MARK not in word:
                        groups.setdefault(word[:1], []).append(word)
            self._cache[key] = groups
        return self._cache[key]  # type: ignore[return-value]

    def _values(self, field: str, term: str) -> tuple[np.ndarray, list[bytes]]:
        key = ("values", field, term)
        found = self._cache.get(key)
        if found is None:
            with self.lock:
                found = read_values(self.leaves, field, term)
            if len(self._cache) < 20_000:
                self._cache[key] = found
        return found  # type: ignore[return-value]

    def phrase_docs(self, field: str, words: list[str], among: np.ndarray) -> np.ndarray:
        """Documents of `among` where `words` (index terms) follow one another; positions
        are decoded for those documents only."""
        keep = among.copy()
        for word in words:
            keep &= self.mask_of(field, [word])
        starts = decode_positions(*self._values(field, words[0]), keep)
        for offset, word in enumerate(words[1:], start=1):
            if not len(starts):
                break
            following = decode_positions(*self._values(field, word), keep) - offset
            starts = np.intersect1d(starts, following, assume_unique=True)
        return np.unique(starts >> 32).astype(np.int32)
