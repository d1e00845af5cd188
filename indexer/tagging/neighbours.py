"""The learned tagger's memory: documents people tagged, as TF-IDF vectors, and their concepts.

A document is described by the stems of its words (the search's French analysis: elisions,
inclusive writing, accents, stop words), hashed into a fixed space so that no vocabulary
has to be kept, weighted by log term frequency and inverse document frequency, and
normalised. For a new document the model gives each concept a `Vote`: the share of the
most similar tagged documents that carry it (those that rejected it count against), the
similarity of the closest of them, and the similarity to the concept's centroid (all its
documents together, as Annif's `tfidf` backend does). No database here.

Public surface: `MIN_EXAMPLES`, `TrainingDocument`, `Vote`, `NeighbourModel.train()`,
`.votes(keys, texts)`, `.training_votes()` (each training document voted on by the others),
`.arrays()` / `NeighbourModel.from_arrays()` (persistence as plain arrays).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from indexer.analysis.chain import TOKEN_PATTERN, analyze_word

# A concept is learned once this many documents carry it (accepted or added by a person).
MIN_EXAMPLES = 2
FEATURES = 2**20
NEIGHBOURS = 10
# Neighbours' similarities are raised to this power: the closest documents weigh most.
SHARPNESS = 2.0
MAX_TEXT_CHARS = 30_000
# Terms kept per document, the heaviest: similarities cost in proportion to the terms two
# documents share, and the light ones hardly move them (within ±0.015 of accuracy on
# tagging-spf-dev, for half the time on 1,500-word documents).
MAX_TERMS = 300
CHUNK = 256  # documents compared at once (a dense CHUNK x training-documents block)
NAMED = 10  # neighbours kept per concept, for the explanation
# Below this cosine similarity a tagged document is not « similar »: a document with none
# gets no vote at all, and label matching alone speaks for it.
SIMILAR = 0.1
CENTROID_CANDIDATES = 5


def document_terms(text: str) -> list[str]:
    """The stems of a text's words, stop words left out (cached per distinct word)."""
    terms = []
    for match in TOKEN_PATTERN.finditer(text[:MAX_TEXT_CHARS]):
        for term, _start, _end, joined in analyze_word(match.group().lower()):
            if not joined:
                terms.append(term)
    return terms


_HASHER = HashingVectorizer(analyzer=document_terms, n_features=FEATURES,
                            alternate_sign=False, norm=None, dtype=np.float32)


@dataclass(frozen=True)
class TrainingDocument:
    """A document with the concepts people gave it (`accepted`) and refused (`rejected`)."""

    key: str
    text: str
    accepted: frozenset[str]
    rejected: frozenset[str] = frozenset()


@dataclass
class Vote:
    """What the tagged documents say of one concept for one document."""

    share: float  # similarity-weighted share of the nearest documents carrying it, in [0, 1]
    similarity: float  # cosine similarity of the closest document carrying it
    centroid: float  # cosine similarity with all its documents together
    support: int  # how many similar documents carry it
    neighbours: list[str]  # keys of the closest of them, closest first


class NeighbourModel:
    """Tagged documents as rows of a sparse matrix, and their concepts."""

    def __init__(self, keys: list[str], matrix: sparse.csr_matrix, idf: np.ndarray,
                 concepts: list[str], labels: sparse.csr_matrix) -> None:
        self.keys = keys
        self.matrix = matrix  # documents x features, rows of norm 1
        self.idf = idf  # features, float32
        self.concepts = concepts
        self.labels = labels  # documents x concepts: 1 accepted, -1 rejected
        positives = (labels > 0).astype(np.float32).tocsr()
        self.sums = (positives.T @ matrix).tocsr()  # concepts x features
        # transposed once: every comparison multiplies by them
        self.matrix_t = matrix.T.tocsr()
        self.sums_t = self.sums.T.tocsr()
        self.sum_norms = np.sqrt(np.asarray(self.sums.multiply(self.sums).sum(axis=1)).ravel())
        by_concept = positives.tocsc()
        self.carriers = [by_concept.indices[by_concept.indptr[c]:by_concept.indptr[c + 1]]
                         for c in range(len(concepts))]
        self.positive_columns = [positives.indices[positives.indptr[r]:positives.indptr[r + 1]]
                                 for r in range(len(keys))]

    @classmethod
    def train(cls, documents: Sequence[TrainingDocument],
              min_examples: int = MIN_EXAMPLES) -> NeighbourModel | None:
        """The model of the concepts carried by `min_examples` documents or more; None when
        there is none yet."""
        counts: dict[str, int] = {}
        for document in documents:
            for uri in document.accepted:
                counts[uri] = counts.get(uri, 0) + 1
        concepts = sorted(uri for uri, count in counts.items() if count >= min_examples)
        if not concepts:
            return None
        column = {uri: index for index, uri in enumerate(concepts)}
        counts_matrix = _HASHER.transform(d.text for d in documents).tocsr()
        frequency = np.bincount(counts_matrix.indices, minlength=FEATURES)
        idf = np.log((1 + len(documents)) / (1 + frequency)).astype(np.float32) + 1
        entries = [(row, column[uri], 1.0) for row, document in enumerate(documents)
                   for uri in document.accepted if uri in column]
        entries += [(row, column[uri], -1.0) for row, document in enumerate(documents)
                    for uri in document.rejected - document.accepted if uri in column]
        rows, cols, values = zip(*entries, strict=True) if entries else ((), (), ())
        labels = sparse.csr_matrix((np.array(values, dtype=np.float32), (rows, cols)),
                                   shape=(len(documents), len(concepts)))
        return cls([d.key for d in documents], _weigh(counts_matrix, idf), idf, concepts,
                   labels)

    def vectorise(self, texts: Iterable[str]) -> sparse.csr_matrix:
        return _weigh(_HASHER.transform(texts).tocsr(), self.idf)

    def votes(self, keys: Sequence[str], texts: Sequence[str]) -> list[dict[str, Vote]]:
        """Each document's votes from the tagged documents; a tagged document is voted on by
        the others only (it is not its own neighbour) and is not vectorised again."""
        rows = {key: row for row, key in enumerate(self.keys)}
        selves = np.array([rows.get(key, -1) for key in keys], dtype=np.int64)
        fresh = np.flatnonzero(selves < 0)
        stacked = sparse.vstack([self.matrix, self.vectorise([texts[i] for i in fresh])]) \
            if len(fresh) else self.matrix
        picked = selves.copy()
        picked[fresh] = len(self.keys) + np.arange(len(fresh))
        return self._votes(sparse.csr_matrix(stacked)[picked], selves)

    def training_votes(self) -> list[dict[str, Vote]]:
        """Each tagged document's votes from all the others (leave one out): what the model
        would have said of it, to calibrate confidences on decisions it did not see."""
        return self._votes(self.matrix, np.arange(len(self.keys)))

    def _votes(self, vectors: sparse.csr_matrix, selves: np.ndarray) -> list[dict[str, Vote]]:
        result: list[dict[str, Vote]] = []
        for start in range(0, vectors.shape[0], CHUNK):
            block = vectors[start:start + CHUNK]
            own = selves[start:start + CHUNK]
            similarities = (block @ self.matrix_t).toarray()
            centroid_dots = (block @ self.sums_t).toarray()
            training = np.flatnonzero(own >= 0)
            similarities[training, own[training]] = -1.0
            for row in range(block.shape[0]):
                self_row = int(own[row]) if own[row] >= 0 else None
                result.append(self._document_votes(similarities[row], centroid_dots[row],
                                                   self_row))
        return result

    def _document_votes(self, similarities: np.ndarray, centroid_dots: np.ndarray,
                        self_row: int | None) -> dict[str, Vote]:
        """Votes for the concepts of the nearest documents and of the nearest centroids;
        none at all when no tagged document is similar enough (the model has nothing to
        say of a subject it never saw)."""
        count = min(NEIGHBOURS, len(similarities) - (self_row is not None))
        if count <= 0 or similarities.max() < SIMILAR:
            return {}
        nearest = np.argpartition(-similarities, count - 1)[:count]
        nearest = nearest[similarities[nearest] > 0]
        weights = similarities[nearest] ** SHARPNESS
        shares = self._shares(nearest, weights / float(weights.sum()))
        cosines = self._centroid_cosines(centroid_dots, self_row)
        candidates = set(np.flatnonzero(shares > 0).tolist())
        by_centroid = min(CENTROID_CANDIDATES, len(cosines))
        candidates.update(np.argpartition(-cosines, by_centroid - 1)[:by_centroid].tolist())
        votes: dict[str, Vote] = {}
        for column in sorted(candidates):
            carriers = self.carriers[column]
            if self_row is not None:
                carriers = carriers[carriers != self_row]
            close = carriers[similarities[carriers] >= SIMILAR]
            if not len(close):
                continue
            close = close[np.argsort(-similarities[close], kind="stable")]
            votes[self.concepts[column]] = Vote(
                round(max(0.0, float(shares[column])), 4), float(similarities[close[0]]),
                round(float(cosines[column]), 4), len(close),
                [self.keys[i] for i in close[:NAMED]])
        return votes

    def _shares(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Per concept, the weights of the rows carrying it (minus those rejecting it)."""
        labels = self.labels
        spans = [(labels.indptr[r], labels.indptr[r + 1]) for r in rows]
        columns = np.concatenate([labels.indices[a:b] for a, b in spans])
        values = np.concatenate([labels.data[a:b] * w for (a, b), w in zip(spans, weights,
                                                                            strict=True)])
        return np.bincount(columns, values, minlength=len(self.concepts))

    def _centroid_cosines(self, dots: np.ndarray, self_row: int | None) -> np.ndarray:
        """Cosine with each concept's centroid; a training document's own vector is taken
        out of the centroids of its concepts (leave one out)."""
        norms = self.sum_norms.copy()
        dots = dots.copy()
        if self_row is not None:
            own = self.positive_columns[self_row]
            norms[own] = np.sqrt(np.maximum(norms[own] ** 2 - 2 * dots[own] + 1.0, 0.0))
            dots[own] -= 1.0
        return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 1e-6)

    def arrays(self) -> dict[str, np.ndarray]:
        """The model as plain arrays (for `numpy.savez`, loaded without pickle)."""
        return {"keys": np.array(self.keys, dtype=str),
                "concepts": np.array(self.concepts, dtype=str),
                "data": self.matrix.data, "indices": self.matrix.indices,
                "indptr": self.matrix.indptr, "idf_features": np.flatnonzero(
                    self.idf != self.idf.max()).astype(np.int32),
                "idf_values": self.idf[self.idf != self.idf.max()],
                "idf_default": np.array([self.idf.max()], dtype=np.float32),
                "label_data": self.labels.data, "label_indices": self.labels.indices,
                "label_indptr": self.labels.indptr}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> NeighbourModel:
        keys = [str(k) for k in arrays["keys"]]
        concepts = [str(c) for c in arrays["concepts"]]
        matrix = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                   shape=(len(keys), FEATURES))
        idf = np.full(FEATURES, float(arrays["idf_default"][0]), dtype=np.float32)
        idf[arrays["idf_features"]] = arrays["idf_values"]
        labels = sparse.csr_matrix((arrays["label_data"], arrays["label_indices"],
                                    arrays["label_indptr"]), shape=(len(keys), len(concepts)))
        return cls(keys, matrix, idf, concepts, labels)


def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Log term frequency times inverse document frequency, the `MAX_TERMS` heaviest terms
    of each document kept, rows of norm 1."""
    weighted = counts.copy()
    weighted.data = np.log1p(weighted.data) * idf[weighted.indices]
    for row in range(weighted.shape[0]):
        start, end = weighted.indptr[row], weighted.indptr[row + 1]
        if end - start > MAX_TERMS:
            values = weighted.data[start:end]
            values[values < np.partition(values, end - start - MAX_TERMS)[
                end - start - MAX_TERMS]] = 0.0
    weighted.eliminate_zeros()
    return normalize(weighted, copy=False).astype(np.float32)
