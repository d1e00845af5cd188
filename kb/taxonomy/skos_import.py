"""Import a SKOS file into a concept scheme: update by URI, deprecate what disappeared,
keep every tag. One transaction: an invalid file or a failure changes nothing.

Public surface: `import_skos(ctx, path, scheme_uri=None, tagging=None)` -> `ImportReport`
(`tagging`: use the scheme for automatic tagging or not; None keeps an existing scheme's
choice, and a new scheme is used).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from more_itertools import chunked
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import InvalidInput
from kb.indexing.sync import index_pending
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag, utcnow
from kb.models.base import check_lengths, table_limits
from kb.taxonomy.reading import linked_concepts
from kb.taxonomy.skos_files import ParsedConcept, ParsedScheme, parse_skos

CHUNK = 500
FIELDS = ("pref_label", "pref_labels", "alt_labels", "hidden_labels", "definitions",
          "scope_notes", "notation", "top", "deprecated", "replaced_by")


@dataclass
class ImportReport:
    scheme_uri: str
    scheme_title: str
    created: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: int = 0
    ignored: int = 0
    flagged_tags: int = 0
    # The scheme's use for tagging, and whether this import switched it.
    tagging: bool = True
    tagging_switched: bool = False

    @property
    def total(self) -> int:
        return len(self.added) + len(self.changed) + len(self.restored) + self.unchanged


def _labels(values: Iterable[tuple[str, str]]) -> list[list[str]]:
    return [list(pair) for pair in sorted(set(values), key=lambda p: (p[1], p[0]))]


def _values(concept: ParsedConcept) -> dict[str, Any]:
    return {
        "pref_label": concept.display_label[:500],
        "pref_labels": _labels(concept.pref_labels),
        "alt_labels": _labels(concept.alt_labels),
        "hidden_labels": _labels(concept.hidden_labels),
        "definitions": _labels(concept.definitions),
        "scope_notes": _labels(concept.scope_notes),
        "notation": concept.notation[:100] if concept.notation else None,
        "top": concept.top,
        "deprecated": concept.deprecated,
        "replaced_by": concept.replaced_by,
    }


def import_skos(ctx: KbContext, path: Path, scheme_uri: str | None = None,
                tagging: bool | None = None) -> ImportReport:
    """Read `path` and bring the scheme in the database to its content."""
    parsed = parse_skos(path, scheme_uri)
    if not parsed.concepts:
        raise InvalidInput(f"{path.name} : aucun concept SKOS trouvé")
    with ctx.sessions.begin() as session:
        report = apply_import(session, parsed, path.name, tagging)
    index_pending(ctx)  # documents whose concept labels changed
    return report


def apply_import(session: Session, parsed: ParsedScheme, source_name: str,
                 tagging: bool | None = None) -> ImportReport:
    """The import itself, inside the caller's transaction."""
    report = ImportReport(parsed.uri, parsed.title, ignored=parsed.ignored)
    scheme = session.scalar(select(ConceptScheme).where(ConceptScheme.uri == parsed.uri))
    if scheme is None:
        scheme = ConceptScheme(uri=parsed.uri, title=parsed.title[:500], revision=0,
                               tagging=tagging is not False)
        session.add(scheme)
        session.flush()
        report.created = True
    elif tagging is not None and scheme.tagging != tagging:
        scheme.tagging = tagging
        report.tagging_switched = True
    report.tagging = scheme.tagging
    existing = _existing(session, scheme.id, list(parsed.concepts))
    relations = _relation_map(session, [c.id for c in existing.values()])
    touched = _upsert(session, scheme.id, parsed, existing, relations, report)
    touched += _deprecate_missing(session, scheme.id, parsed, existing, report)
    ids = dict(session.execute(select(Concept.uri, Concept.id)
                               .where(Concept.scheme_id == scheme.id)).all())
    moved = _moved(parsed, existing, relations)
    _replace_relations(session, parsed, ids)
    # Documents of a moved concept and of all its narrower ones name new broader themes.
    moved |= linked_concepts(session, moved, upwards=False)
    report.flagged_tags = _flag_documents(session, sorted({*touched, *moved}))
    if report.created or report.added or report.changed or report.deprecated or report.restored:
        scheme.revision = ConceptScheme.revision + 1  # in SQL: no concurrent bump is lost
    scheme.title = parsed.title[:500]
    scheme.description = parsed.description
    scheme.modified = parsed.modified
    scheme.source_name = source_name[:300]
    scheme.imported_at = utcnow()
    return report


def _moved(parsed: ParsedScheme, existing: dict[str, Concept],
           relations: dict[int, tuple[set[int], set[int]]]) -> set[int]:
    """Ids of the existing concepts whose broader concepts the file changes."""
    by_id = {c.id: c.uri for c in existing.values()}
    return {current.id for uri, current in existing.items() if uri in parsed.concepts
            and {by_id.get(i) for i in relations.get(current.id, (set(), set()))[0]}
            != parsed.concepts[uri].broader}


def _existing(session: Session, scheme_id: int, uris: list[str]) -> dict[str, Concept]:
    found = {c.uri: c for c in session.scalars(
        select(Concept).where(Concept.scheme_id == scheme_id))}
    missing = [u for u in uris if u not in found]
    for part in chunked(missing, CHUNK):
        found.update({c.uri: c for c in session.scalars(
            select(Concept).where(Concept.uri.in_(part)))})
    return found


def _relation_map(session: Session, ids: list[int]) -> dict[int, tuple[set[int], set[int]]]:
    result: dict[int, tuple[set[int], set[int]]] = {}
    for part in chunked(ids, CHUNK):
        rows = session.execute(select(ConceptRelation).where(
            ConceptRelation.source_id.in_(part))).scalars()
        for row in rows:
            broader, related = result.setdefault(row.source_id, (set(), set()))
            (broader if row.kind == "broader" else related).add(row.target_id)
    return result


def _upsert(session: Session, scheme_id: int, parsed: ParsedScheme,
            existing: dict[str, Concept], relations: dict[int, tuple[set[int], set[int]]],
            report: ImportReport) -> list[int]:
    """Insert new concepts, update changed ones; returns ids whose labels or state changed."""
    now = utcnow()
    by_id = {c.id: c.uri for c in existing.values()}
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touched: list[int] = []
    limits = table_limits(Concept.__table__)
    for uri, concept in parsed.concepts.items():
        values = _values(concept)
        check_lengths(limits, {**values, "uri": uri}, f"concept {uri[:200]}")
        current = existing.get(uri)
        if current is None:
            new_rows.append({**values, "uri": uri, "scheme_id": scheme_id, "created_at": now,
                             "updated_at": now})
            report.added.append(uri)
            continue
        broader, related = relations.get(current.id, (set(), set()))
        same_links = ({by_id.get(i) for i in broader} == concept.broader
                      and {by_id.get(i) for i in related} == concept.related)
        differs = [f for f in FIELDS if getattr(current, f) != values[f]]
        if current.missing_since is not None:
            report.restored.append(uri)
        elif differs or not same_links or current.scheme_id != scheme_id:
            report.changed.append(uri)
        else:
            report.unchanged += 1
            continue
        if differs or current.missing_since is not None:
            touched.append(current.id)
        if concept.deprecated and not current.deprecated:
            report.deprecated.append(uri)
        updates.append({**values, "id": current.id, "scheme_id": scheme_id,
                        "missing_since": None, "updated_at": now})
    for part in chunked(new_rows, CHUNK):
        session.execute(insert(Concept), part)
    for part in chunked(updates, CHUNK):
        session.execute(update(Concept), part)
    return touched


def _deprecate_missing(session: Session, scheme_id: int, parsed: ParsedScheme,
                       existing: dict[str, Concept], report: ImportReport) -> list[int]:
    """Concepts of the scheme gone from the file: deprecated and flagged, never deleted."""
    now = utcnow()
    gone = [c for uri, c in existing.items()
            if uri not in parsed.concepts and c.missing_since is None
            and c.scheme_id == scheme_id]
    report.deprecated.extend(c.uri for c in gone if not c.deprecated)
    rows = [{"id": c.id, "deprecated": True, "missing_since": now, "updated_at": now}
            for c in gone]
    for part in chunked(rows, CHUNK):
        session.execute(update(Concept), part)
    return [c.id for c in gone]


def _replace_relations(session: Session, parsed: ParsedScheme, ids: dict[str, int]) -> None:
    wanted = [id_ for uri, id_ in ids.items() if uri in parsed.concepts]
    for part in chunked(wanted, CHUNK):
        session.execute(delete(ConceptRelation).where(ConceptRelation.source_id.in_(part)))
    rows = [
        {"source_id": ids[uri], "target_id": ids[target], "kind": kind}
        for uri, concept in parsed.concepts.items()
        for kind, targets in (("broader", concept.broader), ("related", concept.related))
        for target in sorted(targets) if target in ids
    ]
    for part in chunked(rows, CHUNK):
        session.execute(insert(ConceptRelation), part)


def _flag_documents(session: Session, concept_ids: list[int]) -> int:
    """Documents tagged with a changed concept are re-indexed (their labels changed); returns
    how many tags sit on a concept now deprecated."""
    flagged = 0
    for part in chunked(concept_ids, CHUNK):
        documents = select(DocumentTag.document_id).where(DocumentTag.concept_id.in_(part))
        session.execute(update(Document).where(Document.id.in_(documents))
                        .values(index_pending=True))
        deprecated = select(Concept.id).where(Concept.id.in_(part), Concept.deprecated)
        flagged += len(session.scalars(select(DocumentTag.id).where(
            DocumentTag.concept_id.in_(deprecated))).all())
    return flagged
