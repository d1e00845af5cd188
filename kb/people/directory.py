"""Finding the right people: the directory searched by words, themes, territories and kinds of
organisation, ranked on evidence before declarations, each result saying why it is there.

A person's evidence matches when it carries a chosen theme (or a narrower one) and, for
words, when its document answers the search (`kb.search`, as the reader); the ranking adds
up matching evidence by weight (a sheet narrated counts most), recency and place (in the
territory asked for, then in its région), and gives declared competences and territories
a small share only. Facets are counted over the people found, from what the reader may see.

Public surface: `DirectoryQuery`, `search_directory(ctx, reader, query)`, `DirectoryPage`.
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
from kb.people.reasons import reasons_for
from kb.people.territories import Territory, departement, facet_label, link_territory
from kb.search.results import search_documents
from kb.taxonomy.reading import linked_concepts
from kb.visibility import Reader

MAX_QUERY = 300
FACET_NAMES = {"theme": "Thème", "territoire": "Territoire", "organisation": "Organisation"}
DECLARED_COMPETENCE = 0.6
DECLARED_TERRITORY = 0.4
NAME_MATCH = 1.0
WORDS_THRESHOLD = 0.4


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class DirectoryFacet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class Result:
    person: Person
    score: float
    reasons: list[str]
    evidence: list[Evidence]
    matching: list[Evidence]
    organisations: list[Organisation]


@dataclass
class DirectoryPage:
    query: DirectoryQuery
    results: list[Result] = field(default_factory=list)
    facets: list[DirectoryFacet] = field(default_factory=list)
    theme_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class _Context:
    """What one search needs besides the people: chosen themes with their narrower
    concepts, documents answering the words, the territory the words name."""

    concept_ids: set[int] | None
    documents: dict[str, float] | None  # document id -> its score over the best one
    spoken_place: Territory | None
    today: dt.date


def _concepts(session: Session, uris: list[str]) -> tuple[set[int] | None, dict[str, str]]:
    if not uris:
        return None, {}
    rows = session.execute(select(Concept.id, Concept.uri, Concept.pref_label)
                           .where(Concept.uri.in_(uris))).all()
    ids = {row.id for row in rows}
    return ids | linked_concepts(session, ids, upwards=False), {r.uri: r.pref_label
                                                                 for r in rows}


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


def _matches(item: Evidence, context: _Context) -> bool:
    if context.concept_ids is not None and not item.concept_ids & context.concept_ids:
        return False
    return context.documents is None or bool(set(item.sources) & set(context.documents))


def _relevance(item: Evidence, context: _Context) -> float:
    if context.documents is None:
        return 1.0
    return max((context.documents.get(source, 0.0) for source in item.sources), default=0.0)


def _in_places(territory: Territory, values: list[str]) -> bool:
    return any(value in territory.values() for value in values)


def _place_factor(territory: Territory, query: DirectoryQuery, context: _Context) -> float:
    wanted = list(query.territories)
    if context.spoken_place is not None:
        wanted += context.spoken_place.values()
    if not wanted:
        return 1.0
    if _in_places(territory, wanted):
        return 1.5
    regions = {f"reg:{d.region}" for v in wanted if v.startswith("dep:")
               and (d := departement(v[4:]))}
    return 1.2 if _in_places(territory, sorted(regions)) else 1.0


def _recency(item: Evidence, today: dt.date) -> float:
    if item.date is None:
        return 0.5
    years = max(0.0, (today - item.date).days / 365.25)
    return 0.5 + 0.5 / (1 + years / 4)


@dataclass
class _Person:
    """One person's fields as this reader may see them, ready to be matched."""

    person: Person
    evidence: list[Evidence]
    organisations: list[Organisation]
    declared_places: list[Territory]
    declared_concepts: set[str]


def _score(entry: _Person, query: DirectoryQuery, context: _Context,
           declared_theme: bool) -> tuple[float, list[Evidence]]:
    matching = [e for e in entry.evidence if _matches(e, context)]
    if query.territories:
        placed = [e for e in matching if _in_places(e.territory, query.territories)]
        if placed or not any(_in_places(t, query.territories) for t in entry.declared_places):
            matching = placed
    score = sum(e.weight * _recency(e, context.today) * _relevance(e, context)
                * _place_factor(e.territory, query, context) for e in matching)
    if declared_theme:
        score += DECLARED_COMPETENCE
    if query.territories and any(_in_places(t, query.territories)
                                 for t in entry.declared_places):
        score += DECLARED_TERRITORY
    return score, matching


def _passes(entry: _Person, query: DirectoryQuery, matching: list[Evidence],
            declared_theme: bool, named: bool) -> bool:
    if query.themes and not (matching or declared_theme):
        return False
    if query.text and not (matching or named):
        return False
    if query.territories and not matching and not any(
            _in_places(t, query.territories) for t in entry.declared_places):
        return False
    return not query.organisations or any(o.kind in query.organisations
                                          for o in entry.organisations)


def _named(entry: _Person, text: str) -> bool:
    words = fold(text).split()
    blob = fold(" ".join([entry.person.name, entry.person.headline, entry.person.presentation,
                          *(o.name for o in entry.organisations)]))
    return bool(words) and all(w in blob for w in words)


def _entries(session: Session, reader: Reader, query: DirectoryQuery) -> list[_Person]:
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


def search_directory(ctx: KbContext, reader: Reader, query: DirectoryQuery) -> DirectoryPage:
    """The people this reader may see that answer the query, best evidenced first."""
    query.text = " ".join(query.text.split())[:MAX_QUERY]
    page = DirectoryPage(query)
    with ctx.sessions() as session:
        concept_ids, page.theme_labels = _concepts(session, query.themes)
        entries = _entries(session, reader, query)
    spoken = link_territory(query.text) if query.text else None
    context = _Context(concept_ids, _documents_for_words(ctx, reader, query.text),
                       spoken if spoken and spoken.linked else None, dt.date.today())
    found = []
    for entry in entries:
        declared_theme = bool(set(query.themes) & entry.declared_concepts)
        score, matching = _score(entry, query, context, declared_theme)
        named = bool(query.text) and _named(entry, query.text)
        if query.empty:
            matching, score = entry.evidence, sum(e.weight for e in entry.evidence)
        elif not _passes(entry, query, matching, declared_theme, named):
            continue
        score += NAME_MATCH if named else 0.0
        reasons = reasons_for(query, matching, entry.evidence, declared_theme,
                              page.theme_labels, named)
        found.append((entry, Result(entry.person, score, reasons, entry.evidence, matching,
                                    entry.organisations)))
    found.sort(key=lambda pair: (-pair[1].score, pair[1].person.name_key))
    page.results = [result for _, result in found]
    page.facets = _facets([entry for entry, _ in found], query, page.theme_labels)
    return page


def _facets(entries: list[_Person], query: DirectoryQuery,
            theme_labels: dict[str, str]) -> list[DirectoryFacet]:
    themes: Counter[str] = Counter()
    places: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    labels = dict(theme_labels)
    for entry in entries:
        uris = {uri for e in entry.evidence for uri in e.themes}
        labels.update({uri: label for e in entry.evidence for uri, label in e.themes.items()})
        themes.update(uris)
        places.update({v for e in entry.evidence for v in e.territory.values()}
                      | {v for t in entry.declared_places for v in t.values()})
        kinds.update({o.kind for o in entry.organisations})

    def values(counts: Counter[str], chosen: list[str], label: dict[str, str] | None,
               limit: int) -> list[FacetValue]:
        top = [v for v, _ in counts.most_common(limit)]
        shown = top + [v for v in chosen if v not in top]
        return [FacetValue(v, (label or {}).get(v) or facet_label(v), counts.get(v, 0),
                           v in chosen) for v in shown]

    return [
        DirectoryFacet("theme", FACET_NAMES["theme"], values(themes, query.themes, labels, 25)),
        DirectoryFacet("territoire", FACET_NAMES["territoire"],
                       values(places, query.territories, None, 30)),
        DirectoryFacet("organisation", FACET_NAMES["organisation"],
                       values(kinds, query.organisations, ORGANISATION_KINDS, 10)),
    ]
