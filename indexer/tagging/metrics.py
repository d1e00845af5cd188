"""Subject indexing metrics, as `annif eval` prints them, and a naive baseline.

Public surface: `Scores`, `SystemScores`, `score(gold, kept, ranked)`, `naive_tags(texts,
labels)`. `kept` are the concepts a tagger suggests; `ranked` every candidate best first
(for F1@1 and F1@5, which do not depend on the tagger's threshold).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Tags = Mapping[str, Sequence[str]]  # document key -> concept URIs, best first


@dataclass
class Scores:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0


@dataclass
class SystemScores:
    micro: Scores
    macro: Scores  # mean over documents
    f1_at_1: float  # micro F1 of the first concept of each document
    accuracy_at_1: float  # share of documents whose first concept is right
    f1_at_5: float  # micro F1 of the first five


def _prf(found: int, predicted: int, expected: int) -> Scores:
    precision = found / predicted if predicted else 0.0
    recall = found / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _micro(gold: Mapping[str, set[str]], predicted: Tags, depth: int | None) -> Scores:
    found = proposed = expected = 0
    for key, wanted in gold.items():
        guess = set(list(predicted.get(key, []))[:depth])
        found += len(guess & wanted)
        proposed += len(guess)
        expected += len(wanted)
    return _prf(found, proposed, expected)


def score(gold: Mapping[str, set[str]], kept: Tags, ranked: Tags) -> SystemScores:
    """Micro and macro precision, recall, F1 of `kept`; F1@1, accuracy@1, F1@5 of `ranked`."""
    per_document = [_prf(len(set(kept.get(key, [])) & wanted), len(set(kept.get(key, []))),
                         len(wanted)) for key, wanted in gold.items()]
    count = len(per_document) or 1
    macro = Scores(*(sum(getattr(s, name) for s in per_document) / count
                     for name in ("precision", "recall", "f1")))
    first_right = sum(1 for key, wanted in gold.items()
                      if list(ranked.get(key, []))[:1] and list(ranked[key])[0] in wanted)
    return SystemScores(_micro(gold, kept, None), macro, _micro(gold, ranked, 1).f1,
                        first_right / count, _micro(gold, ranked, 5).f1)


def naive_tags(texts: Mapping[str, str], labels: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Concepts whose label occurs verbatim in the lower-cased text, most frequent first."""
    patterns = {uri: [(label.lower(), re.compile(r"(?<!\w)" + re.escape(label.lower())
                                                 + r"(?!\w)")) for label in values]
                for uri, values in labels.items()}
    result: dict[str, list[str]] = {}
    for key, text in texts.items():
        lowered = text.lower()
        # The substring test is what spares the regular expression on most labels.
        counts = Counter({uri: sum(len(p.findall(lowered)) for needle, p in found
                                   if needle in lowered)
                          for uri, found in patterns.items()})
        result[key] = [uri for uri, n in counts.most_common() if n > 0]
    return result
