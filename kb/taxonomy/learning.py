"""The learned tagger of an instance: trained on people's decisions, kept as derived data.

Its training set is every document carrying at least one accepted tag (accepted suggestion,
tag added by a person, imported tag): those tags are its concepts, its rejected tags the
ones it was refused, and every other concept counts as absent (as for Annif, a training
document's subjects are taken as complete). The model is stored under
`KB_HOME/models/` with the fingerprint of what it learnt from (decisions, document texts,
taxonomy, versions); like the index it can be deleted at any time, and `kb tag` trains it
again whenever the fingerprint changes.

Public surface: `LearnedState`, `learned_tagger(ctx, train=True)`, `model_text(document)`,
`tagging_schemes(session)`, `concept_ancestors(session)`, `label_statistics(session)`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from more_itertools import chunked
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.tagging.ensemble import LearnedTagger
from indexer.tagging.label_tagger import (
    TAGGER_VERSION,
    evidence_from_records,
    label_suggestions,
)
from indexer.tagging.neighbours import TrainingDocument
from kb.context import KbContext
from kb.models import (
    KIND_LABELS,
    Concept,
    ConceptRelation,
    ConceptScheme,
    Document,
    DocumentAnalysis,
    DocumentTag,
)
from kb.taxonomy.reading import IN_CHUNK, taxonomy_stamp

log = logging.getLogger(__name__)
# Bump when the model's features, training or file format change: the model is retrained.
MODEL_VERSION = "1"
MODEL_DIR = "models"
MODEL_NAME = f"learned-tagger-v{MODEL_VERSION}"
_LOADED: dict[str, tuple[str, LearnedTagger]] = {}  # path -> (fingerprint, model)


@dataclass
class LearnedState:
    """The instance's learned tagger (None until enough decisions exist) and its stamp."""

    tagger: LearnedTagger | None
    fingerprint: str
    documents: int = 0  # training documents
    concepts: int = 0  # concepts learned
    trained: bool = False  # trained by this call
    seconds: float = 0.0

    @property
    def stamp(self) -> str:
        """What a document's suggestions were last scored with."""
        if self.tagger is None:
            return f"labels-{TAGGER_VERSION}"
        return f"learned-{self.fingerprint[:24]}"


def model_text(document: Document) -> str:
    """The text the learned model reads: title, headings, declared kind and themes, body."""
    headings = [str(s.get("heading")) for s in document.sections if s.get("heading")]
    return "\n".join([document.title, *headings, KIND_LABELS.get(document.kind, ""),
                      *document.themes, document.text])


def tagging_schemes(session: Session) -> dict[str, str]:
    """Concepts the taggers may suggest (of schemes used for tagging, not deprecated), each
    with its scheme's URI."""
    return dict(session.execute(
        select(Concept.uri, ConceptScheme.uri)
        .join(ConceptScheme, ConceptScheme.id == Concept.scheme_id)
        .where(ConceptScheme.tagging, Concept.deprecated.is_(False))).all())


def concept_ancestors(session: Session) -> dict[str, tuple[str, ...]]:
    """Every concept's broader concepts, transitively (a cycle in a thesaurus stops)."""
    uris = dict(session.execute(select(Concept.id, Concept.uri)).all())
    broader: dict[int, list[int]] = defaultdict(list)
    for source, target in session.execute(select(ConceptRelation.source_id,
                                                 ConceptRelation.target_id)
                                          .where(ConceptRelation.kind == "broader")):
        broader[source].append(target)
    result: dict[str, tuple[str, ...]] = {}
    for concept_id in broader:
        seen: list[int] = []
        frontier = list(broader[concept_id])
        while frontier:
            current = frontier.pop()
            if current not in seen and current != concept_id:
                seen.append(current)
                frontier.extend(broader.get(current, ()))
        result[uris[concept_id]] = tuple(uris[i] for i in seen)
    return result


def label_statistics(session: Session) -> tuple[Counter[str], int]:
    """How many analysed documents name each concept, and how many are analysed."""
    frequencies: Counter[str] = Counter()
    count = 0
    for (concepts,) in session.execute(select(DocumentAnalysis.concepts)):
        frequencies.update(concepts)
        count += 1
    return frequencies, count


def label_scores(analyses: Mapping[str, DocumentAnalysis], frequencies: Mapping[str, int],
                 documents: int) -> dict[str, dict[str, float]]:
    """Label matching's confidence for every concept found, per document id."""
    return {doc_id: {s.uri: s.confidence for s in label_suggestions(
        evidence_from_records(analysis.evidence), frequencies, documents)}
        for doc_id, analysis in analyses.items()}


def _decisions(session: Session,
               allowed: Mapping[str, str]) -> dict[str, tuple[set[str], set[str]]]:
    """Document id -> (accepted, rejected) concepts, for documents with an accepted tag."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for doc_id, uri, state in session.execute(
            select(DocumentTag.document_id, Concept.uri, DocumentTag.state)
            .join(Concept, Concept.id == DocumentTag.concept_id)
            .where(DocumentTag.state.in_(("accepted", "rejected")))):
        if uri in allowed:
            accepted, rejected = found.setdefault(doc_id, (set(), set()))
            (accepted if state == "accepted" else rejected).add(uri)
    return {doc_id: pair for doc_id, pair in found.items() if pair[0]}


def _fingerprint(session: Session, decisions: dict[str, tuple[set[str], set[str]]]) -> str:
    digest = hashlib.sha256(f"{MODEL_VERSION}|{TAGGER_VERSION}|{taxonomy_stamp(session)}"
                            .encode())
    hashes = dict(session.execute(select(Document.id, Document.content_hash)).all())
    for doc_id in sorted(decisions):
        accepted, rejected = decisions[doc_id]
        digest.update(f"\n{doc_id}|{hashes.get(doc_id)}|{','.join(sorted(accepted))}|"
                      f"{','.join(sorted(rejected))}".encode())
    return digest.hexdigest()


def _path(ctx: KbContext) -> Path:
    return ctx.settings.home / MODEL_DIR / f"{MODEL_NAME}.npz"


def learned_tagger(ctx: KbContext, train: bool = True) -> LearnedState:
    """The learned tagger matching today's decisions: loaded when stored, trained (and
    stored) when they changed and `train` is set; None while too few decisions exist."""
    with ctx.sessions() as session:
        allowed = tagging_schemes(session)
        decisions = _decisions(session, allowed)
        fingerprint = _fingerprint(session, decisions)
    path = _path(ctx)
    loaded = _load(path, fingerprint)
    if loaded is not None:
        return loaded
    if not train:
        return LearnedState(None, fingerprint)
    return _train(ctx, decisions, fingerprint, path)


def _load(path: Path, fingerprint: str) -> LearnedState | None:
    cached = _LOADED.get(str(path))
    meta_path = path.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("fingerprint") != fingerprint:
        return None
    if meta.get("empty"):
        return LearnedState(None, fingerprint, meta.get("documents", 0))
    if cached is None or cached[0] != fingerprint:
        try:
            with np.load(path, allow_pickle=False) as arrays:
                cached = (fingerprint, LearnedTagger.from_arrays(dict(arrays)))
        except (OSError, ValueError, KeyError):
            log.warning("learned tagger %s unreadable: trained again", path)
            return None
        _LOADED[str(path)] = cached
    return LearnedState(cached[1], fingerprint, meta.get("documents", 0),
                        meta.get("concepts", 0))


def _train(ctx: KbContext, decisions: dict[str, tuple[set[str], set[str]]], fingerprint: str,
           path: Path) -> LearnedState:
    started = time.perf_counter()
    with ctx.sessions() as session:
        frequencies, total = label_statistics(session)
        ancestors = concept_ancestors(session)
        documents, scores = [], {}
        for part in chunked(sorted(decisions), IN_CHUNK):
            for document, analysis in session.execute(
                    select(Document, DocumentAnalysis)
                    .outerjoin(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                    .where(Document.id.in_(part)).order_by(Document.id)):
                accepted, rejected = decisions[document.id]
                documents.append(TrainingDocument(document.id, model_text(document),
                                                  frozenset(accepted), frozenset(rejected)))
                if analysis is not None:
                    scores.update(label_scores({document.id: analysis}, frequencies, total))
            session.expunge_all()  # thousands of texts: keep only what the model needs
    tagger = LearnedTagger.train(documents, scores, ancestors)
    state = LearnedState(tagger, fingerprint, len(documents),
                         len(tagger.model.concepts) if tagger else 0, trained=True,
                         seconds=time.perf_counter() - started)
    _save(path, state)
    return state


def _save(path: Path, state: LearnedState) -> None:
    """Write the model, then its description (which names the fingerprint): a reader never
    takes a half-written model for a current one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"fingerprint": state.fingerprint, "documents": state.documents,
            "concepts": state.concepts, "seconds": round(state.seconds, 2),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "empty": state.tagger is None}
    meta_path = path.with_suffix(".json")
    meta_path.unlink(missing_ok=True)
    if state.tagger is not None:
        partial = path.with_name(path.stem + ".partial.npz")
        np.savez(partial, **state.tagger.arrays())
        os.replace(partial, path)
        _LOADED[str(path)] = (state.fingerprint, state.tagger)
    else:
        path.unlink(missing_ok=True)
    partial_meta = meta_path.with_name(meta_path.stem + ".partial.json")
    partial_meta.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(partial_meta, meta_path)
