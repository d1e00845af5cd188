"""« Fondamentaux »: the validated doctrine a reader may see, each text once, by main theme.

A document's themes are the top concepts (the scheme's themes) above the concepts it is
tagged with (tags not rejected); its main theme is the one its tags weigh most on (an
accepted or human tag weighs 1, a suggestion its confidence), and the others are listed
beside it. A document without tags, or an instance without a taxonomy, falls back on its
own free themes, the first being the main one. The text is that of the validated revision.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.documents.listing import LISTED
from kb.models import Concept, ConceptRelation, Document, DocumentTag, Dossier, Revision
from kb.visibility import Reader, can_read

NO_THEME = "Sans thème"


@dataclass
class DoctrineEntry:
    """A validated text: its document, the revision decided and that revision's text."""

    document: Document
    dossier_id: str
    revision: int | None
    decided_at: dt.datetime | None
    in_review: bool
    # [{"heading": str, "level": int, "paragraphs": [str]}] of the validated revision.
    sections: list[dict[str, object]] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    # The theme it is listed under, then every other theme it touches.
    theme: str = NO_THEME
    other_themes: list[str] = field(default_factory=list)

    @property
    def themes(self) -> list[str]:
        return [self.theme, *self.other_themes]


@dataclass
class ThemeGroup:
    theme: str
    entries: list[DoctrineEntry] = field(default_factory=list)


@dataclass
class Fundamentals:
    groups: list[ThemeGroup]
    entries: list[DoctrineEntry]
    by_taxonomy: bool


def _validated_sections(session: Session, document: Document,
                        number: int | None) -> list[dict[str, object]]:
    """The current structured text when it is the validated revision, else that revision's
    text cut into paragraphs."""
    revision = session.scalar(select(Revision).where(Revision.document_id == document.id,
                                                     Revision.number == number))
    latest = max((r.number for r in document.revisions), default=None)
    if revision is None or number == latest:
        return list(document.sections)
    paragraphs = [" ".join(p.split()) for p in revision.text.split("\n\n") if p.strip()]
    return [{"heading": "", "level": 1, "paragraphs": paragraphs}]


def _roots(session: Session) -> tuple[dict[int, Concept], dict[int, set[int]]]:
    """Concepts by id, and each concept's top ancestors through `broader`."""
    concepts = {c.id: c for c in session.scalars(select(Concept))}
    broader: dict[int, set[int]] = defaultdict(set)
    for source, target in session.execute(select(ConceptRelation.source_id,
                                                 ConceptRelation.target_id)
                                          .where(ConceptRelation.kind == "broader")):
        broader[source].add(target)
    roots: dict[int, set[int]] = {}
    for concept_id in concepts:
        seen, todo, tops = {concept_id}, [concept_id], set()
        while todo:
            current = todo.pop()
            parents = broader.get(current, set()) - seen
            if not broader.get(current):
                tops.add(current)
            seen |= parents
            todo.extend(parents)
        roots[concept_id] = tops or {concept_id}
    return concepts, roots


def _doctrine(session: Session, reader: Reader) -> list[DoctrineEntry]:
    rows = session.execute(select(Document, Dossier).join(
        Dossier, Dossier.document_id == Document.id).where(
        Dossier.kind == "doctrine", Dossier.decided_revision.is_not(None),
        Dossier.state.in_(("valide", "a-reviser", "en-debat", "modifications-demandees")),
        Document.doctrine_status.in_(("doctrine", "a-reviser"))).order_by(Document.title))
    return [DoctrineEntry(document, dossier.id, dossier.decided_revision, dossier.decided_at,
                          document.doctrine_status == "a-reviser",
                          _validated_sections(session, document, dossier.decided_revision))
            for document, dossier in rows
            if can_read(reader, document.visibility, document.groups)]


def _tag_weights(session: Session, doc_ids: list[str],
                 concepts: dict[int, Concept]) -> dict[str, dict[int, float]]:
    """Each document's concepts (tags not rejected) and how much each weighs."""
    weights: dict[str, dict[int, float]] = defaultdict(dict)
    for doc_id, concept_id, state, origin, confidence in session.execute(
            select(DocumentTag.document_id, DocumentTag.concept_id, DocumentTag.state,
                   DocumentTag.origin, DocumentTag.confidence).where(
                DocumentTag.document_id.in_(doc_ids), DocumentTag.state != "rejected")):
        if concept_id in concepts:
            sure = state == "accepted" or origin == "human" or confidence is None
            weights[doc_id][concept_id] = 1.0 if sure else float(confidence)
    return weights


def _place(entry: DoctrineEntry, weights: dict[int, float], concepts: dict[int, Concept],
           roots: dict[int, set[int]]) -> None:
    """Set the entry's concepts, main theme and other themes."""
    entry.concepts = sorted(concepts[c].pref_label for c in weights)
    by_theme: dict[str, float] = defaultdict(float)
    for concept_id, weight in weights.items():
        for top in roots[concept_id]:
            by_theme[concepts[top].pref_label] += weight
    if by_theme:
        ranked = sorted(by_theme, key=lambda t: (-by_theme[t], t.casefold()))
    else:
        ranked = list(dict.fromkeys(entry.document.themes)) or [NO_THEME]
    entry.theme = ranked[0]
    entry.other_themes = sorted(ranked[1:], key=str.casefold)


def fundamentals(ctx: KbContext, reader: Reader) -> Fundamentals:
    with ctx.sessions() as session:
        entries = _doctrine(session, reader)
        concepts, roots = _roots(session)
        weights = _tag_weights(session, [e.document.id for e in entries], concepts)
    grouped: dict[str, list[DoctrineEntry]] = defaultdict(list)
    for entry in entries:
        _place(entry, weights.get(entry.document.id, {}), concepts, roots)
        grouped[entry.theme].append(entry)
    order = sorted(grouped, key=lambda t: (t == NO_THEME, t.casefold()))
    return Fundamentals([ThemeGroup(t, grouped[t]) for t in order], entries, bool(weights))


@dataclass
class ValidatedText:
    document: Document
    decided_at: dt.datetime | None


def latest_doctrine(ctx: KbContext, reader: Reader, limit: int = 5) -> list[ValidatedText]:
    """The validated texts the reader may read, the most recently decided first."""
    query = (select(Document, Dossier.decided_at).options(LISTED)
             .join(Dossier, Dossier.document_id == Document.id)
             .where(Dossier.kind == "doctrine", Dossier.decided_revision.is_not(None),
                    Document.doctrine_status.in_(("doctrine", "a-reviser")))
             .order_by(Dossier.decided_at.desc(), Document.title))
    found: dict[str, ValidatedText] = {}
    with ctx.sessions() as session:
        for document, decided_at in session.execute(query):
            if len(found) >= limit:
                break
            if document.id not in found and can_read(reader, document.visibility,
                                                     document.groups):
                found[document.id] = ValidatedText(document, decided_at)
    return list(found.values())
