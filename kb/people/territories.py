"""Territories as people type them, linked to départements and régions when they can be.

The list shipped in `data/territoires.json` (Insee's official geographic code: the 101
départements and 18 régions, their codes and chefs-lieux, and the kinds of territory)
lets « Ambert (63) », « Puy-de-Dôme » and « Auvergne-Rhône-Alpes » meet: each text keeps its
wording and gets, when it can, a kind (commune, EPCI, PETR…), a département and a région.
Communes are too many to ship; a commune is linked through a département code typed with it
(« Ambert (63) », « 63600 Ambert ») or when it is a chef-lieu.

Public surface: `link_territory(text) -> Territory`, `departement(code)`, `region(code)`,
`KINDS`, `facet_label(value)`, `matches(territory, value)`.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from kb.people.names import fold

NATIONAL = "national"


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    region: str = ""  # a département's région code


@dataclass(frozen=True)
class Territory:
    """A typed territory and what it could be linked to (empty strings: unknown)."""

    text: str
    kind: str = ""
    departement: str = ""
    region: str = ""

    @property
    def linked(self) -> bool:
        return bool(self.departement or self.region or self.kind == NATIONAL)

    def values(self) -> list[str]:
        """Its facet values: `dep:63`, `reg:84`, `type:petr`."""
        found = [f"dep:{self.departement}"] if self.departement else []
        found += [f"reg:{self.region}"] if self.region else []
        return found + ([f"type:{self.kind}"] if self.kind else [])

    def label(self) -> str:
        """« Ambert (63) » stays as typed; a bare région or département gets its name."""
        if self.departement and f"({self.departement})" not in self.text:
            return f"{self.text} ({self.departement})"
        return self.text


@dataclass(frozen=True)
class Data:
    source: str
    regions: dict[str, Place]
    departements: dict[str, Place]
    kinds: dict[str, str]
    kind_patterns: list[tuple[str, str]]  # (folded pattern, kind), longest first
    names: list[tuple[str, str, str]]  # (folded name, "dep" or "reg", code), longest first
    cased: frozenset[str]  # names that are also common words: matched with a capital only


@functools.cache
def data() -> Data:
    raw = json.loads(resources.files("kb.people").joinpath("data/territoires.json")
                     .read_text(encoding="utf-8"))
    regions = {r["code"]: Place(r["code"], r["name"]) for r in raw["regions"]}
    departements = {d["code"]: Place(d["code"], d["name"], d["region"])
                    for d in raw["departements"]}
    names: list[tuple[str, str, str]] = []
    # Départements first: where a name is also a région's (Guadeloupe, Lyon), the
    # département says more.
    for scope, places, entries in (("dep", departements, raw["departements"]),
                                   ("reg", regions, raw["regions"])):
        for place, entry in zip(places.values(), entries, strict=True):
            names.append((fold(place.name), scope, place.code))
            if entry["chef_lieu"] not in raw["ambiguous_cities"]:
                names.append((fold(entry["chef_lieu"]), f"{scope}-ville", place.code))
    patterns = [(fold(p), k["code"]) for k in raw["kinds"] for p in k["patterns"]]
    return Data(
        raw["source"], regions, departements, {k["code"]: k["label"] for k in raw["kinds"]},
        sorted(patterns, key=lambda p: -len(p[0])),
        sorted(names, key=lambda n: -len(n[0])),
        frozenset(fold(w) for w in raw["common_words"]))


def departement(code: str) -> Place | None:
    return data().departements.get(code.upper())


def region(code: str) -> Place | None:
    return data().regions.get(code)


def kinds() -> dict[str, str]:
    return data().kinds


def _words(text: str) -> str:
    return f" {fold(text)} "


def _kind(folded: str) -> str:
    for pattern, kind in data().kind_patterns:
        if f" {pattern} " in folded:
            return kind
    return ""


def _code(text: str) -> str:
    """A département code typed with the name: « (63) », « 63600 », « 2A », « 974 »."""
    if match := re.search(r"\((\d{2,3}|2[ABab])\)", text):
        code = match[1].upper()
    elif match := re.search(r"\b(97[1-6]|\d{2})\d{2,3}\b", text):  # a postcode
        code = match[1] if match[1].startswith("97") else match[1][:2]
    else:
        return ""
    return "2A" if code == "20" else code if code in data().departements else ""


def _capitalised(text: str, folded_name: str) -> bool:
    """A name that is also a common word (« Nord », « Cher », « Lot ») counts only written as
    a proper noun."""
    words = text.replace("-", " ").replace("'", " ").split()
    size = len(folded_name.split())
    return any(fold(" ".join(words[i:i + size])) == folded_name and words[i][:1].isupper()
               for i in range(len(words)))


def _named_place(text: str, folded: str) -> tuple[str, str, str]:
    """The longest région, département or chef-lieu named in the text: (scope, code, name)."""
    d = data()
    for name, scope, code in d.names:
        if f" {name} " not in folded:
            continue
        # « Haute-Savoie » holds « Savoie »: a longer name found first wins (sorted).
        if name in d.cased and not _capitalised(text, name):
            continue
        return scope, code, name
    return "", "", ""


def link_territory(text: str) -> Territory:
    """Link a typed territory to a kind, a département and a région where it can be."""
    text = " ".join((text or "").split())[:300]
    if not text:
        return Territory("")
    folded = _words(text)
    kind = _kind(folded)
    code = _code(text)
    d = data()
    if code:
        return Territory(text, kind or "commune", code, d.departements[code].region)
    scope, code, _name = _named_place(text, folded)
    if scope == "reg":
        return Territory(text, kind or "region", "", code)
    if scope == "dep":
        return Territory(text, kind or "departement", code, d.departements[code].region)
    if scope == "dep-ville":
        return Territory(text, kind or "commune", code, d.departements[code].region)
    if scope == "reg-ville":
        return Territory(text, kind or "commune", "", code)
    return Territory(text, kind)


def facet_label(value: str) -> str:
    """`dep:63` -> « Puy-de-Dôme (63) », `reg:84` -> « Auvergne-Rhône-Alpes », `type:petr` ->
    « PETR ou pays »."""
    scope, _, code = value.partition(":")
    if scope == "dep" and (place := departement(code)):
        return f"{place.name} ({place.code})"
    if scope == "reg" and (place := region(code)):
        return place.name
    if scope == "type":
        return kinds().get(code, code)
    return value


def matches(territory: Territory, value: str) -> bool:
    """Whether a territory falls under a facet value (a département is in its région)."""
    return value in territory.values()
