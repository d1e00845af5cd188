"""Candidate concepts: frequent noun phrases of the documents that no concept covers.

Public surface: `refresh_candidates(ctx, min_documents)`, `list_candidates(ctx, reader)`,
`promote_candidate(ctx, reader, id, ...)` (a new concept), `candidate_as_synonym(ctx,
reader, id, concept_uri)` (an altLabel of the concept chosen, which is required),
`dismiss_candidate(ctx, reader, id)`. Candidates are recomputed after each tagging run, with
no spaCy run: the phrases come from the documents' stored analyses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from indexer.nlp.match_keys import plain_tokens
from indexer.tagging.label_tagger import LabelIndex
from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import CandidateConcept, Document, DocumentAnalysis, utcnow
from kb.taxonomy.editing import add_alt_label, create_concept
from kb.taxonomy.reading import tagging_concepts
from kb.taxonomy.tag_review import can_review_tags
from kb.visibility import Reader, can_read


@dataclass
class CandidateDocument:
    id: str
    source_key: str
    title: str
    occurrences: int


@dataclass
class CandidateView:
    id: int
    label: str
    document_count: int
    occurrences: int
    status: str
    concept_uri: str | None
    documents: list[CandidateDocument] = field(default_factory=list)


def refresh_candidates(ctx: KbContext, min_documents: int = 3) -> int:
    """Recompute open candidates; dismissed and promoted ones keep their status. Returns the
    number of open candidates."""
    with ctx.sessions() as session:
        covered = LabelIndex.build(tagging_concepts(session), lambda texts: [
            plain_tokens(t, label=True) for t in texts])
        phrases: dict[str, dict[str, int]] = {}
        labels: dict[str, Counter[str]] = {}
        for doc_id, found in session.execute(select(DocumentAnalysis.document_id,
                                                    DocumentAnalysis.phrases)):
            for key, (label, count) in found.items():
                phrases.setdefault(key, {})[doc_id] = int(count)
                labels.setdefault(key, Counter())[str(label)] += int(count)
    kept = {key: docs for key, docs in phrases.items()
            if len(docs) >= min_documents and not covered.matches(
                plain_tokens(labels[key].most_common(1)[0][0]))}
    with ctx.sessions.begin() as session:
        existing = {c.key: c for c in session.scalars(select(CandidateConcept))}
        for key, docs in kept.items():
            candidate = existing.get(key) or CandidateConcept(key=key[:300], status="open")
            candidate.label = labels[key].most_common(1)[0][0][:300]
            candidate.documents = docs
            candidate.document_count = len(docs)
            candidate.occurrences = sum(docs.values())
            candidate.updated_at = utcnow()
            session.add(candidate)
        stale = [c.id for key, c in existing.items() if key not in kept and c.status == "open"]
        if stale:
            session.execute(delete(CandidateConcept).where(CandidateConcept.id.in_(stale)))
    return sum(1 for key in kept if key not in existing or existing[key].status == "open")


def list_candidates(ctx: KbContext, reader: Reader, status: str = "open",
                    limit: int = 100) -> list[CandidateView]:
    """Candidates by number of documents; only documents the reader may see are listed and
    counted, and a candidate seen in none of them is left out."""
    with ctx.sessions() as session:
        rows = session.scalars(select(CandidateConcept).where(CandidateConcept.status == status)
                               .order_by(CandidateConcept.document_count.desc(),
                                         CandidateConcept.occurrences.desc(),
                                         CandidateConcept.label)).all()
        ids = {doc_id for c in rows for doc_id in c.documents}
        documents = {d.id: d for d in session.scalars(
            select(Document).where(Document.id.in_(ids)))} if ids else {}
    views: list[CandidateView] = []
    for candidate in rows:
        visible = [CandidateDocument(d.id, d.source_key, d.title, candidate.documents[d.id])
                   for d in (documents.get(i) for i in candidate.documents)
                   if d is not None and can_read(reader, d.visibility, d.groups)]
        if not visible:
            continue
        visible.sort(key=lambda d: (-d.occurrences, d.title.casefold()))
        views.append(CandidateView(candidate.id, candidate.label, len(visible),
                                   sum(d.occurrences for d in visible), candidate.status,
                                   candidate.concept_uri, visible))
        if len(views) >= limit:
            break
    return views


def _decide(ctx: KbContext, reader: Reader, candidate_id: int, status: str,
            concept_uri: str | None = None) -> None:
    with ctx.sessions.begin() as session:
        candidate = session.get(CandidateConcept, candidate_id)
        if candidate is None:
            raise NotFound("Candidat introuvable.")
        candidate.status = status
        candidate.concept_uri = concept_uri
        candidate.decided_by = reader.user_id
        candidate.decided_at = utcnow()


def _open_candidate(ctx: KbContext, reader: Reader, candidate_id: int) -> CandidateConcept:
    if not can_review_tags(reader):
        raise Forbidden("Votre rôle ne permet pas de gérer les concepts candidats.")
    with ctx.sessions() as session:
        candidate = session.get(CandidateConcept, candidate_id)
        if candidate is None:
            raise NotFound("Candidat introuvable.")
        if candidate.status != "open":
            raise InvalidInput("ce candidat a déjà été traité")
        return candidate


def promote_candidate(ctx: KbContext, reader: Reader, candidate_id: int, *,
                      broader_uri: str | None = None, pref_label: str | None = None) -> str:
    """Make the candidate a new concept (under `broader_uri`, else at the top); returns its
    URI. Documents are re-tagged by `kb tag --changed`."""
    candidate = _open_candidate(ctx, reader, candidate_id)
    uri = create_concept(ctx, reader, (pref_label or candidate.label).strip(),
                         broader_uri=broader_uri)
    _decide(ctx, reader, candidate_id, "promoted", uri)
    return uri


def candidate_as_synonym(ctx: KbContext, reader: Reader, candidate_id: int,
                         concept_uri: str | None) -> str:
    """Add the candidate as a synonym (altLabel) of the concept chosen; without a concept,
    refused (it would otherwise become a concept of its own)."""
    candidate = _open_candidate(ctx, reader, candidate_id)
    if not (concept_uri or "").strip():
        raise InvalidInput(f"concept : choisissez le concept dont « {candidate.label} » est un "
                           "synonyme")
    uri = add_alt_label(ctx, reader, str(concept_uri).strip(), candidate.label.strip())
    _decide(ctx, reader, candidate_id, "promoted", uri)
    return uri


def dismiss_candidate(ctx: KbContext, reader: Reader, candidate_id: int) -> None:
    """Dismiss a candidate: it will not be proposed again."""
    _open_candidate(ctx, reader, candidate_id)
    _decide(ctx, reader, candidate_id, "dismissed")
