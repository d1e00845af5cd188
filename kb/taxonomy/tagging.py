"""Run the tagger over documents and store its suggestions, never overriding a person.

Batch commands only (`kb ingest`, `kb tag`): the French model takes seconds to load, so no
search and no web request ever comes here. Public surface: `tag_documents(ctx, ids)`,
`tag_after_ingest(ctx, ids)`, `documents_to_tag(ctx, everything)`, `TaggingReport`.
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
from indexer.tagging.label_tagger import TAGGER_VERSION, LabelIndex, Suggestion, find_evidence
from indexer.tagging.label_tagger import score_document as score_evidence
from kb.context import KbContext
from kb.indexing.sync import index_pending
from kb.models import KIND_LABELS, Concept, Document, DocumentAnalysis, DocumentTag, utcnow
from kb.taxonomy.reading import has_taxonomy, tagging_concepts, taxonomy_stamp

log = logging.getLogger(__name__)
CHUNK = 100
_INDEXES: dict[tuple[str, str], LabelIndex] = {}


@dataclass
class TaggingReport:
    documents: int = 0
    suggested: int = 0
    removed: int = 0
    kept_decisions: int = 0
    words: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


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
    """Analyse the documents, store their analysis and automatic tags, chunk by chunk (one
    transaction each); documents whose tags changed are then re-indexed."""
    report = TaggingReport()
    ids = list(dict.fromkeys(ids))
    if not ids or not has_taxonomy(ctx):
        return report
    started = time.perf_counter()
    nlp = load_nlp()
    with ctx.sessions() as session:
        stamp = taxonomy_stamp(session)
        frequencies, analysed_count = _document_frequencies(session, exclude=set(ids))
        concept_ids = dict(session.execute(select(Concept.uri, Concept.id)).all())
    for chunk in chunked(ids, CHUNK):
        with ctx.sessions() as session:
            sources = [source_text(d) for d in session.scalars(
                select(Document).where(Document.id.in_(chunk)))]
        analysed = list(analyse_documents(sources, nlp, batch_size))
        with ctx.sessions.begin() as session:
            changed = _store_chunk(session, analysed, stamp, nlp, frequencies,
                                   analysed_count, concept_ids, report)
            analysed_count += len(analysed)
        index_pending(ctx, changed)
        if progress:
            progress(len(analysed))
    report.seconds = time.perf_counter() - started
    return report


def _store_chunk(session: Session, analysed: list[AnalysedDocument], stamp: str, nlp: Any,
                 frequencies: Counter[str], analysed_count: int, concept_ids: dict[str, int],
                 report: TaggingReport) -> list[str]:
    evidences = {}
    for document in analysed:
        index = label_index(session, stamp, document.language, nlp)
        evidences[document.key] = find_evidence(document, index)
        frequencies.update(list(evidences[document.key]))
    changed: list[str] = []
    total = analysed_count + len(analysed)
    for document in analysed:
        record = session.get(Document, document.key)
        if record is None:  # deleted meanwhile
            continue
        evidence = evidences[document.key]
        suggestions = score_evidence(evidence, frequencies, total)
        _store_analysis(session, record, document, evidence, stamp)
        if store_suggestions(session, record.id, suggestions, concept_ids, report):
            record.index_pending = True
            changed.append(record.id)
        report.documents += 1
        report.words += document.words
        report.languages[document.language] += 1
    return changed


def _store_analysis(session: Session, record: Document, document: AnalysedDocument,
                    evidence: dict[str, Any], stamp: str) -> None:
    analysis = session.get(DocumentAnalysis, record.id) or DocumentAnalysis(document_id=record.id)
    analysis.content_hash = record.content_hash
    analysis.taxonomy_stamp = stamp
    analysis.tagger_version = TAGGER_VERSION
    analysis.language = document.language
    analysis.words = document.words
    analysis.concepts = sorted(evidence)
    analysis.evidence = {uri: {"weight": item.weight, "label": item.best_label,
                               "zones": dict(item.zones)} for uri, item in evidence.items()}
    analysis.entities = document.entity_facets()
    analysis.phrases = document.top_phrases()
    analysis.analysed_at = utcnow()
    session.add(analysis)


def store_suggestions(session: Session, doc_id: str, suggestions: list[Suggestion],
                      concept_ids: dict[str, int], report: TaggingReport) -> bool:
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
        tag.matched_label = suggestion.label[:500]
        tag.passages = suggestion.passages
        tag.zones = suggestion.zones
        tag.updated_at = now
        report.suggested += 1
    return changed


def _document_frequencies(session: Session, exclude: set[str]) -> tuple[Counter[str], int]:
    frequencies: Counter[str] = Counter()
    count = 0
    for doc_id, concepts in session.execute(
            select(DocumentAnalysis.document_id, DocumentAnalysis.concepts)):
        if doc_id not in exclude:
            frequencies.update(concepts)
            count += 1
    return frequencies, count


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
