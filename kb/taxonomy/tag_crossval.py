"""K-fold cross-validation of the learned tagger on gold tags, and how predictions are read.

The gold documents are shuffled (fixed seed) and cut in K parts; for each part, a learned
tagger is trained on the K-1 others as if their gold tags had been accepted by people, and
tags that part. Label matching alone is scored on the same documents. Nothing is stored.

Public surface: `EvaluationItem`, `Run`, `Predictions`, `cross_validate(scorer, items,
gold, folds)`, `project(predictions, scope, vocabulary, ancestors)`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from indexer.tagging.ensemble import LearnedTagger
from indexer.tagging.label_tagger import Evidence, label_suggestions
from indexer.tagging.neighbours import TrainingDocument
from kb.errors import InvalidInput
from kb.taxonomy.learning import LearnedState
from kb.taxonomy.tag_scoring import Scorer

Predictions = dict[str, list[tuple[str, float]]]  # gold key -> (concept, confidence) best first
SEED = 7


@dataclass
class EvaluationItem:
    key: str  # as written in the gold file
    doc_id: str
    evidence: dict[str, Evidence]
    text: str  # what the learned tagger reads


@dataclass
class Run:
    """One tagger's output: every candidate ranked, and the suggestions it makes."""

    name: str
    ranked: Predictions
    kept: dict[str, list[str]]


def run(name: str, scorer: Scorer, items: Sequence[EvaluationItem]) -> Run:
    result = Run(name, {}, {})
    ranked = scorer.rank([(item.doc_id, item.evidence, item.text) for item in items])
    for item, (candidates, threshold) in zip(items, ranked, strict=True):
        result.ranked[item.key] = [(s.uri, s.confidence) for s in candidates]
        result.kept[item.key] = [s.uri for s in scorer.kept(candidates, threshold)]
    return result


def cross_validate(scorer: Scorer, items: Sequence[EvaluationItem],
                   gold: Mapping[str, set[str]], folds: int) -> tuple[list[Run], list[str]]:
    """Label matching alone, then the learned tagger with it, each document tagged by a
    tagger that never saw its gold tags; and notes on folds that could not learn."""
    if not 2 <= folds <= len(items):
        raise InvalidInput(f"--folds : entre 2 et le nombre de documents évalués "
                           f"({len(items)}), pas {folds}")
    order = sorted(items, key=lambda item: item.key)
    random.Random(SEED).shuffle(order)
    parts = [order[number::folds] for number in range(folds)]
    labels_only = replace(scorer, learned=LearnedState(None, "labels"))
    learned = Run("Étiqueteur appris (libellés + modèle)", {}, {})
    notes = []
    for number, part in enumerate(parts):
        training = [item for other in parts if other is not part for item in other]
        tagger = _train(labels_only, training, gold)
        if tagger is None:
            notes.append(f"pli {number + 1} : trop peu de décisions pour apprendre, "
                         "libellés seuls")
        fold = run("", replace(scorer, learned=LearnedState(tagger, f"fold-{number}")), part)
        learned.ranked.update(fold.ranked)
        learned.kept.update(fold.kept)
    return [run("Libellés seuls", labels_only, items), learned], notes


def _train(scorer: Scorer, training: Sequence[EvaluationItem],
           gold: Mapping[str, set[str]]) -> LearnedTagger | None:
    documents = [TrainingDocument(item.doc_id, item.text, frozenset(gold[item.key]))
                 for item in training]
    scores = {item.doc_id: {s.uri: s.confidence for s in label_suggestions(
        item.evidence, scorer.frequencies, scorer.documents) if s.uri in scorer.schemes}
        for item in training}
    return LearnedTagger.train(documents, scores, scorer.ancestors)


def project(predictions: Predictions, scope: set[str] | None, vocabulary: set[str] | None,
            ancestors: Mapping[str, Sequence[str]]) -> Predictions:
    """Predictions limited to a scheme's concepts (`scope`) and, with `vocabulary`, brought
    onto those concepts: a narrower concept counts for its ancestors there, with its
    confidence; a concept with none is dropped."""
    result: Predictions = {}
    for key, ranked in predictions.items():
        best: dict[str, float] = {}
        for uri, confidence in ranked:
            if scope is not None and uri not in scope:
                continue
            targets = [uri] if vocabulary is None or uri in vocabulary else \
                [a for a in ancestors.get(uri, ()) if a in vocabulary]
            for target in targets:
                best.setdefault(target, confidence)
        result[key] = sorted(best.items(), key=lambda pair: -pair[1])
    return result
