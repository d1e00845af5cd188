"""How much a person's evidence answers a directory search, and how it adds up.

A piece of evidence counts by what it is and the person's part in it (`Evidence.weight`: a
sheet one narrated says most), by how recent it is, by how well it answers the question (it
carries a theme the question names, or its document answers the words) and by where it
happened (in the territory asked for, then in its région). A person's pieces add up with
diminishing returns, the strongest first (1, 1/2, 1/3…): several sheets on the theme beat
one, but ten documents that merely share words with the question do not beat two sheets on
its theme.

Public surface: `Asked`, `answer(evidence, asked)`, `in_places`, `total`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb.people.evidence import Evidence
from kb.people.territories import Territory, departement

# Share of a piece's answer that comes from carrying a theme the question names; the rest
# from its document's score for the words (when the question names no theme, all of it).
THEME_SHARE = 0.6
IN_PLACE = 1.5
IN_REGION = 1.2


@dataclass
class Asked:
    """What one search asks of the evidence."""

    today: dt.date
    # Concept ids (with their narrower ones) the evidence must carry: the chosen themes.
    required: set[int] | None = None
    # Concept ids the question's words name: carrying one makes a piece answer better.
    named: set[int] = field(default_factory=set)
    # Document id -> its score for the words over the best one's (None: no words).
    documents: dict[str, float] | None = None
    # Facet values (dep:63, reg:84, type:petr) of the places asked for, which rank higher.
    places: list[str] = field(default_factory=list)
    # The places the evidence must be in (a territory chosen, or the only thing asked).
    within: list[str] = field(default_factory=list)


def in_places(territory: Territory, values: list[str]) -> bool:
    return any(value in territory.values() for value in values)


def _regions(values: list[str]) -> list[str]:
    return sorted({f"reg:{place.region}" for value in values if value.startswith("dep:")
                   and (place := departement(value[4:]))})


def place_factor(territory: Territory, places: list[str]) -> float:
    if not places:
        return 1.0
    if in_places(territory, places):
        return IN_PLACE
    return IN_REGION if in_places(territory, _regions(places)) else 1.0


def recency(item: Evidence, today: dt.date) -> float:
    """1 for this year's, 0.75 four years ago, towards 0.5; 0.5 undated."""
    if item.date is None:
        return 0.5
    years = max(0.0, (today - item.date).days / 365.25)
    return 0.5 + 0.5 / (1 + years / 4)


def _words(item: Evidence, documents: dict[str, float]) -> float:
    return max((documents.get(source, 0.0) for source in item.sources), default=0.0)


def answer(item: Evidence, asked: Asked) -> float:
    """How well one piece answers the search, from 0 (not at all) to 1."""
    if asked.required is not None and not item.concept_ids & asked.required:
        return 0.0
    words = _words(item, asked.documents) if asked.documents is not None else None
    if not asked.named:
        return 1.0 if words is None else words
    themed = 1.0 if item.concept_ids & asked.named else 0.0
    if words is None:
        return themed
    return THEME_SHARE * themed + (1 - THEME_SHARE) * words


def contribution(item: Evidence, asked: Asked, answered: float) -> float:
    return (item.weight * recency(item, asked.today) * answered
            * place_factor(item.territory, asked.places))


def total(contributions: list[float]) -> float:
    """The pieces added strongest first, each worth less than the one before."""
    return sum(value / rank for rank, value in enumerate(sorted(contributions, reverse=True),
                                                         start=1))
