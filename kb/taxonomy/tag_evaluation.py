"""Evaluate the taggers against gold tags, beside a naive baseline (exact label strings).

Public surface: `read_gold(path)`, `evaluate_tags(ctx, gold, scheme_uri=None, folds=None,
gold_concepts_only=False)` -> `TagEvaluation`, `write_predictions(path, evaluation)`.
Nothing is written to the database: documents whose stored analysis is out of date are
analysed afresh in memory. Without `folds`, the taggers are scored as they stand (the
learned one as last trained by `kb tag`); with `folds`, the gold documents are split in K
parts and the learned tagger, trained on K-1 of them as if their gold tags had been
accepted, tags the last (see `kb.taxonomy.tag_crossval`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.nlp.documents import analyse_documents
from indexer.nlp.pipeline import load_nlp
from indexer.tagging.label_tagger import (
    TAGGER_VERSION,
    Evidence,
    evidence_from_records,
    find_evidence,
)
from indexer.tagging.metrics import SystemScores, naive_tags, score
from kb.context import KbContext
from kb.errors import InvalidInput, NotFound
from kb.models import Concept, ConceptScheme, Document, DocumentAnalysis
from kb.taxonomy.learning import LearnedState, learned_tagger, model_text
from kb.taxonomy.reading import taxonomy_stamp
from kb.taxonomy.tag_crossval import (
    EvaluationItem,
    Predictions,
    Run,
    cross_validate,
    project,
    run,
)
from kb.taxonomy.tag_files import DocumentKeys, read_tag_lines
from kb.taxonomy.tag_scoring import Scorer
from kb.taxonomy.tagging import label_index, source_text

Gold = dict[str, set[str]]  # source key as written in the gold file -> concept URIs
MAX_WRITTEN = 30  # candidates written per document by --out


@dataclass
class SystemResult:
    name: str
    scores: SystemScores


@dataclass
class TagEvaluation:
    documents: int
    gold_tags: int
    systems: list[SystemResult]
    predictions: Predictions  # the main tagger's candidates, best first, per gold key
    folds: int | None = None
    missing_documents: list[str] = field(default_factory=list)
    unknown_concepts: list[str] = field(default_factory=list)
    # Gold documents the learned tagger was trained on (their scores are not held out).
    seen_in_training: int = 0
    notes: list[str] = field(default_factory=list)


def read_gold(path: Path) -> Gold:
    """`source_key<TAB>concept_uri` lines; a header line of any names, blank lines and `#`
    comments are allowed. A malformed line is an error naming it."""
    lines, errors = read_tag_lines(path)
    if errors:
        raise InvalidInput(errors[0])
    gold: Gold = {}
    for line in lines:
        gold.setdefault(line.key, set()).add(line.concept_uri)
    if not gold:
        raise InvalidInput(f"{path.name} : aucune étiquette de référence")
    return gold


def _scheme_concepts(session: Session, scheme_uri: str) -> set[str]:
    scheme_id = session.scalar(select(ConceptScheme.id).where(ConceptScheme.uri == scheme_uri))
    if scheme_id is None:
        raise NotFound(f"schéma « {scheme_uri} » introuvable (kb taxonomy list)")
    return set(session.scalars(select(Concept.uri).where(Concept.scheme_id == scheme_id)))


def _evidence(session: Session, documents: dict[str, Document]) -> dict[str, dict[str, Evidence]]:
    """Each document's label evidence: from its stored analysis when current, else analysed
    anew in memory (nothing is stored)."""
    stamp = taxonomy_stamp(session)
    evidence: dict[str, dict[str, Evidence]] = {}
    stale = []
    for document in documents.values():
        analysis = session.get(DocumentAnalysis, document.id)
        if analysis is not None and (analysis.content_hash, analysis.taxonomy_stamp,
                                     analysis.tagger_version) == (
                document.content_hash, stamp, TAGGER_VERSION):
            evidence[document.id] = evidence_from_records(analysis.evidence)
        else:
            stale.append(source_text(document))
    if stale:
        nlp = load_nlp()
        for analysed in analyse_documents(stale, nlp):
            index = label_index(session, stamp, analysed.language, nlp)
            evidence[analysed.key] = find_evidence(analysed, index)
    return evidence


def _items(ctx: KbContext, gold: Gold) -> tuple[list[EvaluationItem], list[str], dict[str, str]]:
    """The gold documents found in the base, the keys not found, and their texts."""
    with ctx.sessions() as session:
        keys = DocumentKeys(session)
        found = {key: keys.find(key) for key in gold}
        ids = {key: doc_id for key, doc_id in found.items() if doc_id}
        documents = {d.id: d for d in session.scalars(
            select(Document).where(Document.id.in_(sorted(set(ids.values())))))}
        evidence = _evidence(session, documents)
        items = [EvaluationItem(key, doc_id, evidence[doc_id], model_text(documents[doc_id]))
                 for key, doc_id in sorted(ids.items())]
        texts = {key: f"{documents[doc_id].title}\n{documents[doc_id].text}"
                 for key, doc_id in ids.items()}
    return items, sorted(key for key, doc_id in found.items() if not doc_id), texts


def _scorer(ctx: KbContext, items: list[EvaluationItem], learned: LearnedState) -> Scorer:
    """Label statistics as tagging would see them, the evaluated documents' fresh evidence
    counted in place of their stored analyses."""
    scorer = Scorer.load(ctx, learned)
    with ctx.sessions() as session:
        stored = dict(session.execute(select(DocumentAnalysis.document_id,
                                             DocumentAnalysis.concepts)).all())
    for item in items:
        scorer.frequencies.subtract(stored.get(item.doc_id, []))
        scorer.frequencies.update(list(item.evidence))
    scorer.documents += sum(1 for item in items if item.doc_id not in stored)
    return scorer


def evaluate_tags(ctx: KbContext, gold: Gold, scheme_uri: str | None = None,
                  folds: int | None = None, gold_concepts_only: bool = False) -> TagEvaluation:
    """Score the taggers' suggestions for the gold documents, and the baseline; with
    `scheme_uri`, only that scheme's concepts count; with `gold_concepts_only`, predictions
    are brought onto the gold file's concepts (a narrower one counts for its ancestor there,
    others are dropped), for a gold file that indexes one level of a tree."""
    with ctx.sessions() as session:
        known = set(session.scalars(select(Concept.uri)))
        scope = _scheme_concepts(session, scheme_uri) if scheme_uri else None
        labels = {c.uri: [*c.labels("pref"), *c.labels("alt"), *c.labels("hidden")]
                  for c in session.scalars(select(Concept).where(Concept.deprecated.is_(False)))}
    unknown = sorted({u for tags in gold.values() for u in tags} - known)
    if scope is not None:
        gold = {key: tags & scope for key, tags in gold.items() if tags & scope}
        labels = {uri: values for uri, values in labels.items() if uri in scope}
    items, missing, texts = _items(ctx, gold)
    evaluated = {item.key: gold[item.key] for item in items}
    learned = learned_tagger(ctx, train=False)
    scorer = _scorer(ctx, items, learned)
    runs, notes = cross_validate(scorer, items, evaluated, folds) if folds else \
        (_as_they_stand(scorer, items), [])
    naive = naive_tags(texts, labels)
    runs.append(Run("Référence naïve (libellés exacts)",
                    {key: [(uri, 1.0) for uri in found] for key, found in naive.items()},
                    naive))
    vocabulary = set().union(*evaluated.values()) if gold_concepts_only else None
    systems = []
    for tagger in runs:
        ranked = project(tagger.ranked, scope, vocabulary, scorer.ancestors)
        kept = project({key: [(uri, 1.0) for uri in found] for key, found in tagger.kept.items()},
                       scope, vocabulary, scorer.ancestors)
        systems.append(SystemResult(tagger.name, score(
            evaluated, {key: [uri for uri, _c in found] for key, found in kept.items()},
            {key: [uri for uri, _c in found] for key, found in ranked.items()})))
    main = project(runs[-2].ranked, scope, vocabulary, scorer.ancestors)
    seen = 0 if folds or learned.tagger is None else len(
        {item.doc_id for item in items} & set(learned.tagger.model.keys))
    return TagEvaluation(len(evaluated), sum(len(t) for t in evaluated.values()), systems,
                         main, folds, missing, unknown, seen, notes)


def _as_they_stand(scorer: Scorer, items: list[EvaluationItem]) -> list[Run]:
    """The taggers as kb runs them now: label matching, with the learned tagger when one
    has been trained (and label matching alone beside it, for comparison)."""
    if scorer.learned.tagger is None:
        return [run("Étiqueteur", scorer, items)]
    labels_only = replace(scorer, learned=LearnedState(None, scorer.learned.fingerprint))
    return [run("Libellés seuls", labels_only, items),
            run("Étiqueteur (libellés + appris)", scorer, items)]


def write_predictions(path: Path, evaluation: TagEvaluation) -> None:
    """`source_key<TAB>concept_uri<TAB>confidence`, best first per document, so that the
    predictions can be ranked or cut at any threshold outside kb."""
    lines = ["source_key\tconcept_uri\tconfidence"]
    for key in sorted(evaluation.predictions):
        lines += [f"{key}\t{uri}\t{confidence:.3f}"
                  for uri, confidence in evaluation.predictions[key][:MAX_WRITTEN]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


