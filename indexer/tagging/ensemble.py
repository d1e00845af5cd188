"""Label matching and the learned model together, with calibrated confidences (stacking).

Each candidate concept of a document (named by a label, or voted by similar tagged
documents) is described by a few numbers: the label matching's confidence, whether a
narrower concept is named, the neighbours' vote, the closest carrier's similarity, the
similarity to the concept's centroid. A logistic regression, fitted on the training
documents' own candidates as the model saw them without each document (leave one out),
turns them into the probability that people would accept the tag; the threshold is the
one that gave the best F1 on those decisions. A document no tagged document resembles is
left to label matching alone, as if there were no model. No database here.

Public surface: `MIN_TRAINING_DOCUMENTS`, `LearnedTagger.train()`, `.suggest()`,
`.arrays()` / `LearnedTagger.from_arrays()`.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.linear_model import LogisticRegression

from indexer.tagging.neighbours import NeighbourModel, TrainingDocument, Vote
from indexer.tagging.suggestion import ModelEvidence, Suggestion

# The learned tagger starts once this many documents carry decisions.
MIN_TRAINING_DOCUMENTS = 10
MIN_CLASS_EXAMPLES = 5  # accepted and not accepted candidates needed to calibrate
NAMED_NEIGHBOURS = 10  # kept with the tag; the page names the first three the reader may see
FEATURE_NAMES = ("label", "narrower_label", "found", "share", "similarity", "centroid",
                 "label_x_share")

Ancestors = Mapping[str, Sequence[str]]  # concept -> every broader concept, transitively


@dataclass
class Calibration:
    """Logistic regression coefficients and the decision threshold."""

    weights: np.ndarray
    bias: float
    threshold: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))

    def array(self) -> np.ndarray:
        return np.concatenate([self.weights, [self.bias, self.threshold]])

    @classmethod
    def from_array(cls, values: np.ndarray) -> Calibration:
        return cls(values[:-2].copy(), float(values[-2]), float(values[-1]))


def _narrower_labels(labels: Mapping[str, float],
                     ancestors: Ancestors) -> dict[str, tuple[float, str]]:
    """For each concept, the best label confidence among its narrower concepts, and which."""
    found: dict[str, tuple[float, str]] = {}
    for uri, value in sorted(labels.items()):
        for broader in ancestors.get(uri, ()):
            if value > found.get(broader, (0.0, ""))[0]:
                found[broader] = (value, uri)
    return found


def _features(candidates: list[str], labels: Mapping[str, float],
              narrower: Mapping[str, tuple[float, str]], votes: Mapping[str, Vote]) -> np.ndarray:
    rows = []
    for uri in candidates:
        label = labels.get(uri, 0.0)
        vote = votes.get(uri)
        share, similarity, centroid = (vote.share, vote.similarity, vote.centroid) if vote \
            else (0.0, 0.0, 0.0)
        rows.append([label, narrower.get(uri, (0.0, ""))[0], float(uri in labels), share,
                     similarity, centroid, label * share])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))


def _fit(features: np.ndarray, accepted: np.ndarray) -> Calibration | None:
    """The calibration of these candidates, with the threshold of best F1; None when the
    decisions hold too few accepted or not accepted candidates to learn from."""
    positives = int(accepted.sum())
    if positives < MIN_CLASS_EXAMPLES or len(accepted) - positives < MIN_CLASS_EXAMPLES:
        return None
    regression = LogisticRegression(C=1.0, max_iter=1000).fit(features, accepted)
    calibration = Calibration(regression.coef_[0].copy(), float(regression.intercept_[0]), 0.5)
    probabilities = calibration.probabilities(features)
    thresholds = np.arange(0.05, 0.951, 0.025)
    f1 = np.array([2 * float((probabilities >= t)[accepted].sum())
                   / (int((probabilities >= t).sum()) + positives) for t in thresholds])
    # the middle of the thresholds that tie for the best F1: away from both edges
    calibration.threshold = round(float(np.median(thresholds[f1 >= f1.max() - 1e-9])), 3)
    return calibration


class LearnedTagger:
    """The neighbour model and the calibration of its votes with label matching."""

    def __init__(self, model: NeighbourModel, calibration: Calibration) -> None:
        self.model = model
        self.calibration = calibration

    @classmethod
    def train(cls, documents: Sequence[TrainingDocument],
              label_scores: Mapping[str, Mapping[str, float]], ancestors: Ancestors,
              min_examples: int = 1) -> LearnedTagger | None:
        """Train on documents people tagged; `label_scores` gives, per document key, the
        label matching's confidence for every concept it found. None while too few
        decisions exist to learn and calibrate."""
        if len(documents) < MIN_TRAINING_DOCUMENTS:
            return None
        model = NeighbourModel.train(documents, min_examples)
        if model is None:
            return None
        blocks, targets = [], []
        for document, votes in zip(documents, model.training_votes(), strict=True):
            labels = label_scores.get(document.key, {})
            candidates = sorted(set(votes) | set(labels))
            blocks.append(_features(candidates, labels, _narrower_labels(labels, ancestors),
                                    votes))
            targets.extend(uri in document.accepted for uri in candidates)
        calibration = _fit(np.vstack(blocks), np.array(targets, dtype=bool))
        return cls(model, calibration) if calibration is not None else None

    def suggest(self, label_ranked: Sequence[Suggestion], votes: Mapping[str, Vote],
                ancestors: Ancestors, default_threshold: float,
                allowed: Container[str] | None = None) -> tuple[list[Suggestion], float]:
        """Every candidate, best first, with its calibrated confidence, and the threshold
        above which it is suggested. Concepts outside `allowed` are left out. Without votes
        (no similar tagged document), label matching's own ranking and `default_threshold`."""
        if not votes:
            return list(label_ranked), default_threshold
        by_uri = {s.uri: s for s in label_ranked}
        labels = {s.uri: s.confidence for s in label_ranked}
        candidates = sorted(uri for uri in set(votes) | set(labels)
                            if allowed is None or uri in allowed)
        narrower = _narrower_labels(labels, ancestors)
        probabilities = self.calibration.probabilities(
            _features(candidates, labels, narrower, votes))
        result = []
        for uri, probability in zip(candidates, probabilities, strict=True):
            found = by_uri.get(uri)
            suggestion = Suggestion(uri, 0.0, "", [], {}) if found is None else replace(found)
            suggestion.confidence = round(float(probability), 3)
            if uri not in labels and uri in narrower:
                suggestion.narrower = narrower[uri][1]
            vote = votes.get(uri)
            if vote is not None:
                suggestion.model = ModelEvidence(vote.share, vote.support,
                                                 vote.neighbours[:NAMED_NEIGHBOURS])
            result.append(suggestion)
        result.sort(key=lambda s: (-s.confidence, s.uri))
        return result, self.calibration.threshold

    def arrays(self) -> dict[str, np.ndarray]:
        return {**self.model.arrays(), "calibration": self.calibration.array()}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LearnedTagger:
        return cls(NeighbourModel.from_arrays(arrays),
                   Calibration.from_array(arrays["calibration"]))
