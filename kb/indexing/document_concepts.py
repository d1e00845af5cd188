"""The concepts of documents as the index needs them: URIs and labels of their tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import Concept, DocumentTag


@dataclass
class DocumentConcepts:
    """A document's tags that are not rejected, as the index needs them."""

    uris: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def concepts_by_document(session: Session, doc_ids: list[str]) -> dict[str, DocumentConcepts]:
    """URIs and preferred and alternative labels of the documents' tags that are not
    rejected, in one query for a whole batch (a search for a synonym finds the tagged
    document; facets count its concepts)."""
    found: dict[str, DocumentConcepts] = defaultdict(DocumentConcepts)
    if not doc_ids:
        return found
    rows = session.execute(
        select(DocumentTag.document_id, Concept.uri, Concept.pref_labels, Concept.alt_labels)
        .join(Concept, Concept.id == DocumentTag.concept_id)
        .where(DocumentTag.document_id.in_(doc_ids), DocumentTag.state != "rejected"))
    for doc_id, uri, pref, alt in rows:
        concepts = found[doc_id]
        concepts.uris.append(uri)
        concepts.labels.extend(dict.fromkeys(text for text, _lang in [*pref, *alt]))
    return found
