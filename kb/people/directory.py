"""Finding the right people: the directory searched by words, themes, territories and kinds of
organisation, ranked on evidence before declarations, each result saying why it is there.

A person's evidence matches when it carries a chosen theme (or a narrower one) and, for
words, when its document answers the search (`kb.search`, as the reader); the ranking adds
up matching evidence by weight (a sheet narrated counts most), recency and place (in the
territory asked for, then in its région), and gives declared competences and territories
a small share only. Facets are counted over the people found, from what the reader may see.

Public surface: `search_directory(ctx, reader, query)`, `DirectoryPage`, `as_filters`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.models import Concept, Membership, Organisation, Person
from kb.models.people import ORGANISATION_KINDS
from kb.people.evidence import Evidence, load_evidence, territory_linker
from kb.people.names import fold
from kb.people.privacy import can_see_field, visible_people
from kb.people.query import DirectoryQuery
from kb.people.question import Understood, understand
from kb.people.ranking import Asked, answer, contribution, in_places, total
from kb.people.reasons import reasons_for
from kb.people.territories import Territory, facet_label
from kb.search.facets import Facet, FacetValue
from kb.search.results import search_documents
from kb.taxonomy.reading import linked_concepts
from kb.visibility import Reader

MAX_QUERY = 300
# Facet name -> (label, the query argument its values go to).
FACETS = {"theme": ("Thème", "theme"), "territoire": ("Territoire", "territoire"),
          "type_territoire": ("Type de territoire", "territoire"),
          "organisation": ("Organisation", "organisation")}
DECLARED_COMPETENCE = 0.6
DECLARED_TERRITORY = 0.4
NAME_MATCH = 1.0
WORDS_THRESHOLD = 0.4


@dataclass
class DirectoryFacet(Facet):
    """A facet of the search's shape, whose values go to a query argument of their own."""

    param: str  # the query argument a value toggles


@dataclass
class Result:
    person: Person
    score: float
    reasons: list[str]
    evidence: list[Evidence]
    matching: list[Evidence]
    organisations: list[Organisation]
    territories: list[Territory]  # declared, where the reader may see them


@dataclass
class DirectoryPage:
    query: DirectoryQuery
    results: list[Result] = field(default_factory=list)
    facets: list[DirectoryFacet] = field(default_factory=list)
    theme_labels: dict[str, str] = field(default_factory=dict)
    # What the words were understood to name (themes, a place), and the words searched.
    understood: Understood = field(default_factory=Understood)


def _concept_ids(session: Session, uris: list[str]) -> set[int]:
    """The concepts of these URIs and all their narrower ones."""
    if not uris:
        return set()
    ids = set(session.scalars(select(Concept.id).where(Concept.uri.in_(uris))))
    return ids | linked_concepts(session, ids, upwards=False)


def _documents_for_words(ctx: KbContext, reader: Reader, text: str) -> dict[str, float] | None:
    """The documents answering the words well enough (a question shares some words with
    most documents), each with its score over the best one's."""
    if not text:
        return None
    page = search_documents(ctx, reader, text, per_page=100, with_facets=False,
                            with_snippets=False)
    best = max((hit.score for hit in page.hits), default=0.0) or 1.0
    return {hit.document.id: hit.score / best for hit in page.hits
            if hit.score >= WORDS_THRESHOLD * best}


@dataclass
class _Person:
    """One person's fields as this reader may see them, ready to be matched."""

    person: Person
    evidence: list[Evidence]
    organisations: list[Organisation]
    declared_places: list[Territory]
    declared_concepts: set[str]

    def declares(self, places: list[str]) -> bool:
        return any(in_places(t, places) for t in self.declared_places)


def _matching(entry: _Person, asked: Asked) -> tuple[float, list[Evidence]]:
    """The person's evidence that answers the search, and its score."""
    found = [(e, a) for e in entry.evidence if (a := answer(e, asked)) > 0]
    if asked.within:
        placed = [(e, a) for e, a in found if in_places(e.territory, asked.within)]
        # Someone who declares the territory keeps their evidence from elsewhere.
        if placed or not entry.declares(asked.within):
            found = placed
    score = total([contribution(e, asked, a) for e, a in found])
    return score, [e for e, _ in found]


def _passes(entry: _Person, query: DirectoryQuery, asked: Asked, matching: list[Evidence],
            declared_theme: bool, named: bool) -> bool:
    if query.themes and not (matching or declared_theme):
        return False
    if query.text and not (matching or named):
        return False
    if asked.within and not (matching or entry.declares(asked.within)):
        return False
    return not query.organisations or any(o.kind in query.organisations
                                          for o in entry.organisations)


def _named(entry: _Person, text: str) -> bool:
    words = fold(text).split()
    blob = fold(" ".join([entry.person.name, entry.person.headline, entry.person.presentation,
                          *(o.name for o in entry.organisations)]))
    return bool(words) and all(w in blob for w in words)


def _entries(session: Session, reader: Reader) -> list[_Person]:
    people = list(session.scalars(select(Person).where(visible_people(reader))
                                  .order_by(Person.name_key)))
    evidence = load_evidence(session, reader, people)
    memberships: dict[str, list[Organisation]] = {}
    for membership, organisation in session.execute(
            select(Membership, Organisation).join(Organisation).order_by(Membership.position)):
        memberships.setdefault(membership.person_id, []).append(organisation)
    link = territory_linker(session)
    entries = []
    for person in people:
        places = [link(t) for t in person.territories] if can_see_field(
            reader, person, "territoires") else []
        organisations = memberships.get(person.id, []) if can_see_field(
            reader, person, "organisations") else []
        entries.append(_Person(person, evidence.get(person.id, []), organisations, places,
                               set(person.competences)))
    return entries


def _place_values(place: Territory | None) -> list[str]:
    """A place named in a question as facet values: its most precise division, its kind."""
    if place is None:
        return []
    values = place.values()
    return values[:1] + [v for v in values[1:] if v.startswith("type:")]


def as_filters(understood: Understood) -> DirectoryQuery | None:
    """The search by filters alone that a question was understood as (a place becomes its
    most precise division, else its kind), or None when it named no theme and no place."""
    if not (understood.concepts or understood.place):
        return None
    return DirectoryQuery(themes=list(understood.concepts),
                          territories=_place_values(understood.place)[:1])


def _asked(ctx: KbContext, session: Session, reader: Reader, query: DirectoryQuery,
           understood: Understood) -> Asked:
    places = _place_values(understood.place)
    # A question naming a place only (« qui a travaillé dans le Gers ? ») filters on it.
    within = query.territories or (places if not (understood.concepts or understood.words)
                                   else [])
    return Asked(
        dt.date.today(), _concept_ids(session, query.themes) if query.themes else None,
        _concept_ids(session, list(understood.concepts)),
        _documents_for_words(ctx, reader, understood.words),
        list(dict.fromkeys([*query.territories, *places])), within)


def search_directory(ctx: KbContext, reader: Reader, query: DirectoryQuery) -> DirectoryPage:
    """The people this reader may see that answer the query, best evidenced first."""
    query.text = " ".join(query.text.split())[:MAX_QUERY]
    understood = understand(ctx, query.text) if query.text else Understood()
    page = DirectoryPage(query, understood=understood)
    with ctx.sessions() as session:
        page.theme_labels = dict(session.execute(select(Concept.uri, Concept.pref_label)
                                                 .where(Concept.uri.in_(query.themes))).all())
        entries = _entries(session, reader)
        asked = _asked(ctx, session, reader, query, understood)
    labels = list(page.theme_labels.values()) or list(understood.concepts.values())
    found = []
    for entry in entries:
        declared_theme = bool(set(query.themes) & entry.declared_concepts)
        score, matching = _matching(entry, asked)
        named = bool(query.text) and _named(entry, query.text)
        if not _passes(entry, query, asked, matching, declared_theme, named):
            continue
        score += (DECLARED_COMPETENCE if declared_theme else 0.0) + (NAME_MATCH if named else 0.0)
        if asked.within and entry.declares(asked.within):
            score += DECLARED_TERRITORY
        reasons = reasons_for(asked, labels, matching, entry.evidence, declared_theme, named)
        found.append((entry, Result(entry.person, score, reasons, entry.evidence, matching,
                                    entry.organisations, entry.declared_places)))
    found.sort(key=lambda pair: (-pair[1].score, pair[1].person.name_key))
    page.results = [result for _, result in found]
    page.facets = _facets([entry for entry, _ in found], query, page.theme_labels)
    return page


def _values(counts: Counter[str], chosen: list[str], labels: dict[str, str],
            limit: int) -> list[FacetValue]:
    """The most frequent values (then by label), and the chosen ones even if rare."""
    def label(value: str) -> str:
        return labels.get(value) or facet_label(value)

    top = sorted(counts, key=lambda v: (-counts[v], label(v)))[:limit]
    return [FacetValue(v, label(v), counts.get(v, 0), v in chosen)
            for v in top + [v for v in chosen if v not in top]]


def _facets(entries: list[_Person], query: DirectoryQuery,
            theme_labels: dict[str, str]) -> list[DirectoryFacet]:
    """Each facet counts the people found, once per value, from what the reader may see."""
    themes: Counter[str] = Counter()
    places: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    labels = dict(theme_labels)
    for entry in entries:
        for item in entry.evidence:
            labels.update(item.themes)
        themes.update({uri for e in entry.evidence for uri in e.themes})
        places.update({v for e in entry.evidence for v in e.territory.values()}
                      | {v for t in entry.declared_places for v in t.values()})
        kinds.update({o.kind for o in entry.organisations})
    chosen_places = [v for v in query.territories if not v.startswith("type:")]
    chosen_types = [v for v in query.territories if v.startswith("type:")]
    divisions = Counter({v: n for v, n in places.items() if not v.startswith("type:")})
    types = Counter({v: n for v, n in places.items() if v.startswith("type:")})
    found = {"theme": _values(themes, query.themes, labels, 25),
             "territoire": _values(divisions, chosen_places, {}, 30),
             "type_territoire": _values(types, chosen_types, {}, 10),
             "organisation": _values(kinds, query.organisations, ORGANISATION_KINDS, 10)}
    return [DirectoryFacet(name, label, found[name], param)
            for name, (label, param) in FACETS.items()]
