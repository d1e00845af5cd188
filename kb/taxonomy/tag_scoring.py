"""Score documents from their stored analysis (and the learned tagger) and store suggestions.

No spaCy here: label evidence comes from each document's analysis, so a new learned model
re-scores the whole base in seconds. A tag a person decided on is never touched.

Public surface: `Scorer` (`Scorer.load(ctx, learned)`, `.rank(items)`, `.kept(ranked,
threshold)`), `score_documents(ctx, ids, scorer, report)`, `store_suggestions(...)`,
`explanation(suggestion)`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from more_itertools import chunked
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.tagging.label_tagger import (
    MAX_TAGS,
    TAGGER_VERSION,
    THRESHOLD,
    Evidence,
    evidence_from_records,
    label_suggestions,
)
from indexer.tagging.suggestion import Suggestion
from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.models import Concept, Document, DocumentAnalysis, DocumentTag, utcnow
from kb.taxonomy.learning import (
    LearnedState,
    concept_ancestors,
    label_statistics,
    model_text,
    tagging_schemes,
)

CHUNK = 200
Ranked = tuple[list[Suggestion], float]  # every candidate best first, and the threshold


class Counts(Protocol):
    suggested: int
    removed: int
    kept_decisions: int


@dataclass
class Scorer:
    """Everything needed to score documents: label statistics, the concepts allowed, the
    hierarchy and the learned tagger (if any)."""

    frequencies: Counter[str]
    documents: int
    schemes: dict[str, str]  # concept -> its scheme, for every concept that may be suggested
    ancestors: dict[str, tuple[str, ...]]
    learned: LearnedState

    @classmethod
    def load(cls, ctx: KbContext, learned: LearnedState) -> Scorer:
        with ctx.sessions() as session:
            frequencies, documents = label_statistics(session)
            return cls(frequencies, documents, tagging_schemes(session),
                       concept_ancestors(session), learned)

    def rank(self, items: Sequence[tuple[str, dict[str, Evidence], str]]) -> list[Ranked]:
        """For each (key, label evidence, text): its candidates and threshold."""
        tagger = self.learned.tagger
        votes = tagger.model.votes([key for key, _e, _t in items], [t for _k, _e, t in items]) \
            if tagger is not None else [{}] * len(items)
        result: list[Ranked] = []
        for (_key, evidence, _text), document_votes in zip(items, votes, strict=True):
            labels = [s for s in label_suggestions(evidence, self.frequencies, self.documents)
                      if s.uri in self.schemes]
            if tagger is None:
                result.append((labels, THRESHOLD))
            else:
                result.append(tagger.suggest(labels, document_votes, self.ancestors, THRESHOLD,
                                             self.schemes))
        return result

    def kept(self, ranked: Sequence[Suggestion], threshold: float) -> list[Suggestion]:
        """The suggestions made: above the threshold, the best `MAX_TAGS` of each scheme
        (each thesaurus indexes the document on its own)."""
        per_scheme: Counter[str] = Counter()
        result = []
        for suggestion in ranked:
            scheme = self.schemes.get(suggestion.uri, "")
            if suggestion.confidence >= threshold and per_scheme[scheme] < MAX_TAGS:
                per_scheme[scheme] += 1
                result.append(suggestion)
        return result


def score_documents(ctx: KbContext, ids: Sequence[str], scorer: Scorer, report: Counts) -> int:
    """Score the analysed documents among `ids` and store their suggestions, chunk by chunk
    (one transaction each); documents whose tags changed are re-indexed. Returns how many
    were scored."""
    scored = 0
    with ctx.sessions() as session:
        concept_ids = dict(session.execute(select(Concept.uri, Concept.id)).all())
    for chunk in chunked(ids, CHUNK):
        with ctx.sessions.begin() as session:
            rows = session.execute(
                select(Document, DocumentAnalysis)
                .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                .where(Document.id.in_(chunk)).order_by(Document.id)).all()
            ranked = scorer.rank([(d.id, evidence_from_records(a.evidence), model_text(d))
                                  for d, a in rows])
            changed = []
            for (document, analysis), (candidates, threshold) in zip(rows, ranked, strict=True):
                if store_suggestions(session, document.id, scorer.kept(candidates, threshold),
                                     concept_ids, report):
                    document.index_pending = True
                    changed.append(document.id)
                analysis.scoring_stamp = scorer.learned.stamp
            scored += len(rows)
        index_pending(ctx, changed)
    return scored


def store_suggestions(session: Session, doc_id: str, suggestions: list[Suggestion],
                      concept_ids: dict[str, int], report: Counts) -> bool:
    """Replace the document's automatic suggestions; tags a person decided on or added are
    left exactly as they are. True when the set of indexed concepts changed."""
    existing = {t.concept_id: t for t in session.scalars(
        select(DocumentTag).where(DocumentTag.document_id == doc_id))}
    wanted = {concept_ids[s.uri]: s for s in suggestions if s.uri in concept_ids}
    changed = False
    now = utcnow()
    for concept_id, tag in existing.items():
        if tag.origin != "auto" or tag.state != "suggested":
            report.kept_decisions += 1
            continue
        if concept_id not in wanted:
            session.delete(tag)
            report.removed += 1
            changed = True
    for concept_id, suggestion in wanted.items():
        tag = existing.get(concept_id)
        if tag is not None and (tag.origin != "auto" or tag.state != "suggested"):
            continue
        if tag is None:
            tag = DocumentTag(document_id=doc_id, concept_id=concept_id, origin="auto",
                              state="suggested", created_at=now)
            session.add(tag)
            changed = True
        tag.tagger_version = TAGGER_VERSION
        tag.confidence = suggestion.confidence
        tag.matched_label = suggestion.label[:500] or None
        tag.passages = suggestion.passages
        tag.zones = suggestion.zones
        tag.explanation = explanation(suggestion)
        tag.updated_at = now
        report.suggested += 1
    return changed


def explanation(suggestion: Suggestion) -> dict[str, object]:
    """Why the concept was suggested, as stored with the tag (see `DocumentTag.explanation`)."""
    found: dict[str, object] = {}
    if suggestion.label_confidence is not None:
        found["label_confidence"] = suggestion.label_confidence
    if suggestion.shared_with:
        found["shared_with"] = suggestion.shared_with
        found["disambiguated"] = suggestion.disambiguated
    if suggestion.narrower:
        found["narrower"] = suggestion.narrower
    if suggestion.model is not None:
        found["model"] = {"share": suggestion.model.share, "support": suggestion.model.support,
                          "neighbours": suggestion.model.neighbours}
    return found
