"""A document's tags as the documentalists review them: accept, reject, add; entities.

Public surface: `can_review_tags(reader)`, `document_tags(ctx, reader, doc_id)` -> `TagView`s,
`set_tag_decision(ctx, reader, doc_id, concept_uri, decision)`, `add_tag(...)`,
`document_entities(ctx, reader, doc_id)`. Every function checks that the reader may see the
document; decisions also need a curator role. Re-tagging never changes a decided tag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.documents.reading import can_edit_metadata
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.indexing.sync import index_pending
from kb.models import Concept, Document, DocumentAnalysis, DocumentTag, utcnow
from kb.visibility import Reader, can_read

DECISIONS = ("accepted", "rejected", "suggested")
STATE_LABELS = {"suggested": "suggérée", "accepted": "acceptée", "rejected": "rejetée"}


@dataclass
class TagView:
    """One tag with everything the document page shows beside it."""

    concept_uri: str
    label: str
    alt_labels: list[str]
    state: str
    origin: str
    tagger_version: str | None
    confidence: float | None
    matched_label: str | None
    passages: list[dict[str, object]] = field(default_factory=list)
    zones: dict[str, int] = field(default_factory=dict)
    decided_by: int | None = None
    decided_at: dt.datetime | None = None
    concept_deprecated: bool = False
    replaced_by: str | None = None
    explanation: dict[str, object] = field(default_factory=dict)
    # Resolved for the reader: the similar documents the learned tagger learnt it from that
    # the reader may see (id, title), concepts sharing the matched label, a narrower concept.
    similar: list[tuple[str, str]] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)
    narrower: str | None = None

    @property
    def learned_from(self) -> int:
        """How many similar documents carrying the concept the reader may see."""
        return len(self.similar)


def can_review_tags(reader: Reader) -> bool:
    """Documentalists (administrators and the qualified collective) decide on tags."""
    return can_edit_metadata(reader)


def _readable(session: Session, reader: Reader, doc_id: str) -> Document:
    document = session.get(Document, doc_id)
    if document is None or not can_read(reader, document.visibility, document.groups):
        raise NotFound("Document introuvable.")
    return document


def document_tags(ctx: KbContext, reader: Reader, doc_id: str) -> list[TagView]:
    """For those who review tags: accepted tags first, then suggestions by confidence, then
    rejected ones, with the tagger's evidence. For everyone else: the accepted tags only, as
    themes, without the tagger's workings (confidence, matched label, passages)."""
    reviewer = can_review_tags(reader)
    with ctx.sessions() as session:
        _readable(session, reader, doc_id)
        rows = session.execute(select(DocumentTag, Concept)
                               .join(Concept, Concept.id == DocumentTag.concept_id)
                               .where(DocumentTag.document_id == doc_id)).all()
        if not reviewer:
            return sorted((TagView(c.uri, c.pref_label, c.labels("alt"), t.state, t.origin,
                                   None, None, None, concept_deprecated=c.deprecated,
                                   replaced_by=c.replaced_by)
                           for t, c in rows if t.state == "accepted"),
                          key=lambda v: v.label.casefold())
        views = [TagView(c.uri, c.pref_label, c.labels("alt"), t.state, t.origin,
                         t.tagger_version, t.confidence, t.matched_label, list(t.passages),
                         dict(t.zones), t.decided_by, t.decided_at, c.deprecated,
                         c.replaced_by, dict(t.explanation or {}))
                 for t, c in rows]
        _resolve_explanations(session, reader, views)
    order = {"accepted": 0, "suggested": 1, "rejected": 2}
    views.sort(key=lambda v: (order[v.state], -(v.confidence or 0.0), v.label.casefold()))
    return views


def _resolve_explanations(session: Session, reader: Reader, views: list[TagView]) -> None:
    """Name what explanations point to: similar documents (only those the reader may see,
    never counted otherwise) and concepts (by their label)."""
    documents: set[str] = set()
    concepts: set[str] = set()
    for view in views:
        model = view.explanation.get("model")
        if isinstance(model, dict):
            documents.update(str(d) for d in model.get("neighbours", []))
        concepts.update(str(u) for u in view.explanation.get("shared_with", []) or [])
        if view.explanation.get("narrower"):
            concepts.add(str(view.explanation["narrower"]))
    titles = {d.id: d.title for d in session.scalars(
        select(Document).where(Document.id.in_(sorted(documents))))
        if can_read(reader, d.visibility, d.groups)} if documents else {}
    labels = dict(session.execute(select(Concept.uri, Concept.pref_label)
                                  .where(Concept.uri.in_(sorted(concepts)))).all()) \
        if concepts else {}
    for view in views:
        model = view.explanation.get("model")
        if isinstance(model, dict):
            view.similar = [(str(d), titles[str(d)]) for d in model.get("neighbours", [])
                            if str(d) in titles]
        view.shared_with = [labels.get(str(u), str(u))
                            for u in view.explanation.get("shared_with", []) or []]
        narrower = view.explanation.get("narrower")
        view.narrower = labels.get(str(narrower), str(narrower)) if narrower else None


def _concept(session: Session, concept_uri: str) -> Concept:
    concept = session.scalar(select(Concept).where(Concept.uri == concept_uri))
    if concept is None:
        raise NotFound("Concept introuvable.")
    return concept


def set_tag_decision(ctx: KbContext, reader: Reader, doc_id: str, concept_uri: str,
                     decision: str) -> TagView:
    """Accept or reject a tag (creating it as a human tag if needed), or put it back to
    `suggested`; the document is re-indexed since its concept labels may change."""
    if decision not in DECISIONS:
        raise InvalidInput(f"décision : « {decision} » inconnue (acceptée, rejetée, suggérée)")
    if not can_review_tags(reader):
        raise Forbidden("Votre rôle ne permet pas de valider les étiquettes.")
    with ctx.sessions.begin() as session:
        document = _readable(session, reader, doc_id)
        concept = _concept(session, concept_uri)
        tag = session.scalar(select(DocumentTag).where(DocumentTag.document_id == doc_id,
                                                       DocumentTag.concept_id == concept.id))
        if tag is None:
            if decision == "suggested":
                raise NotFound("Étiquette introuvable.")
            if concept.deprecated:
                raise InvalidInput(f"concept « {concept.pref_label} » déprécié : choisissez "
                                   "son remplaçant")
            tag = DocumentTag(document_id=doc_id, concept_id=concept.id, origin="human",
                              passages=[], zones={})
            session.add(tag)
        now = utcnow()
        tag.state = decision
        tag.decided_by = reader.user_id if decision != "suggested" else None
        tag.decided_at = now if decision != "suggested" else None
        tag.updated_at = now
        document.index_pending = True
    index_pending(ctx, [doc_id])
    return next(v for v in document_tags(ctx, reader, doc_id) if v.concept_uri == concept_uri)


def add_tag(ctx: KbContext, reader: Reader, doc_id: str, concept_uri: str) -> TagView:
    """A documentalist gives the document a concept: an accepted human tag."""
    return set_tag_decision(ctx, reader, doc_id, concept_uri, "accepted")


def document_entities(ctx: KbContext, reader: Reader, doc_id: str) -> dict[str, dict[str, int]]:
    """Places and organisations named in the document (from its last analysis)."""
    with ctx.sessions() as session:
        _readable(session, reader, doc_id)
        analysis = session.get(DocumentAnalysis, doc_id)
        return dict(analysis.entities) if analysis else {}


def entity_facets(ctx: KbContext, reader: Reader, limit: int = 20) -> dict[str, list[tuple[str,
                                                                                       int]]]:
    """Places and organisations across the documents the reader may see, with the number of
    documents naming each."""
    counts: dict[str, dict[str, int]] = {}
    with ctx.sessions() as session:
        rows = session.execute(select(DocumentAnalysis.entities, Document.visibility,
                                      Document.groups)
                               .join(Document, Document.id == DocumentAnalysis.document_id))
        for entities, visibility, groups in rows:
            if not can_read(reader, visibility, groups):
                continue
            for kind, names in entities.items():
                bucket = counts.setdefault(kind, {})
                for name in names:
                    bucket[name] = bucket.get(name, 0) + 1
    return {kind: sorted(names.items(), key=lambda p: (-p[1], p[0]))[:limit]
            for kind, names in counts.items()}
