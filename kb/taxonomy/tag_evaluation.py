"""Evaluate the tagger against gold tags, beside a naive baseline (exact label strings).

Public surface: `read_gold(path)`, `evaluate_tags(ctx, gold)` -> `TagEvaluation`,
`write_predictions(path, predictions)`, `Scores`. Nothing is written to the database:
documents whose stored analysis is out of date are analysed afresh in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.nlp.documents import analyse_documents
from indexer.nlp.pipeline import load_nlp
from indexer.tagging.label_tagger import TAGGER_VERSION, Evidence, find_evidence, score_document
from kb.context import KbContext
from kb.errors import InvalidInput
from kb.models import Concept, Document, DocumentAnalysis
from kb.taxonomy.reading import taxonomy_stamp
from kb.taxonomy.tagging import label_index, source_text

Tags = dict[str, list[str]]  # source key -> concept URIs, best first


@dataclass
class Scores:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0


@dataclass
class SystemScores:
    micro: Scores
    macro: Scores
    f1_at_5: float


@dataclass
class TagEvaluation:
    documents: int
    gold_tags: int
    tagger: SystemScores
    baseline: SystemScores
    predictions: Tags
    missing_documents: list[str] = field(default_factory=list)
    unknown_concepts: list[str] = field(default_factory=list)


def read_gold(path: Path) -> dict[str, set[str]]:
    """`source_key<TAB>concept_uri` lines; a header line and blank lines are allowed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name} : lecture impossible ({exc})") from exc
    gold: dict[str, set[str]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\r").split("\t")
        if number == 1 and parts[:2] == ["source_key", "concept_uri"]:
            continue
        if len(parts) != 2 or not parts[0].strip() or ":" not in parts[1]:
            raise InvalidInput(f"{path.name}, ligne {number} : attendu « clé<TAB>URI du "
                               "concept »")
        gold.setdefault(parts[0].strip(), set()).add(parts[1].strip())
    if not gold:
        raise InvalidInput(f"{path.name} : aucune étiquette de référence")
    return gold


def _prf(found: int, predicted: int, expected: int) -> Scores:
    precision = found / predicted if predicted else 0.0
    recall = found / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def score(gold: dict[str, set[str]], predicted: Tags, ranked: Tags) -> SystemScores:
    """Micro (over all pairs) and macro (mean over documents) scores, and F1 of the top 5."""
    totals = [0, 0, 0]
    per_document: list[Scores] = []
    top = [0, 0, 0]
    for key, expected in gold.items():
        guess = set(predicted.get(key, []))
        found = len(guess & expected)
        totals = [totals[0] + found, totals[1] + len(guess), totals[2] + len(expected)]
        per_document.append(_prf(found, len(guess), len(expected)))
        five = set(ranked.get(key, [])[:5])
        top = [top[0] + len(five & expected), top[1] + len(five), top[2] + len(expected)]
    count = len(per_document) or 1
    macro = Scores(*(sum(getattr(s, name) for s in per_document) / count
                     for name in ("precision", "recall", "f1")))
    return SystemScores(_prf(*totals), macro, _prf(*top).f1)


def baseline_tags(texts: dict[str, str], labels: dict[str, list[str]]) -> Tags:
    """Concepts whose label occurs verbatim in the lower-cased text, most frequent first."""
    patterns = {uri: [re.compile(r"(?<!\w)" + re.escape(label.lower()) + r"(?!\w)")
                      for label in values] for uri, values in labels.items()}
    result: Tags = {}
    for key, text in texts.items():
        lowered = text.lower()
        counts = Counter({uri: sum(len(p.findall(lowered)) for p in found)
                          for uri, found in patterns.items()})
        result[key] = [uri for uri, n in counts.most_common() if n > 0]
    return result


def _stored_evidence(analysis: DocumentAnalysis) -> dict[str, Evidence]:
    """Evidence rebuilt from a current analysis (no passages: not needed to score)."""
    found = {}
    for uri, item in analysis.evidence.items():
        zones = Counter({str(z): int(n) for z, n in dict(item.get("zones", {})).items()})
        found[uri] = Evidence(uri, zones, Counter({str(item.get("label", "")): 1}))
    return found


def _evidence(session: Session, documents: list[Document]) -> dict[str, dict[str, Evidence]]:
    """Each document's evidence: from its stored analysis when current, else analysed anew
    in memory (nothing is stored)."""
    stamp = taxonomy_stamp(session)
    evidence: dict[str, dict[str, Evidence]] = {}
    stale = []
    for document in documents:
        analysis = session.get(DocumentAnalysis, document.id)
        if analysis is not None and (analysis.content_hash, analysis.taxonomy_stamp,
                                     analysis.tagger_version) == (
                document.content_hash, stamp, TAGGER_VERSION):
            evidence[document.id] = _stored_evidence(analysis)
        else:
            stale.append(source_text(document))
    if stale:
        nlp = load_nlp()
        for analysed in analyse_documents(stale, nlp):
            index = label_index(session, stamp, analysed.language, nlp)
            evidence[analysed.key] = find_evidence(analysed, index)
    return evidence


def evaluate_tags(ctx: KbContext, gold: dict[str, set[str]]) -> TagEvaluation:
    """Score the tagger's suggestions for the gold documents, and the baseline."""
    with ctx.sessions() as session:
        documents = {d.source_key: d for d in session.scalars(
            select(Document).where(Document.source_key.in_(list(gold))))}
        known = set(session.scalars(select(Concept.uri)))
        evaluated_ids = {d.id for d in documents.values()}
        others = [concepts for doc_id, concepts in session.execute(
            select(DocumentAnalysis.document_id, DocumentAnalysis.concepts))
            if doc_id not in evaluated_ids]
        labels = {c.uri: [*c.labels("pref"), *c.labels("alt"), *c.labels("hidden")]
                  for c in session.scalars(select(Concept).where(Concept.deprecated.is_(False)))}
        evidence = _evidence(session, list(documents.values()))
    frequencies: Counter[str] = Counter()
    for concepts in [*others, *(list(e) for e in evidence.values())]:
        frequencies.update(concepts)
    total = len(others) + len(evidence)
    by_id = {d.id: key for key, d in documents.items()}
    predicted: Tags = {}
    ranked: Tags = {}
    for doc_id, found in evidence.items():
        key = by_id[doc_id]
        predicted[key] = [s.uri for s in score_document(found, frequencies, total)]
        ranked[key] = [s.uri for s in score_document(found, frequencies, total, 0.0, 100)]
    texts = {key: f"{d.title}\n{d.text}" for key, d in documents.items()}
    evaluated = {key: tags for key, tags in gold.items() if key in documents}
    baseline = baseline_tags(texts, labels)
    return TagEvaluation(
        documents=len(evaluated), gold_tags=sum(len(t) for t in evaluated.values()),
        tagger=score(evaluated, predicted, ranked),
        baseline=score(evaluated, baseline, baseline),
        predictions=predicted,
        missing_documents=sorted(set(gold) - set(documents)),
        unknown_concepts=sorted({u for tags in gold.values() for u in tags} - known))


def write_predictions(path: Path, predictions: Tags) -> None:
    lines = ["source_key\tconcept_uri"]
    lines += [f"{key}\t{uri}" for key in sorted(predictions) for uri in predictions[key]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
