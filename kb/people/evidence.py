"""The evidence of what people did, as one reader may see it: the documents that name them
(sheets narrated or gathered, documents and proposals written), the catalogues they
composed, the dossiers they carried, each with its date, territory and themes.

Every piece goes through the rule of what it comes from: a document through
`kb.visibility.can_read`, a catalogue through its sharing, a dossier through
`dossier_visible`; what the reader may not read is neither listed nor counted.
Themes are the documents' tags that were not rejected (concepts of the taxonomy).

Public surface: `load_evidence(session, reader, people)`, `Evidence`, `summarise`,
`territory_linker`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.catalogues.catalogue import can_read_catalogue
from kb.models import (
    KIND_LABELS,
    Catalogue,
    CatalogueItem,
    Concept,
    Document,
    DocumentTag,
    Dossier,
    Mention,
    Person,
    Sheet,
    TerritoryLink,
)
from kb.models.people import MENTION_ROLES
from kb.models.workflow import DOSSIER_KIND_LABELS
from kb.people.names import fold
from kb.people.territories import Territory, link_territory
from kb.visibility import Reader, can_read
from kb.workflow.store import dossier_visible

SHEET_KIND = "fiche-experience"
# How much one piece of evidence weighs in the directory's ranking, by what it is and the
# person's part in it: a sheet one narrated says most about what one did.
WEIGHTS = {("fiche", "narrateur"): 3.0, ("fiche", "maieuticien"): 2.0,
           ("fiche", "temoin"): 2.0, ("fiche", "auteur"): 2.5, ("document", "auteur"): 2.0,
           ("catalogue", "auteur"): 1.0, ("dossier", "auteur"): 1.0}


@dataclass
class Evidence:
    """One thing a person did, as the reader may see it."""

    kind: str  # fiche, document, catalogue, dossier
    label: str  # « Fiche d'expérience », « Proposition de changement de modèle »…
    target: str  # the document, catalogue or dossier id
    title: str
    date: dt.date | None
    territory: Territory
    roles: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    themes: dict[str, str] = field(default_factory=dict)  # concept uri -> label
    concept_ids: set[int] = field(default_factory=set)
    public: bool = False
    # The documents its themes come from (itself, a catalogue's resources, a dossier's text).
    sources: list[str] = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        return [MENTION_ROLES.get(r, r) for r in self.roles]

    @property
    def weight(self) -> float:
        return max((WEIGHTS.get((self.kind, r), 1.0) for r in self.roles), default=1.0)


def territory_linker(session: Session) -> Callable[[str], Territory]:
    """`link_territory` with the association's own links first, cached for one request."""
    links = {row.key: row for row in session.scalars(select(TerritoryLink))}
    cache: dict[str, Territory] = {}

    def link(text: str) -> Territory:
        if text not in cache:
            own = links.get(fold(text))
            cache[text] = (Territory(text, own.kind, own.departement, own.region) if own
                           else link_territory(text))
        return cache[text]

    return link


def _themes(session: Session, doc_ids: Iterable[str]) -> dict[str, dict[int, tuple[str, str]]]:
    found: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    ids = sorted(set(doc_ids))
    for start in range(0, len(ids), 500):
        for doc_id, concept_id, uri, label in session.execute(
                select(DocumentTag.document_id, Concept.id, Concept.uri, Concept.pref_label)
                .join(Concept, Concept.id == DocumentTag.concept_id)
                .where(DocumentTag.document_id.in_(ids[start:start + 500]),
                       DocumentTag.state != "rejected", Concept.deprecated.is_(False))):
            found[doc_id][concept_id] = (uri, label)
    return found


@dataclass
class _Collector:
    session: Session
    reader: Reader
    link: Callable[[str], Territory]
    documents: dict[str, Document] = field(default_factory=dict)
    found: dict[str, dict[str, Evidence]] = field(default_factory=lambda: defaultdict(dict))

    def readable(self, document: Document | None) -> bool:
        return document is not None and can_read(self.reader, document.visibility,
                                                 document.groups)

    def add_document(self, person_id: str, document: Document, role: str,
                     detail: str = "") -> None:
        if not self.readable(document):
            return
        self.documents[document.id] = document
        items = self.found[person_id]
        item = items.get(f"doc:{document.id}")
        if item is None:
            kind = "fiche" if document.kind == SHEET_KIND else "document"
            item = items[f"doc:{document.id}"] = Evidence(
                kind, KIND_LABELS.get(document.kind, document.kind), document.id,
                document.title, document.date, self.link(document.territory or ""),
                public=document.visibility == "public", sources=[document.id])
        if role not in item.roles:
            item.roles.append(role)
        if detail and detail not in item.details:
            item.details.append(detail)


def _mentions(collector: _Collector, person_ids: list[str]) -> None:
    rows = collector.session.execute(
        select(Mention.person_id, Mention.role, Mention.detail, Document)
        .join(Document, Document.id == Mention.document_id)
        .where(Mention.person_id.in_(person_ids), Mention.state == "lie"))
    for person_id, role, detail, document in rows:
        collector.add_document(person_id, document, role, detail)


def _account_work(collector: _Collector, by_user: dict[int, str]) -> None:
    """Sheets, catalogues and dossiers tied to the accounts of the people."""
    session, users = collector.session, list(by_user)
    for sheet in session.scalars(select(Sheet).where(
            Sheet.document_id.is_not(None), Sheet.state == "publiee",
            (Sheet.narrator_user_id.in_(users)) | (Sheet.owner_id.in_(users)))):
        document = session.get(Document, sheet.document_id)
        for user_id, role in ((sheet.narrator_user_id, "narrateur"),
                              (sheet.owner_id, "maieuticien")):
            if user_id in by_user and document is not None:
                collector.add_document(by_user[user_id], document, role)
    for catalogue in session.scalars(select(Catalogue).where(Catalogue.owner_id.in_(users))):
        if can_read_catalogue(collector.reader, catalogue):
            _catalogue(collector, by_user[catalogue.owner_id], catalogue)
    for dossier in session.scalars(select(Dossier).where(Dossier.proposer_id.in_(users))):
        if dossier_visible(session, collector.reader, dossier):
            document = session.get(Document, dossier.document_id) if dossier.document_id \
                else None
            collector.found[by_user[dossier.proposer_id]][f"dos:{dossier.id}"] = Evidence(
                "dossier", DOSSIER_KIND_LABELS.get(dossier.kind, "Dossier"), dossier.id,
                dossier.subject_title, dossier.created_at.date(),
                collector.link(document.territory or "" if document else ""), ["auteur"])
            if document is not None and collector.readable(document):
                collector.documents[document.id] = document
                collector.found[by_user[dossier.proposer_id]][f"dos:{dossier.id}"].sources = [
                    document.id]


def _catalogue(collector: _Collector, person_id: str, catalogue: Catalogue) -> None:
    documents = [d for d in collector.session.scalars(
        select(Document).join(CatalogueItem, CatalogueItem.document_id == Document.id)
        .where(CatalogueItem.catalogue_id == catalogue.id)) if collector.readable(d)]
    for document in documents:
        collector.documents[document.id] = document
    collector.found[person_id][f"cat:{catalogue.id}"] = Evidence(
        "catalogue", "Catalogue de ressources", catalogue.id, catalogue.title,
        catalogue.updated_at.date(), Territory(""), ["auteur"],
        [f"{len(documents)} ressource(s)"], public=catalogue.sharing == "public",
        sources=[d.id for d in documents])


def _attach_themes(collector: _Collector) -> None:
    themes = _themes(collector.session, collector.documents)
    for items in collector.found.values():
        for item in items.values():
            for doc_id in item.sources:
                for concept_id, (uri, label) in themes.get(doc_id, {}).items():
                    item.themes[uri] = label
                    item.concept_ids.add(concept_id)


def summarise(evidence: Iterable[Evidence]) -> tuple[list[tuple[str, str, int]],
                                                     list[tuple[str, int]]]:
    """The themes (uri, label, pieces) and places (label, pieces) of some evidence, the most
    frequent first; a piece seen twice (two members wrote it) counts once."""
    pieces = {(item.kind, item.target): item for item in evidence}
    themes: Counter[str] = Counter()
    labels: dict[str, str] = {}
    places: Counter[str] = Counter()
    for item in pieces.values():
        themes.update(item.themes.keys())
        labels.update(item.themes)
        if item.territory.text:
            places[item.territory.label()] += 1
    return [(uri, labels[uri], n) for uri, n in themes.most_common()], places.most_common()


def load_evidence(session: Session, reader: Reader,
                  people: list[Person]) -> dict[str, list[Evidence]]:
    """Person id -> their evidence this reader may see, the most recent first."""
    collector = _Collector(session, reader, territory_linker(session))
    ids = [p.id for p in people]
    for start in range(0, len(ids), 500):
        _mentions(collector, ids[start:start + 500])
    by_user = {p.user_id: p.id for p in people if p.user_id is not None}
    if by_user:
        _account_work(collector, by_user)
    _attach_themes(collector)
    oldest = dt.date.min
    return {person_id: sorted(items.values(), key=lambda e: e.date or oldest, reverse=True)
            for person_id, items in collector.found.items()}
