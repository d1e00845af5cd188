"""Facet counts from cached per-value document columns, never from the hits one by one.

Values chosen in one facet are alternatives (OR); facets combine (AND). Each facet is
counted with every other facet's choice applied but not its own, so that its other values
stay visible with the count they would give.

Public surface: `FACET_FIELDS`, `filter_masks()`, `count_facets()`, `visible_values()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from indexer.index.snapshot import Snapshot

# Facet name (as in URLs and the query syntax) -> index field.
FACET_FIELDS = {
    "type": "kind",
    "statut": "status",
    "theme": "theme",
    "territoire": "territory_facet",
    "auteur": "author_facet",
    "annee": "year",
}


def filter_masks(snap: Snapshot, filters: Mapping[str, Sequence[str]]) -> dict[str, np.ndarray]:
    """One mask per filtered facet: documents having any of the chosen values."""
    return {
        name: snap.value_mask(FACET_FIELDS[name], values)
        for name, values in filters.items()
        if name in FACET_FIELDS
    }


def count_facets(snap: Snapshot, base: np.ndarray, masks: Mapping[str, np.ndarray],
                 names: Sequence[str] = tuple(FACET_FIELDS)) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values with a non-zero count among `base` documents (which must
    already be restricted to what the reader may see), most frequent first."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in names:
        mask = base
        for other, other_mask in masks.items():
            if other != name:
                mask = mask & other_mask
        column = snap.facet(FACET_FIELDS[name])
        counts = column.counts(mask)
        found = np.flatnonzero(counts)
        order = found[np.lexsort((found, -counts[found]))]
        facets[name] = [(column.values[i], int(counts[i])) for i in order]
    return facets


def visible_values(snap: Snapshot, name: str, visible: np.ndarray) -> dict[str, int]:
    """Every value of a facet held by at least one visible document, with its count."""
    column = snap.facet(FACET_FIELDS[name])
    counts = column.counts(visible)
    return {column.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}
