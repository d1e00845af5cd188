"""Bring existing indexing in: tags from another system become accepted human tags.

Public surface: `import_tags(ctx, path)` -> `TagImportReport`. One transaction: the file's
good lines are all imported or none; malformed lines, unknown keys and unknown concepts are
reported (each named), never guessed. A decision people took in kb wins over the file: a
rejected tag stays rejected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from more_itertools import chunked
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import InvalidInput
from kb.indexing.sync import index_pending
from kb.models import Concept, Document, DocumentTag, utcnow
from kb.taxonomy.tag_files import DocumentKeys, TagLine, read_tag_lines

CHUNK = 500


@dataclass
class TagImportReport:
    lines: int = 0
    added: int = 0  # new human tags
    confirmed: int = 0  # automatic suggestions now accepted
    unchanged: int = 0  # already accepted
    kept_rejections: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unknown_keys: Counter[str] = field(default_factory=Counter)
    ambiguous_keys: Counter[str] = field(default_factory=Counter)
    unknown_concepts: Counter[str] = field(default_factory=Counter)
    deprecated_concepts: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)


def import_tags(ctx: KbContext, path: Path) -> TagImportReport:
    """Import `path` (`source_key<TAB>concept_uri` lines) as accepted human tags."""
    lines, errors = read_tag_lines(path)
    report = TagImportReport(lines=len(lines) + len(errors), errors=errors)
    if not lines and not errors:
        raise InvalidInput(f"{path.name} : aucune étiquette à importer")
    with ctx.sessions.begin() as session:
        pairs = _resolve(session, lines, report)
        changed = _store(session, pairs, path.name, report)
    index_pending(ctx, sorted(changed))
    return report


def _resolve(session: Session, lines: list[TagLine],
             report: TagImportReport) -> dict[tuple[str, int], TagLine]:
    """(document id, concept id) for each good line; what cannot be resolved is counted."""
    keys = DocumentKeys(session)
    concepts: dict[str, tuple[int, bool]] = {}
    wanted = sorted({line.concept_uri for line in lines})
    for part in chunked(wanted, CHUNK):
        concepts.update({uri: (id_, deprecated) for uri, id_, deprecated in session.execute(
            select(Concept.uri, Concept.id, Concept.deprecated).where(Concept.uri.in_(part)))})
    pairs: dict[tuple[str, int], TagLine] = {}
    for line in lines:
        doc_id = keys.find(line.key)
        concept = concepts.get(line.concept_uri)
        if doc_id is None:
            target = report.ambiguous_keys if keys.ambiguous(line.key) else report.unknown_keys
            target[line.key] += 1
        elif concept is None:
            report.unknown_concepts[line.concept_uri] += 1
        elif concept[1]:
            report.deprecated_concepts[line.concept_uri] += 1
        else:
            pairs.setdefault((doc_id, concept[0]), line)
    return pairs


def _store(session: Session, pairs: dict[tuple[str, int], TagLine], source: str,
           report: TagImportReport) -> set[str]:
    """Write the tags; returns the documents whose tags changed (to re-index)."""
    now = utcnow()
    changed: set[str] = set()
    by_document: dict[str, list[int]] = {}
    for doc_id, concept_id in pairs:
        by_document.setdefault(doc_id, []).append(concept_id)
    for part in chunked(sorted(by_document), CHUNK):
        existing = {(t.document_id, t.concept_id): t for t in session.scalars(
            select(DocumentTag).where(DocumentTag.document_id.in_(part)))}
        for doc_id in part:
            report.documents.add(doc_id)
            for concept_id in by_document[doc_id]:
                tag = existing.get((doc_id, concept_id))
                if tag is not None and tag.state == "accepted":
                    report.unchanged += 1
                    continue
                if tag is not None and tag.state == "rejected":
                    report.kept_rejections.append((pairs[doc_id, concept_id].key,
                                                   pairs[doc_id, concept_id].concept_uri))
                    continue
                if tag is None:
                    tag = DocumentTag(document_id=doc_id, concept_id=concept_id,
                                      origin="human", passages=[], zones={}, created_at=now)
                    session.add(tag)
                    report.added += 1
                else:
                    report.confirmed += 1
                tag.state = "accepted"
                tag.decided_at = now
                tag.updated_at = now
                tag.explanation = {**(tag.explanation or {}), "imported_from": source[:200]}
                changed.add(doc_id)
    for part in chunked(sorted(changed), CHUNK):
        for document in session.scalars(select(Document).where(Document.id.in_(part))):
            document.index_pending = True
    return changed
