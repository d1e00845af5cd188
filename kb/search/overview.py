"""What the base holds, as one reader may see it: documents by kind and the most present
themes, counted by the index among the documents the reader may read, so that each figure is
what the matching filtered search finds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.search.facets import FACET_FIELDS
from kb.context import KbContext
from kb.models.documents import KIND_LABELS, KIND_PLURAL_LABELS, KINDS
from kb.search.expansion import taxonomy
from kb.visibility import Reader, reader_tokens


@dataclass(frozen=True)
class Count:
    """A filter value (a kind, a concept URI), its French label and its document count."""

    value: str
    label: str
    count: int


def _counts(ctx: KbContext, reader: Reader, facet: str) -> dict[str, int]:
    snap = ctx.index.snapshot()
    column = snap.facet(FACET_FIELDS[facet])
    counts = column.counts(snap.visible_mask(reader_tokens(reader)))
    return {column.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def kind_counts(ctx: KbContext, reader: Reader) -> list[Count]:
    """Every kind of document the reader may find at least one of, in the base's order."""
    counts = _counts(ctx, reader, "type")
    return [Count(kind, (KIND_LABELS if counts[kind] == 1 else KIND_PLURAL_LABELS)[kind],
                  counts[kind]) for kind in KINDS if counts.get(kind)]


def top_themes(ctx: KbContext, reader: Reader, limit: int = 12) -> list[Count]:
    """The taxonomy concepts with the most documents for this reader, most first; the
    scheme's top concepts, which hold nearly everything, are left to the theme tree."""
    known = taxonomy(ctx)
    counts = _counts(ctx, reader, "theme")
    found = [Count(uri, known.labels[uri], count) for uri, count in counts.items()
             if uri in known.labels and known.broader.get(uri)]
    found.sort(key=lambda c: (-c.count, c.label.casefold()))
    return found[:limit]
