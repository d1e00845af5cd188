"""Editing the taxonomy from the application: labels, relations, new concepts, deprecation.

Each change bumps the scheme's revision (so `kb tag --changed` re-tags) and re-indexes the
documents tagged with the concept (their concept labels changed). Concepts are never
deleted. Public surface: `can_edit_taxonomy`, `edit_concept` (labels and relations in one
transaction), `update_concept`, `set_relations`, `deprecate_concept`, `create_concept`,
`add_alt_label`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.documents.reading import can_edit_metadata
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.indexing.sync import index_pending
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag, utcnow
from kb.slug import slug
from kb.taxonomy.reading import linked_concepts
from kb.visibility import Reader


def can_edit_taxonomy(reader: Reader) -> bool:
    """Labels, relations and deprecation: administrators only."""
    return reader.sees_everything or "admin" in reader.roles


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden("Votre rôle ne permet pas de modifier le thésaurus.")


def _concept(session: Session, uri: str) -> Concept:
    concept = session.scalar(select(Concept).where(Concept.uri == uri))
    if concept is None:
        raise NotFound(f"Concept introuvable : {uri}")
    return concept


def _touch(session: Session, concept: Concept, subtree: bool = False) -> None:
    """Record a change of `concept` and flag its documents for indexing; with `subtree`
    (its place in the hierarchy changed), also the documents of its narrower concepts,
    whose theme keys name every broader concept."""
    concept.updated_at = utcnow()
    # Bumped in SQL: with PostgreSQL, two documentalists' edits could both read N and write N+1.
    session.execute(update(ConceptScheme).where(ConceptScheme.id == concept.scheme_id)
                    .values(revision=ConceptScheme.revision + 1))
    concepts = {concept.id}
    if subtree:
        concepts |= linked_concepts(session, concepts, upwards=False)
    tagged = select(DocumentTag.document_id).where(DocumentTag.concept_id.in_(concepts))
    session.execute(update(Document).where(Document.id.in_(tagged)).values(index_pending=True))


def _clean(labels: Sequence[str], field: str) -> list[list[str]]:
    cleaned = [" ".join(str(label).split()) for label in labels]
    if any(len(label) > 500 for label in cleaned):
        raise InvalidInput(f"{field} : libellé trop long (500 caractères au plus)")
    return [[label, "fr"] for label in dict.fromkeys(cleaned) if label]


def _replace_french(values: list[list[str]], texts: list[list[str]]) -> list[list[str]]:
    return [v for v in values if v[1] not in ("fr", "")] + texts


def update_concept(ctx: KbContext, reader: Reader, uri: str, *, pref_label: str | None = None,
                   alt_labels: Sequence[str] | None = None,
                   hidden_labels: Sequence[str] | None = None,
                   definition: str | None = None) -> None:
    """Replace the French labels (or definition) given; other languages are kept."""
    edit_concept(ctx, reader, uri, pref_label=pref_label, alt_labels=alt_labels,
                 hidden_labels=hidden_labels, definition=definition)


def set_relations(ctx: KbContext, reader: Reader, uri: str, *,
                  broader: Sequence[str] | None = None,
                  related: Sequence[str] | None = None) -> None:
    """Replace the concept's broader and/or related concepts; a cycle is refused."""
    edit_concept(ctx, reader, uri, broader=broader, related=related)


def edit_concept(ctx: KbContext, reader: Reader, uri: str, *, pref_label: str | None = None,
                 alt_labels: Sequence[str] | None = None,
                 hidden_labels: Sequence[str] | None = None, definition: str | None = None,
                 broader: Sequence[str] | None = None,
                 related: Sequence[str] | None = None) -> None:
    """Labels and relations changed together, in one transaction: an error (« champ :
    message ») leaves the concept as it was. `None` leaves a part unchanged."""
    _require(can_edit_taxonomy(reader))
    with ctx.sessions.begin() as session:
        concept = _concept(session, uri)
        _apply_labels(concept, pref_label, alt_labels, hidden_labels, definition)
        for kind, targets in (("broader", broader), ("related", related)):
            if targets is not None:
                _apply_relations(session, concept, kind, targets)
        concept.top = not session.scalar(select(ConceptRelation.target_id).where(
            ConceptRelation.source_id == concept.id, ConceptRelation.kind == "broader"))
        _touch(session, concept, subtree=broader is not None)
    index_pending(ctx)


def _apply_labels(concept: Concept, pref_label: str | None, alt_labels: Sequence[str] | None,
                  hidden_labels: Sequence[str] | None, definition: str | None) -> None:
    if pref_label is not None:
        label = _clean([pref_label], "libellé préféré")
        if not label:
            raise InvalidInput("libellé préféré : obligatoire")
        concept.pref_labels = _replace_french(concept.pref_labels, label)
        concept.pref_label = label[0][0]
    if alt_labels is not None:
        concept.alt_labels = _replace_french(concept.alt_labels, _clean(alt_labels, "synonymes"))
    if hidden_labels is not None:
        concept.hidden_labels = _replace_french(concept.hidden_labels,
                                                _clean(hidden_labels, "libellés cachés"))
    if definition is not None:
        concept.definitions = _replace_french(concept.definitions,
                                              _clean([definition], "définition"))


def _ancestors(session: Session, concept_id: int) -> set[int]:
    return linked_concepts(session, {concept_id}, upwards=True)


RELATION_FIELDS = {"broader": "thèmes plus larges", "related": "voir aussi"}


def _apply_relations(session: Session, concept: Concept, kind: str,
                     targets: Sequence[str]) -> None:
    field = RELATION_FIELDS[kind]
    ids = []
    for target in dict.fromkeys(targets):
        found = session.scalar(select(Concept).where(Concept.uri == target))
        if found is None:
            raise InvalidInput(f"{field} : concept introuvable ({target})")
        ids.append(found.id)
    if concept.id in ids or (kind == "broader" and any(
            concept.id in _ancestors(session, i) for i in ids)):
        raise InvalidInput(f"{field} : un concept ne peut pas être son propre générique "
                           "(ni celui d'un concept plus large que lui)")
    mine = ConceptRelation.source_id == concept.id
    if kind == "related":  # stored both ways
        mine = or_(mine, ConceptRelation.target_id == concept.id)
    session.execute(delete(ConceptRelation).where(ConceptRelation.kind == kind, mine))
    for target in ids:
        session.add(ConceptRelation(source_id=concept.id, target_id=target, kind=kind))
        if kind == "related":
            session.add(ConceptRelation(source_id=target, target_id=concept.id, kind=kind))


def deprecate_concept(ctx: KbContext, reader: Reader, uri: str,
                      replaced_by: str | None = None) -> None:
    """Deprecate (never delete) a concept, optionally naming its replacement; its tags stay."""
    _require(can_edit_taxonomy(reader))
    with ctx.sessions.begin() as session:
        concept = _concept(session, uri)
        if replaced_by:
            target = session.scalar(select(Concept).where(Concept.uri == replaced_by))
            if replaced_by == uri or target is None or target.deprecated:
                raise InvalidInput("remplaçant : un concept actif différent est attendu")
        concept.deprecated = True
        concept.replaced_by = replaced_by
        _touch(session, concept)
    index_pending(ctx)


def create_concept(ctx: KbContext, reader: Reader, pref_label: str,
                   broader_uri: str | None = None, scheme_uri: str | None = None) -> str:
    """A new concept, its URI minted beside its siblings' (`…/c/<slug>`)."""
    _require(can_edit_metadata(reader))  # documentalists, like tag decisions
    label = _clean([pref_label], "libellé préféré")
    if not label:
        raise InvalidInput("libellé préféré : obligatoire")
    with ctx.sessions.begin() as session:
        parent = _concept(session, broader_uri) if broader_uri else None
        query = select(ConceptScheme).order_by(ConceptScheme.id)
        if parent is not None:
            query = query.where(ConceptScheme.id == parent.scheme_id)
        elif scheme_uri:
            query = query.where(ConceptScheme.uri == scheme_uri)
        scheme = session.scalar(query.limit(1))
        if scheme is None:
            raise NotFound("Schéma de concepts introuvable.")
        sibling = session.scalar(select(Concept.uri).where(Concept.scheme_id == scheme.id))
        base = sibling.rsplit("/", 1)[0] + "/" if sibling and "/" in sibling \
            else scheme.uri.rstrip("/") + "/"
        stem = base + slug(label[0][0], "concept", limit=80)
        uri, number = stem, 1
        while session.scalar(select(Concept.id).where(Concept.uri == uri)) is not None:
            number += 1
            uri = f"{stem}-{number}"
        concept = Concept(scheme_id=scheme.id, uri=uri, pref_label=label[0][0],
                          pref_labels=label, alt_labels=[], hidden_labels=[], definitions=[],
                          scope_notes=[], top=parent is None)
        session.add(concept)
        session.flush()
        if parent is not None:
            session.add(ConceptRelation(source_id=concept.id, target_id=parent.id,
                                        kind="broader"))
        _touch(session, concept)
    return uri


def add_alt_label(ctx: KbContext, reader: Reader, uri: str, label: str) -> str:
    """Add a French altLabel to a concept (a promoted candidate); returns the concept's URI."""
    _require(can_edit_metadata(reader))  # documentalists, like tag decisions
    cleaned = _clean([label], "synonyme")
    if not cleaned:
        raise InvalidInput("synonyme : obligatoire")
    with ctx.sessions.begin() as session:
        concept = _concept(session, uri)
        if cleaned[0] not in concept.alt_labels:
            concept.alt_labels = [*concept.alt_labels, cleaned[0]]
        _touch(session, concept)
    index_pending(ctx)
    return uri
