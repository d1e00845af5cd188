"""What a tagger proposes for a document, and why (shown to the documentalists).

Public surface: `Suggestion`, `ModelEvidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ModelEvidence:
    """What the learned model said of a suggested concept."""

    share: float  # share of the nearest tagged documents carrying it
    support: int  # similar tagged documents carrying it
    neighbours: list[str]  # the closest of them (keys), for the explanation


@dataclass
class Suggestion:
    """A concept proposed for a document, with what label matching and the learned model saw
    of it; `confidence` is the one the suggestion is ranked and kept by."""

    uri: str
    confidence: float
    label: str
    passages: list[dict[str, object]]
    zones: dict[str, float]
    shared_with: list[str] = field(default_factory=list)
    disambiguated: bool = False
    label_confidence: float | None = None  # label matching's own, when it found the concept
    narrower: str | None = None  # a narrower concept named in the text, when that helped
    model: ModelEvidence | None = None
