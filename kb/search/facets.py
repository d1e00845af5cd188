"""Facets and filter chips of a results page, labelled in French, built from counts that the
index computed among visible documents only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from indexer.index.snapshot import Snapshot
from indexer.search.facets import FACET_FIELDS, visible_values
from indexer.search.query import ParsedQuery, QueryFilter, without_span
from kb.search.filters import FACET_LABELS, NOTHING, resolve, value_label

SHOWN_VALUES = 12
SHOWN_THEMES = 24


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0  # themes: how far below a broader concept shown above


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class Chip:
    """A filter in force, and the search without it (query text and URL filters)."""

    name: str
    label: str
    query: str
    filters: dict[str, list[str]]


def resolve_filters(snap: Snapshot, visible: np.ndarray, chosen: Mapping[str, list[str]],
                    parsed: ParsedQuery, labels: Mapping[str, str]
                    ) -> tuple[dict[str, list[str]], list[QueryFilter]]:
    """Index values for the URL's filters and the query's `name:value` filters (values of
    one facet are alternatives), and the typed filters that match no value the reader may
    see (`annee:abc`, `type:inconnu`), which are searched as words instead."""
    typed: dict[str, list[tuple[str, QueryFilter | None]]] = {
        name: [(value, None) for value in values] for name, values in chosen.items()}
    for query_filter in parsed.filters:
        typed.setdefault(query_filter.name, []).append((query_filter.value, query_filter))

    def label(name: str, value: str) -> str:
        return value_label(name, value, labels)

    keys: dict[str, list[str]] = {}
    unresolved: list[QueryFilter] = []
    for name, values in typed.items():
        known = visible_values(snap, name, visible) if name in FACET_FIELDS else {}
        found: list[str] = []
        for value, in_query in values:
            resolved = resolve(name, value, known, label)
            if in_query and resolved == [NOTHING]:
                unresolved.append(in_query)
                continue
            found.extend(resolved)
            if in_query and name == "statut" and "doctrine" in found:
                # Typed `statut:doctrine` also finds validated texts under revision, which
                # remain doctrine until a new decision; the facet itself stays exact.
                found.append("a-reviser")
        if found:
            keys[name] = list(dict.fromkeys(found))
    return keys, unresolved


def tree_order(values: list[tuple[str, int]],
               broader: Mapping[str, list[str]]) -> list[tuple[str, int, int]]:
    """Themes in hierarchy order (each broader concept followed by its narrower ones, most
    frequent first) with their depth; a broader concept's count includes its narrower ones
    because documents are indexed under every broader concept of their tags."""
    counts = dict(values)
    children: dict[str, list[str]] = {}
    roots = []
    for value, _count in values:
        parents = [p for p in broader.get(value, []) if p in counts and p != value]
        if parents:
            children.setdefault(parents[0], []).append(value)
        else:
            roots.append(value)
    ordered: list[tuple[str, int, int]] = []

    def visit(value: str, depth: int, path: frozenset[str]) -> None:
        ordered.append((value, counts[value], depth))
        for child in children.get(value, []):
            if child not in path:
                visit(child, depth + 1, path | {child})

    for root in roots:
        visit(root, 0, frozenset({root}))
    return ordered


def build_facets(counts: Mapping[str, list[tuple[str, int]]], chosen: Mapping[str, list[str]],
                 labels: Mapping[str, str],
                 broader: Mapping[str, list[str]] | None = None) -> list[Facet]:
    facets = []
    for name in FACET_FIELDS:
        values = counts.get(name, [])
        if name == "annee":
            values = sorted(values, key=lambda item: item[0], reverse=True)
        if name == "theme":
            shown = tree_order(values, broader or {})[:SHOWN_THEMES]
        else:
            shown = [(value, count, 0) for value, count in values[:SHOWN_VALUES]]
        shown_keys = {value for value, _, _ in shown}
        shown += [(value, 0, 0) for value in chosen.get(name, []) if value not in shown_keys]
        if shown:
            selected = set(chosen.get(name, []))
            facets.append(Facet(name, FACET_LABELS[name], [
                FacetValue(value, value_label(name, value, labels), count, value in selected,
                           depth)
                for value, count, depth in shown
            ]))
    return facets


def build_chips(query: str, parsed: ParsedQuery, chosen: Mapping[str, list[str]],
                labels: Mapping[str, str]) -> list[Chip]:
    chips = []
    for name, values in chosen.items():
        for value in values:
            rest = {n: [v for v in vs if (n, v) != (name, value)] for n, vs in chosen.items()}
            label = f"{FACET_LABELS[name]} : {value_label(name, value, labels)}"
            chips.append(Chip(name, label, query, {n: vs for n, vs in rest.items() if vs}))
    for query_filter in parsed.filters:
        label = f"{FACET_LABELS[query_filter.name]} : {query_filter.value}"
        chips.append(Chip(query_filter.name, label, without_span(query, query_filter.span),
                          dict(chosen)))
    return chips
