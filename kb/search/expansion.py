"""The taxonomy as search sees it: concept labels that expand a query, concepts whose labels
and definition describe what a longer query asks, concept labels and hierarchy for the themes
facet, and the theme keys (concept URIs with every broader concept) under which a document
is indexed, so that a broader concept counts its narrower ones. Documents without concept
tags keep their front-matter themes.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from math import log
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, aliased, object_session

from indexer.analysis.chain import ANALYSIS_VERSION
from indexer.search.query import ParsedQuery
from indexer.search.ranking import QueryTerm, terms_for
from kb.context import KbContext
from kb.models import Concept, ConceptRelation, Document, DocumentTag

logger = logging.getLogger(__name__)
MAX_LABEL_WORDS = 5
RECHECK_SECONDS = 2.0
# Saved beside the index; the version changes with what `taxonomy_parts` computes.
SAVED_FILE = "taxonomy.json"
SAVED_VERSION = 1
# Per database: when the stamp was checked, the stamp, and the taxonomy loaded at it.
_cache: weakref.WeakKeyDictionary[Engine, tuple[float, tuple[object, ...], Taxonomy]] = \
    weakref.WeakKeyDictionary()
_lock = threading.Lock()


def label_key(text: str) -> str:
    """Labels and typed words meet on their stems: « Tiers-lieux » = « tiers lieu »."""
    return " ".join(t.stemmed for t in terms_for(text))


# Concepts are also described by the words of their labels (counted twice) and definition,
# scored against a query's words by BM25 over the concepts.
DESCRIPTION_LABEL_WEIGHT = 2.0
DESCRIPTION_K1 = 1.2
DESCRIPTION_B = 0.75


@dataclass
class Descriptions:
    """For each stem, the concepts whose description holds it and how much; each concept's
    length norm; each stem's inverse frequency among concepts."""

    postings: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    norms: dict[str, float] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, bags: dict[str, dict[str, float]]) -> Descriptions:
        found = cls()
        lengths = {uri: sum(bag.values()) for uri, bag in bags.items()}
        average = sum(lengths.values()) / len(lengths) if lengths else 1.0
        for uri, bag in bags.items():
            found.norms[uri] = 1.0 - DESCRIPTION_B + DESCRIPTION_B * lengths[uri] / average
            for stem, weight in bag.items():
                found.postings.setdefault(stem, []).append((uri, weight))
        for stem, holders in found.postings.items():
            found.idf[stem] = log(1.0 + (len(bags) - len(holders) + 0.5) / (len(holders) + 0.5))
        return found

    def best(self, stems: set[str], count: int) -> list[tuple[float, str]]:
        """The `count` concepts best described by `stems`, with their scores."""
        scores: dict[str, float] = {}
        for stem in stems:
            for uri, weight in self.postings.get(stem, ()):
                saturated = weight * (DESCRIPTION_K1 + 1.0) / (
                    weight + DESCRIPTION_K1 * self.norms[uri])
                scores[uri] = scores.get(uri, 0.0) + self.idf[stem] * saturated
        return sorted(((score, uri) for uri, score in scores.items()), reverse=True)[:count]


@dataclass
class Taxonomy:
    """Labels, broader links, label keys and descriptions of every concept."""

    labels: dict[str, str] = field(default_factory=dict)
    broader: dict[str, list[str]] = field(default_factory=dict)
    by_label: dict[str, set[str]] = field(default_factory=dict)
    descriptions: Descriptions = field(default_factory=Descriptions)


def ancestors(broader: dict[str, list[str]], uri: str) -> list[str]:
    """`uri` and every concept above it."""
    seen: dict[str, None] = {}
    stack = [uri]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen[current] = None
            stack.extend(broader.get(current, []))
    return list(seen)


def load_taxonomy(session: Session) -> Taxonomy:
    return from_parts(taxonomy_parts(session))


def taxonomy_parts(session: Session) -> dict[str, Any]:
    """What the taxonomy is built from, as JSON: preferred labels, broader links, concepts by
    label key, and each concept's description (stem -> weight)."""
    labels: dict[str, str] = {}
    by_label: dict[str, list[str]] = {}
    bags: dict[str, dict[str, float]] = {}
    for concept in session.scalars(select(Concept)):
        labels[concept.uri] = concept.pref_label
        bag = bags.setdefault(concept.uri, {})
        for kind in ("pref", "alt", "hidden"):
            for label in concept.labels(kind, None):
                key = label_key(label)
                if key and key.count(" ") < MAX_LABEL_WORDS:
                    by_label.setdefault(key, []).append(concept.uri)
                for stem in key.split():
                    bag[stem] = bag.get(stem, 0.0) + DESCRIPTION_LABEL_WEIGHT
        for term in terms_for(concept.definition or ""):
            bag[term.stemmed] = bag.get(term.stemmed, 0.0) + 1.0
    return {"labels": labels, "broader": broader_links(session), "by_label": by_label,
            "bags": bags}


def from_parts(parts: dict[str, Any]) -> Taxonomy:
    return Taxonomy(labels=parts["labels"], broader=parts["broader"],
                    by_label={key: set(uris) for key, uris in parts["by_label"].items()},
                    descriptions=Descriptions.of(parts["bags"]))


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
        if found and found[1] == stamp:
            loaded = found[2]
        else:
            loaded = _saved_or_loaded(ctx.settings.index_dir / SAVED_FILE, stamp, session)
    with _lock:
        _cache[ctx.engine] = (now, stamp, loaded)
    return loaded


def _saved_or_loaded(path: Path, stamp: tuple[object, ...], session: Session) -> Taxonomy:
    """The taxonomy saved at this stamp, else loaded from the database and saved: stemming
    every label and definition is most of what a cold `kb search` spends after its imports.
    The file is derived data, like the index beside it: deleting it costs one reload."""
    key = [SAVED_VERSION, ANALYSIS_VERSION, *map(str, stamp)]
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["key"] == key:
            return from_parts(saved["parts"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, unreadable or of another form: loaded again below
    parts = taxonomy_parts(session)
    try:
        _write_replacing(path, json.dumps({"key": key, "parts": parts}, ensure_ascii=False))
    except OSError as exc:
        logger.warning("taxonomie non enregistrée dans %s : %s", path, exc)
    return from_parts(parts)


def _write_replacing(path: Path, text: str) -> None:
    """Written beside, then renamed over: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


def broader_links(session: Session) -> dict[str, list[str]]:
    """Concept URI -> the URIs of its broader concepts, in one query (no labels: a document
    page needs only these, and analysing every label would cost it tens of milliseconds)."""
    narrower, wider = aliased(Concept), aliased(Concept)
    links: dict[str, list[str]] = defaultdict(list)
    for source, target in session.execute(
            select(narrower.uri, wider.uri).select_from(ConceptRelation)
            .join(narrower, narrower.id == ConceptRelation.source_id)
            .join(wider, wider.id == ConceptRelation.target_id)
            .where(ConceptRelation.kind == "broader")):
        links[source].append(target)
    return dict(links)


def with_ancestors(session: Session, uris: list[str]) -> list[str]:
    """The concepts and all their broader ones (the links are loaded once per session)."""
    if not uris:
        return []
    if "kb_broader" not in session.info:
        session.info["kb_broader"] = broader_links(session)
    broader: dict[str, list[str]] = session.info["kb_broader"]
    return list(dict.fromkeys(key for uri in uris for key in ancestors(broader, uri)))


def theme_labels(ctx: KbContext) -> dict[str, str]:
    """Concept URI -> preferred label, for the themes facet."""
    return taxonomy(ctx).labels


# A concept found through a typed label counts less than the typed words themselves: it
# widens recall without outranking documents that match what was typed (measured: corpus
# MRR@10 0.966 -> 0.973, PIAF nDCG@10 0.856 -> 0.870 with the doctrine taxonomy).
EXPANSION_WEIGHT = 0.3
# Questions and other queries of three searched words or more also find the documents tagged
# with the two concepts their words describe best (labels and definition), at the same weight
# (measured on the 30 harder queries of corpus/eval: nDCG@10 0.703 -> 0.723, MRR@10 0.798 ->
# 0.847; the 69 others and PIAF unchanged or better; see docs/decisions.md).
DESCRIBED_MIN_WORDS = 3
DESCRIBED_CONCEPTS = 2
DESCRIBED_MIN_SCORE = 2.0


def expansions(known: Taxonomy, parsed: ParsedQuery) -> list[QueryTerm]:
    """Extra query terms: the documents tagged with a concept one of whose labels (preferred,
    alternative or hidden) was typed, as one word or several (« EFC », « tiers lieux »), and
    for longer queries those tagged with the concepts the query's words describe."""
    if not known.by_label:
        return []
    found = dict.fromkeys(_labelled(known, parsed))
    found.update(dict.fromkeys(uri for uri in _described(known, parsed) if uri not in found))
    return [QueryTerm("", "", EXPANSION_WEIGHT, (("theme", uri),)) for uri in found]


def _labelled(known: Taxonomy, parsed: ParsedQuery) -> list[str]:
    """Concepts one of whose labels was typed."""
    found: list[str] = []
    # Plain words are read in order across spaces (« tiers lieux »), phrases one by one.
    sequences = [" ".join(parsed.words), " ".join(parsed.required), *parsed.phrases]
    for text in sequences:
        stems = [t.stemmed for t in terms_for(text)]
        for size in range(1, min(MAX_LABEL_WORDS, len(stems)) + 1):
            for start in range(len(stems) - size + 1):
                found += known.by_label.get(" ".join(stems[start:start + size]), ())
    return found


def _described(known: Taxonomy, parsed: ParsedQuery) -> list[str]:
    """Concepts best described by a query of `DESCRIBED_MIN_WORDS` searched words or more:
    « comment associer les citoyens à la transition de leur commune ? » -> participation
    citoyenne, habitants et citoyens."""
    stems = {t.stemmed for text in parsed.positive for t in terms_for(text)}
    if len(stems) < DESCRIBED_MIN_WORDS:
        return []
    return [uri for score, uri in known.descriptions.best(stems, DESCRIBED_CONCEPTS)
            if score >= DESCRIBED_MIN_SCORE]
