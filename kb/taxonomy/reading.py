"""Reading the taxonomy: schemes, the concept tree with document counts, a concept's page.

Every count and list of documents goes through the visibility rule for the reader.
Public surface: `list_schemes`, `has_taxonomy`, `taxonomy_tree`, `filter_tree`, `concept_detail`,
`concept_documents`, `taxonomy_stamp`, `tagging_concepts`, `linked_concepts`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from more_itertools import chunked
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from indexer.analysis.french import name_key
from indexer.tagging.label_tagger import ConceptLabels
from kb.context import KbContext
from kb.errors import NotFound
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag
from kb.visibility import Reader, can_read, visibilities_to_check

IN_CHUNK = 500  # ids per SQL `IN (…)`


def linked_concepts(session: Session, concept_ids: set[int], upwards: bool) -> set[int]:
    """Every concept above (`upwards`) or below the given ones through broader links, the
    given ones excluded unless a cycle leads back to them."""
    start, end = ConceptRelation.source_id, ConceptRelation.target_id
    if not upwards:
        start, end = end, start
    seen: set[int] = set()
    frontier = sorted(concept_ids)
    while frontier:
        found: set[int] = set()
        for part in chunked(frontier, IN_CHUNK):  # a whole thesaurus may move
            found.update(session.scalars(select(end).where(
                start.in_(part), ConceptRelation.kind == "broader")))
        frontier = sorted(found - seen)
        seen |= found
    return seen


@dataclass
class SchemeSummary:
    uri: str
    title: str
    concepts: int
    revision: int
    tagging: bool
    modified: str | None
    source_name: str | None


@dataclass
class TreeNode:
    """A concept in the tree: documents tagged with it (`count`) and with it or a narrower
    concept (`total`), both counting only documents the reader may see."""

    uri: str
    label: str
    notation: str | None
    deprecated: bool
    count: int = 0
    total: int = 0
    children: list[TreeNode] = field(default_factory=list)
    # Every other label (synonyms, acronyms, usual misspellings, other languages): a reader
    # looking for a theme may know it by any of them.
    other_labels: list[str] = field(default_factory=list)

    def matches(self, wanted: str) -> bool:
        """Whether one of the concept's labels contains `wanted`, accents and case aside."""
        return any(wanted in name_key(label) for label in (self.label, *self.other_labels))


@dataclass
class ConceptRef:
    uri: str
    label: str
    deprecated: bool = False


@dataclass
class ConceptView:
    concept: Concept
    scheme_uri: str
    scheme_title: str
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[ConceptRef]
    replaced_by: ConceptRef | None


@dataclass
class ConceptDocument:
    document: Document
    state: str
    origin: str
    confidence: float | None


def list_schemes(ctx: KbContext) -> list[SchemeSummary]:
    with ctx.sessions() as session:
        counts = dict(session.execute(select(Concept.scheme_id, func.count())
                                      .group_by(Concept.scheme_id)).all())
        return [SchemeSummary(s.uri, s.title, counts.get(s.id, 0), s.revision, s.tagging,
                              s.modified, s.source_name)
                for s in session.scalars(select(ConceptScheme).order_by(ConceptScheme.id))]


def has_taxonomy(ctx: KbContext) -> bool:
    """True when some scheme is used for tagging (ingestion skips tagging otherwise)."""
    with ctx.sessions() as session:
        return session.scalar(select(ConceptScheme.id).where(ConceptScheme.tagging)
                              .limit(1)) is not None


def _scheme(session: Session, scheme_uri: str | None) -> ConceptScheme:
    query = select(ConceptScheme).order_by(ConceptScheme.id).limit(1)
    if scheme_uri:
        query = select(ConceptScheme).where(ConceptScheme.uri == scheme_uri)
    scheme = session.scalar(query)
    if scheme is None:
        raise NotFound("Schéma de concepts introuvable.")
    return scheme


def visible_tagged_documents(session: Session, reader: Reader) -> dict[int, set[str]]:
    """Concept id -> ids of documents the reader may see that carry it (not rejected)."""
    kept = DocumentTag.state != "rejected"
    # Visibility settled once per document, not once per tag.
    readable = {doc_id for doc_id, visibility, groups in session.execute(
        select(Document.id, Document.visibility, Document.groups)
        .where(Document.id.in_(select(DocumentTag.document_id).where(kept)),
               Document.visibility.in_(visibilities_to_check(reader))))
        if can_read(reader, visibility, groups)}
    found: dict[int, set[str]] = defaultdict(set)
    for concept_id, doc_id in session.execute(
            select(DocumentTag.concept_id, DocumentTag.document_id).where(kept)):
        if doc_id in readable:
            found[concept_id].add(doc_id)
    return found


# What the tree shows of a concept, read as plain rows: building ORM objects (and decoding
# every JSON column) would take half the tree's time.
TREE_COLUMNS = (Concept.id, Concept.uri, Concept.pref_label, Concept.notation, Concept.top,
                Concept.deprecated)
LABEL_COLUMNS = (Concept.pref_labels, Concept.alt_labels, Concept.hidden_labels)


def _scheme_concepts(session: Session, scheme_id: int, labels: bool) -> dict[int, Row[Any]]:
    columns = TREE_COLUMNS + LABEL_COLUMNS if labels else TREE_COLUMNS
    return {row.id: row for row in session.execute(select(*columns)
                                                   .where(Concept.scheme_id == scheme_id))}


def _other_labels(concept: Row[Any]) -> list[str]:
    """Every label but the preferred one, in any language (as `Concept.labels(kind, None)`)."""
    return [text for values in (concept.pref_labels, concept.alt_labels, concept.hidden_labels)
            for text, _language in values if text != concept.pref_label]


def taxonomy_tree(ctx: KbContext, reader: Reader, scheme_uri: str | None = None,
                  include_deprecated: bool = False,
                  depth: int | None = None, counts: bool = True,
                  labels: bool = True) -> list[TreeNode]:
    """The scheme (the first one by default) as a tree of top concepts, with counts; with
    `depth`, children stop at that level (totals still count the whole branch); without
    `counts`, documents are not read, without `labels`, labels other than the preferred one
    are not (a concept picker needs only the tree: decoding every label would double its
    time)."""
    with ctx.sessions() as session:
        scheme = _scheme(session, scheme_uri)
        concepts = _scheme_concepts(session, scheme.id, labels)
        children: dict[int, list[int]] = defaultdict(list)
        has_parent: set[int] = set()
        for source, target in session.execute(
                select(ConceptRelation.source_id, ConceptRelation.target_id)
                .where(ConceptRelation.kind == "broader",
                       ConceptRelation.source_id.in_(select(Concept.id).where(
                           Concept.scheme_id == scheme.id)))):
            if source in concepts and target in concepts:
                children[target].append(source)
                has_parent.add(source)
        documents = visible_tagged_documents(session, reader) if counts else {}

    def build(concept_id: int, path: frozenset[int]) -> tuple[TreeNode, set[str]]:
        concept = concepts[concept_id]
        node = TreeNode(concept.uri, concept.pref_label, concept.notation, concept.deprecated,
                        other_labels=_other_labels(concept) if labels else [])
        seen = set(documents.get(concept_id, ()))
        node.count = len(seen)
        for child in sorted(children[concept_id], key=lambda i: _order(concepts[i])):
            if child in path or (concepts[child].deprecated and not include_deprecated):
                continue
            sub, sub_docs = build(child, path | {child})
            if depth is None or len(path) < depth:
                node.children.append(sub)
            seen |= sub_docs
        node.total = len(seen)
        return node, seen

    roots = [c for c in concepts.values() if c.top or c.id not in has_parent]
    return [build(c.id, frozenset({c.id}))[0] for c in sorted(roots, key=_order)
            if include_deprecated or not c.deprecated]


def filter_tree(nodes: list[TreeNode], text: str) -> tuple[list[TreeNode], int]:
    """The branches holding a concept one of whose labels contains `text` (accents and case
    aside): each match with its whole subtree, under its broader concepts; and how many
    concepts matched."""
    wanted = name_key(text)
    if not wanted:
        return nodes, 0

    def keep(node: TreeNode) -> tuple[TreeNode | None, int]:
        if node.matches(wanted):
            return node, 1 + sum(keep(child)[1] for child in node.children)
        kept = [(child, found) for child, found in map(keep, node.children) if child]
        if not kept:
            return None, 0
        return replace(node, children=[child for child, _ in kept]), sum(f for _, f in kept)

    branches: list[TreeNode] = []
    found = 0
    for node in nodes:
        branch, count = keep(node)
        if branch is not None:
            branches.append(branch)
            found += count
    return branches, found


def _order(concept: Row[Any]) -> tuple[str, str]:
    return (concept.notation or "", concept.pref_label.casefold())


def _refs(session: Session, ids: list[int]) -> list[ConceptRef]:
    if not ids:
        return []
    rows = session.scalars(select(Concept).where(Concept.id.in_(ids)))
    return sorted((ConceptRef(c.uri, c.pref_label, c.deprecated) for c in rows),
                  key=lambda r: r.label.casefold())


def concept_detail(ctx: KbContext, uri: str) -> ConceptView:
    """A concept with its broader, narrower and related concepts (for its page)."""
    with ctx.sessions() as session:
        concept = session.scalar(select(Concept).where(Concept.uri == uri))
        if concept is None:
            raise NotFound("Concept introuvable.")
        relations = session.execute(select(ConceptRelation).where(
            (ConceptRelation.source_id == concept.id)
            | (ConceptRelation.target_id == concept.id))).scalars().all()
        broader = [r.target_id for r in relations
                   if r.kind == "broader" and r.source_id == concept.id]
        narrower = [r.source_id for r in relations
                    if r.kind == "broader" and r.target_id == concept.id]
        related = [r.target_id for r in relations
                   if r.kind == "related" and r.source_id == concept.id]
        replaced = None
        if concept.replaced_by:
            target = session.scalar(select(Concept).where(Concept.uri == concept.replaced_by))
            replaced = ConceptRef(concept.replaced_by,
                                  target.pref_label if target else concept.replaced_by)
        return ConceptView(concept, concept.scheme.uri, concept.scheme.title,
                           _refs(session, broader), _refs(session, narrower),
                           _refs(session, related), replaced)


def concept_documents(ctx: KbContext, reader: Reader, uri: str,
                      include_rejected: bool = False) -> list[ConceptDocument]:
    """Documents tagged with the concept that the reader may see, best confidence first."""
    with ctx.sessions() as session:
        concept_id = session.scalar(select(Concept.id).where(Concept.uri == uri))
        if concept_id is None:
            raise NotFound("Concept introuvable.")
        query = (select(DocumentTag, Document)
                 .join(Document, Document.id == DocumentTag.document_id)
                 .where(DocumentTag.concept_id == concept_id))
        if not include_rejected:
            query = query.where(DocumentTag.state != "rejected")
        found = [ConceptDocument(d, t.state, t.origin, t.confidence)
                 for t, d in session.execute(query)
                 if can_read(reader, d.visibility, d.groups)]
    found.sort(key=lambda r: (r.state != "accepted", -(r.confidence or 0.0),
                              r.document.title.casefold()))
    return found


def taxonomy_stamp(session: Session) -> str:
    """Changes whenever a scheme used for tagging changes (`kb tag --changed` compares it)."""
    rows = session.execute(select(ConceptScheme.uri, ConceptScheme.revision)
                           .where(ConceptScheme.tagging).order_by(ConceptScheme.uri)).all()
    text = "|".join(f"{uri}@{revision}" for uri, revision in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tagging_concepts(session: Session, language: str = "fr") -> list[ConceptLabels]:
    """The labels the tagger looks for: concepts of tagging schemes, not deprecated."""
    query = (select(Concept, ConceptScheme.uri)
             .join(ConceptScheme, ConceptScheme.id == Concept.scheme_id)
             .where(ConceptScheme.tagging, Concept.deprecated.is_(False)).order_by(Concept.id))
    result = []
    for concept, scheme_uri in session.execute(query):
        labels = [*concept.labels("pref", language), *concept.labels("alt", language),
                  *concept.labels("hidden", language)]
        if labels:
            result.append(ConceptLabels(concept.uri, tuple(labels), scheme_uri))
    return result
