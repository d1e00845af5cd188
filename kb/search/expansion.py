"""The taxonomy as search sees it: concept labels that expand a query, concept labels and
hierarchy for the themes facet, and the theme keys (concept URIs with every broader
concept) under which a document is indexed, so that a broader concept counts its narrower
ones. Documents without concept tags keep their front-matter themes.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, object_session

from indexer.search.query import ParsedQuery
from indexer.search.ranking import QueryTerm, terms_for
from kb.context import KbContext
from kb.models import Concept, ConceptRelation, Document, DocumentTag

MAX_LABEL_WORDS = 5
RECHECK_SECONDS = 2.0
# Per database: when the stamp was checked, the stamp, and the taxonomy loaded at it.
_cache: weakref.WeakKeyDictionary[Engine, tuple[float, tuple[object, ...], Taxonomy]] = \
    weakref.WeakKeyDictionary()
_lock = threading.Lock()


def label_key(text: str) -> str:
    """Labels and typed words meet on their stems: « Tiers-lieux » = « tiers lieu »."""
    return " ".join(t.stemmed for t in terms_for(text))


@dataclass
class Taxonomy:
    """Labels, broader links and label keys of every concept."""

    labels: dict[str, str] = field(default_factory=dict)
    broader: dict[str, list[str]] = field(default_factory=dict)
    by_label: dict[str, set[str]] = field(default_factory=dict)

    def ancestors(self, uri: str) -> list[str]:
        seen: dict[str, None] = {}
        stack = [uri]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen[current] = None
                stack.extend(self.broader.get(current, []))
        return list(seen)


def load_taxonomy(session: Session) -> Taxonomy:
    taxonomy = Taxonomy()
    uris: dict[int, str] = {}
    for concept in session.scalars(select(Concept)):
        uris[concept.id] = concept.uri
        taxonomy.labels[concept.uri] = concept.pref_label
        for kind in ("pref", "alt", "hidden"):
            for label in concept.labels(kind, None):
                key = label_key(label)
                if key and key.count(" ") < MAX_LABEL_WORDS:
                    taxonomy.by_label.setdefault(key, set()).add(concept.uri)
    broader: dict[str, list[str]] = defaultdict(list)
    for source, target in session.execute(select(ConceptRelation.source_id,
                                                 ConceptRelation.target_id)
                                          .where(ConceptRelation.kind == "broader")):
        if source in uris and target in uris:
            broader[uris[source]].append(uris[target])
    taxonomy.broader = dict(broader)
    return taxonomy


def _stamp(session: Session) -> tuple[object, ...]:
    concepts = session.execute(select(func.count(Concept.id), func.max(Concept.updated_at))).one()
    relations = session.scalar(select(func.count()).select_from(ConceptRelation))
    return (*concepts, relations)


def taxonomy(ctx: KbContext) -> Taxonomy:
    """The taxonomy, reloaded when its concepts or relations changed (checked at most every
    `RECHECK_SECONDS`, so that a search does not pay for it)."""
    now = time.monotonic()
    with _lock:
        found = _cache.get(ctx.engine)
    if found and now - found[0] < RECHECK_SECONDS:
        return found[2]
    with ctx.sessions() as session:
        stamp = _stamp(session)
        loaded = found[2] if found and found[1] == stamp else load_taxonomy(session)
    with _lock:
        _cache[ctx.engine] = (now, stamp, loaded)
    return loaded


def theme_keys(document: Document) -> list[str]:
    """The URIs of the document's concepts (tags not rejected) and of all their broader
    concepts; empty when it has none, so that its front-matter themes are used."""
    session = object_session(document)
    if session is None:
        return []
    uris = list(session.scalars(
        select(Concept.uri).join(DocumentTag, DocumentTag.concept_id == Concept.id)
        .where(DocumentTag.document_id == document.id, DocumentTag.state != "rejected")))
    return with_ancestors(session, uris)


def with_ancestors(session: Session, uris: list[str]) -> list[str]:
    """The concepts and all their broader ones (the taxonomy is loaded once per session)."""
    if not uris:
        return []
    if "kb_taxonomy" not in session.info:
        session.info["kb_taxonomy"] = load_taxonomy(session)
    known: Taxonomy = session.info["kb_taxonomy"]
    return list(dict.fromkeys(key for uri in uris for key in known.ancestors(uri)))


def theme_labels(ctx: KbContext) -> dict[str, str]:
    """Concept URI -> preferred label, for the themes facet."""
    return taxonomy(ctx).labels


# A concept found through a typed label counts less than the typed words themselves: it
# widens recall without outranking documents that match what was typed (measured: corpus
# MRR@10 0.966 -> 0.973, PIAF nDCG@10 0.856 -> 0.870 with the doctrine taxonomy).
EXPANSION_WEIGHT = 0.3


def expansions(known: Taxonomy, parsed: ParsedQuery) -> list[QueryTerm]:
    """Extra query terms: the documents tagged with a concept one of whose labels (preferred,
    alternative or hidden) was typed, as one word or several (« EFC », « tiers lieux »)."""
    by_label = known.by_label
    if not by_label:
        return []
    found: dict[str, None] = {}
    # Plain words are read in order across spaces (« tiers lieux »), phrases one by one.
    sequences = [" ".join(parsed.words), " ".join(parsed.required), *parsed.phrases]
    for text in sequences:
        stems = [t.stemmed for t in terms_for(text)]
        for size in range(1, min(MAX_LABEL_WORDS, len(stems)) + 1):
            for start in range(len(stems) - size + 1):
                for uri in by_label.get(" ".join(stems[start:start + size]), ()):
                    found[uri] = None
    return [QueryTerm("", "", EXPANSION_WEIGHT, (("theme", uri),)) for uri in found]
