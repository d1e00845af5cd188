"""Run the taggers over documents and store their suggestions, never overriding a person.

Batch commands only (`kb ingest`, `kb tag`): the French model takes seconds to load, so no
search and no web request ever comes here. Public surface: `tag_documents(ctx, ids)`,
`tag_after_ingest(ctx, ids)`, `documents_to_tag(ctx, everything)`, `label_index(...)`,
`source_text(document)`, `TaggingReport`.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from more_itertools import chunked
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.nlp.documents import AnalysedDocument, SourceText, analyse_documents, tokenise_labels
from indexer.nlp.pipeline import load_nlp
from indexer.tagging.label_tagger import (
    TAGGER_VERSION,
    Evidence,
    LabelIndex,
    evidence_record,
    find_evidence,
)
from kb.context import KbContext
from kb.models import KIND_LABELS, Document, DocumentAnalysis, utcnow
from kb.taxonomy.candidates import refresh_candidates
from kb.taxonomy.learning import LearnedState, learned_tagger
from kb.taxonomy.reading import has_taxonomy, tagging_concepts, taxonomy_stamp
from kb.taxonomy.tag_scoring import Scorer, score_documents

log = logging.getLogger(__name__)
CHUNK = 100
_INDEXES: dict[tuple[str, str], LabelIndex] = {}


@dataclass
class TaggingReport:
    documents: int = 0  # analysed
    rescored: int = 0  # scored again from their analysis (the learned tagger changed)
    suggested: int = 0
    removed: int = 0
    kept_decisions: int = 0
    words: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    learned: LearnedState | None = None


def label_index(session: Session, stamp: str, language: str, nlp: Any = None) -> LabelIndex:
    """The label index of the current taxonomy in one language, built once per process."""
    key = (stamp, language)
    if key not in _INDEXES:
        if len(_INDEXES) > 4:
            _INDEXES.clear()
        concepts = tagging_concepts(session, language)
        _INDEXES[key] = LabelIndex.build(
            concepts, lambda texts: tokenise_labels(texts, language, nlp))
    return _INDEXES[key]


def source_text(document: Document) -> SourceText:
    headings = [str(s.get("heading")) for s in document.sections if s.get("heading")]
    metadata = [KIND_LABELS.get(document.kind, ""), *document.themes]
    return SourceText(document.id, document.title, document.text, headings, metadata,
                      document.language)


def documents_to_tag(ctx: KbContext, everything: bool = False) -> list[str]:
    """Every document, or those whose text, taxonomy or tagger changed since their analysis."""
    with ctx.sessions() as session:
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
        if everything:
            return ids
        stamp = taxonomy_stamp(session)
        current = {
            doc_id for doc_id, in session.execute(
                select(DocumentAnalysis.document_id)
                .join(Document, Document.id == DocumentAnalysis.document_id)
                .where(DocumentAnalysis.content_hash == Document.content_hash,
                       DocumentAnalysis.taxonomy_stamp == stamp,
                       DocumentAnalysis.tagger_version == TAGGER_VERSION))
        }
    return [doc_id for doc_id in ids if doc_id not in current]


def tag_documents(ctx: KbContext, ids: Iterable[str], batch_size: int = 64,
                  progress: Callable[[int], None] | None = None) -> TaggingReport:
    """Analyse the documents and store their analysis, chunk by chunk (one transaction each);
    train the learned tagger again if people's decisions changed; then score the analysed
    documents (every document when the learned tagger changed) and store their
    suggestions. Documents whose tags changed are re-indexed, and the candidate concepts
    recomputed from the new analyses."""
    report = TaggingReport()
    ids = list(dict.fromkeys(ids))
    if not has_taxonomy(ctx):
        return report
    started = time.perf_counter()
    if ids:
        _analyse(ctx, ids, batch_size, progress, report)
    report.learned = learned_tagger(ctx)
    with ctx.sessions() as session:
        stale = set(session.scalars(select(DocumentAnalysis.document_id).where(
            DocumentAnalysis.scoring_stamp != report.learned.stamp)))
    report.rescored = len(stale - set(ids))
    score_documents(ctx, sorted(stale | set(ids)), Scorer.load(ctx, report.learned), report)
    if ids:
        refresh_candidates(ctx)  # the candidates page follows every tagging run
    report.seconds = time.perf_counter() - started
    return report


def _analyse(ctx: KbContext, ids: list[str], batch_size: int,
             progress: Callable[[int], None] | None, report: TaggingReport) -> None:
    nlp = load_nlp()
    with ctx.sessions() as session:
        stamp = taxonomy_stamp(session)
    for chunk in chunked(ids, CHUNK):
        with ctx.sessions() as session:
            sources = [source_text(d) for d in session.scalars(
                select(Document).where(Document.id.in_(chunk)))]
        analysed = list(analyse_documents(sources, nlp, batch_size))
        with ctx.sessions.begin() as session:
            for document in analysed:
                record = session.get(Document, document.key)
                if record is None:  # deleted meanwhile
                    continue
                index = label_index(session, stamp, document.language, nlp)
                _store_analysis(session, record, document, find_evidence(document, index),
                                stamp)
                report.documents += 1
                report.words += document.words
                report.languages[document.language] += 1
        if progress:
            progress(len(analysed))


def _store_analysis(session: Session, record: Document, document: AnalysedDocument,
                    evidence: dict[str, Evidence], stamp: str) -> None:
    analysis = session.get(DocumentAnalysis, record.id) or DocumentAnalysis(document_id=record.id)
    analysis.content_hash = record.content_hash
    analysis.taxonomy_stamp = stamp
    analysis.tagger_version = TAGGER_VERSION
    analysis.scoring_stamp = ""  # scored next
    analysis.language = document.language
    analysis.words = document.words
    analysis.concepts = sorted(evidence)
    analysis.evidence = {uri: evidence_record(item) for uri, item in evidence.items()}
    analysis.entities = document.entity_facets()
    analysis.phrases = document.top_phrases()
    analysis.analysed_at = utcnow()
    session.add(analysis)


def tag_after_ingest(ctx: KbContext, ids: Iterable[str]) -> str | None:
    """Tag freshly ingested documents; a failure is logged and returned, never raised, so the
    ingestion report stands (`kb tag --changed` finishes the work)."""
    ids = list(ids)
    if not ids:
        return None
    try:
        tag_documents(ctx, ids)
    except Exception as exc:  # noqa: BLE001 - tagging must not undo an ingestion
        log.exception("tagging after ingestion failed")
        return f"étiquetage automatique échoué ({exc}) ; lancez « kb tag --changed »"
    return None
