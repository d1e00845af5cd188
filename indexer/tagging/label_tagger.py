"""The label tagger: find thesaurus labels in analysed documents and score the concepts.

Public surface: `TAGGER_VERSION`, `ConceptLabels` (what kb hands over), `LabelIndex.build()`
and `.matches()` (per scheme, leftmost-longest; concepts of one scheme sharing a label come
out together), `find_evidence(document, index)` -> `Evidence` per concept (a shared label's
mention split by `shares`), `label_suggestions(evidence, document_frequency, documents)` ->
every concept found with a confidence between 0 and 1, `score_document(...)` -> those worth
suggesting, `evidence_record` / `evidence_from_records` (evidence as stored JSON). No
database here: the corpus statistics are passed in.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from indexer.nlp.documents import AnalysedDocument, TextUnit
from indexer.nlp.match_keys import MatchToken
from indexer.tagging.suggestion import Suggestion

# Bump when matching or scoring changes: tags made by an older version are redone by
# `kb tag --changed`, and the version is recorded with every automatic tag.
TAGGER_VERSION = "2"
# A concept named in the title, a heading or the declared metadata (kind and themes) weighs
# more than one more mention in the body; each zone but the body counts a bounded number of
# times. Tuned on corpus/eval/gold_tags.tsv (a broad plateau: see README).
ZONE_WEIGHTS = {"title": 6.0, "heading": 3.0, "meta": 4.0, "body": 1.0}
ZONE_CAPS = {"title": 1, "heading": 2, "meta": 1}
THRESHOLD = 0.6
STRENGTH = 1.2
MAX_TAGS = 8
# Pseudo-documents of average specificity: with a handful of documents, document
# frequencies say little, so they are blended with a neutral prior.
PRIOR_DOCUMENTS = 10
MAX_PASSAGES = 3
PASSAGE_CHARS = 220

LabelTokens = tuple[frozenset[str] | None, ...]
Tokeniser = Callable[[list[str]], list[list[MatchToken | None]]]


@dataclass(frozen=True)
class ConceptLabels:
    """A concept's labels: the preferred one first, then alternative and hidden ones; `scheme`
    names its concept scheme (labels compete for a span of text only within one scheme)."""

    uri: str
    labels: tuple[str, ...]
    scheme: str = ""


@dataclass(frozen=True)
class LabelEntry:
    uri: str
    label: str
    tokens: LabelTokens
    scheme: str = ""
    # Build order: of two labels of one concept matching the same words, the first is named.
    rank: int = 0


class LabelMatch(NamedTuple):
    """Tokens [start, end) name every concept of `entries`: one scheme, one label length."""

    start: int
    end: int
    entries: tuple[LabelEntry, ...]


@dataclass
class Evidence:
    """Where one concept was found in one document. A span of text naming several concepts
    of one scheme counts for each in proportion to `share` (see `find_evidence`), so zone and
    label counts may be fractional; `shared_with` names those other concepts."""

    uri: str
    zones: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    passages: list[dict[str, object]] = field(default_factory=list)
    shared_with: set[str] = field(default_factory=set)
    # True when the document's other mentions settled which concept a shared label meant.
    disambiguated: bool = False

    @property
    def weight(self) -> float:
        return sum(ZONE_WEIGHTS[zone] * min(count, ZONE_CAPS.get(zone, count))
                   for zone, count in self.zones.items())

    @property
    def best_label(self) -> str:
        return self.labels.most_common(1)[0][0]


class LabelIndex:
    """Every label as a sequence of match-key sets, indexed by the keys of its first word."""

    def __init__(self, entries: Iterable[LabelEntry]) -> None:
        self.first: dict[str, list[LabelEntry]] = defaultdict(list)
        self.size = 0
        for entry in entries:
            for key in entry.tokens[0] or ():
                self.first[key].append(entry)
            self.size += 1

    @classmethod
    def build(cls, concepts: Sequence[ConceptLabels], tokenise: Tokeniser) -> LabelIndex:
        """Tokenise every label with the same chain as the documents (`tokenise` runs the
        French pipeline over a list of label texts)."""
        texts: list[str] = []
        owners: list[ConceptLabels] = []
        for concept in concepts:
            for label in dict.fromkeys(concept.labels):
                texts.append(label)
                owners.append(concept)
        entries = []
        for rank, (owner, label, tokens) in enumerate(
                zip(owners, texts, tokenise(texts), strict=True)):
            keys = _strip_boundaries([t.keys if t is not None else None for t in tokens])
            if keys:
                entries.append(LabelEntry(owner.uri, label, keys, owner.scheme, rank))
        return cls(entries)

    def matches(self, tokens: Sequence[MatchToken | None]) -> list[LabelMatch]:
        """Leftmost-longest, non-overlapping matches, scheme by scheme: each scheme reads the
        text on its own, so a label of one never hides a label of another. Concepts of one
        scheme whose labels match the same words come out together in one `LabelMatch`."""
        found: list[LabelMatch] = []
        free_from: dict[str, int] = {}  # scheme -> first position not inside its last match
        for position, token in enumerate(tokens):
            if token is None:
                continue
            best: dict[str, tuple[int, dict[str, LabelEntry]]] = {}
            for key in token.keys:
                for entry in self.first.get(key, ()):
                    if position < free_from.get(entry.scheme, 0):
                        continue
                    size = len(entry.tokens)
                    current = best.get(entry.scheme)
                    if current is not None and size < current[0]:
                        continue
                    if not _fits(tokens, position, entry):
                        continue
                    if current is None or size > current[0]:
                        best[entry.scheme] = (size, {entry.uri: entry})
                    else:
                        known = current[1].get(entry.uri)
                        if known is None or entry.rank < known.rank:
                            current[1][entry.uri] = entry
            for scheme, (size, by_uri) in best.items():
                entries = tuple(sorted(by_uri.values(), key=lambda e: e.rank))
                found.append(LabelMatch(position, position + size, entries))
                free_from[scheme] = position + size
        return found


def _strip_boundaries(keys: list[frozenset[str] | None]) -> LabelTokens:
    while keys and keys[0] is None:
        keys.pop(0)
    while keys and keys[-1] is None:
        keys.pop()
    return tuple(keys)


def _fits(tokens: Sequence[MatchToken | None], position: int, entry: LabelEntry) -> bool:
    if position + len(entry.tokens) > len(tokens):
        return False
    for offset in range(1, len(entry.tokens)):
        wanted = entry.tokens[offset]
        token = tokens[position + offset]
        if wanted is None or token is None:
            if wanted is not token:
                return False
        elif wanted.isdisjoint(token.keys):
            return False
    return True


def shares(match: LabelMatch, context: Counter[str]) -> dict[str, float]:
    """How much of one mention goes to each concept it names. A label of one concept only is
    all its own. A label shared by several concepts of a scheme goes to those the rest of the
    document names unambiguously, in proportion to how much (context settles it); when none
    or all are named elsewhere alike, it is split evenly."""
    uris = [entry.uri for entry in match.entries]
    if len(uris) == 1:
        return {uris[0]: 1.0}
    support = {uri: context.get(uri, 0.0) for uri in uris}
    total = sum(support.values())
    if total <= 0:
        return dict.fromkeys(uris, 1.0 / len(uris))
    return {uri: value / total for uri, value in support.items()}


def find_evidence(document: AnalysedDocument, index: LabelIndex) -> dict[str, Evidence]:
    """Every concept whose label occurs in the document, with zones, labels and passages."""
    found = [(unit, match) for unit in document.units for match in index.matches(unit.tokens)]
    context: Counter[str] = Counter()
    for unit, match in found:
        if len(match.entries) == 1:
            context[match.entries[0].uri] += ZONE_WEIGHTS[unit.zone]
    evidence: dict[str, Evidence] = {}
    for unit, match in found:
        split = shares(match, context)
        others = set(split)
        for entry in match.entries:
            share = split[entry.uri]
            if share <= 0:
                continue
            item = evidence.get(entry.uri)
            if item is None:
                item = evidence[entry.uri] = Evidence(entry.uri)
            item.zones[unit.zone] += share
            item.labels[entry.label] += share
            if len(others) > 1:
                item.shared_with |= others - {entry.uri}
                item.disambiguated |= share == 1.0
            if len(item.passages) < MAX_PASSAGES and unit.zone == "body":
                passage = _passage(unit, match.start, match.end)
                if all(p["text"] != passage["text"] for p in item.passages):
                    item.passages.append(passage)
    return evidence


def evidence_record(item: Evidence) -> dict[str, object]:
    """Evidence as plain JSON data: enough to score it again, and explain it, without spaCy."""
    return {"weight": round(item.weight, 3), "label": item.best_label,
            "zones": {zone: round(count, 3) for zone, count in item.zones.items()},
            "passages": item.passages, "shared_with": sorted(item.shared_with),
            "disambiguated": item.disambiguated}


def evidence_from_records(records: Mapping[str, Mapping[str, Any]]) -> dict[str, Evidence]:
    """The evidence `evidence_record` kept, per concept."""
    found = {}
    for uri, item in records.items():
        zones = Counter({str(z): float(n) for z, n in dict(item.get("zones", {})).items()})
        found[uri] = Evidence(uri, zones, Counter({str(item.get("label", "")): 1}),
                              list(item.get("passages", [])), set(item.get("shared_with", [])),
                              bool(item.get("disambiguated", False)))
    return found


def _passage(unit: TextUnit, first: int, end: int) -> dict[str, object]:
    """The line around a match, cut to about `PASSAGE_CHARS` on word boundaries; `start` and
    `end` locate the matched words inside `text`, for highlighting."""
    begin_token, end_token = unit.tokens[first], unit.tokens[end - 1]
    assert begin_token is not None and end_token is not None
    text, match_start, match_end = unit.text, begin_token.start, end_token.end
    line_start = text.rfind("\n", 0, match_start) + 1
    line_end = text.find("\n", match_end)
    line_end = len(text) if line_end < 0 else line_end
    margin = max(20, (PASSAGE_CHARS - (match_end - match_start)) // 2)
    left, right = max(line_start, match_start - margin), min(line_end, match_end + margin)
    if left > line_start:
        space = text.find(" ", left, match_start)
        left = space + 1 if space >= 0 else left
    if right < line_end:
        space = text.rfind(" ", match_end, right)
        right = space if space >= 0 else right
    while left < match_start and text[left].isspace():
        left += 1
    prefix = "… " if left > line_start else ""
    suffix = " …" if right < line_end else ""
    offset = len(prefix) + match_start - left
    return {"text": prefix + text[left:right].rstrip() + suffix,
            "start": offset, "end": offset + match_end - match_start}


def specificity(document_frequency: int, documents: int) -> float:
    """How specific a concept is across the corpus, in [0, 1]: a smoothed inverse document
    frequency, blended with 0.5 while the corpus is small."""
    observed = 1.0
    if documents > 1:
        observed = math.log((documents + 1) / (document_frequency + 0.5)) / math.log(
            2 * documents + 2)
    observed = min(1.0, max(0.0, observed))
    return (documents * observed + PRIOR_DOCUMENTS * 0.5) / (documents + PRIOR_DOCUMENTS)


def confidence(item: Evidence, document_frequency: int, documents: int) -> float:
    """1 - exp(-k log(1 + weight) sqrt(specificity)): 0 when absent, towards 1 when the
    concept is named often, in prominent places, and rarely elsewhere."""
    strength = STRENGTH * math.log1p(item.weight) * math.sqrt(
        specificity(document_frequency, documents))
    return 1.0 - math.exp(-strength)


def label_suggestions(evidence: dict[str, Evidence], document_frequency: Mapping[str, int],
                      documents: int) -> list[Suggestion]:
    """Every concept found, best first, each with its confidence in [0, 1]."""
    scored = []
    for uri, item in evidence.items():
        value = round(confidence(item, document_frequency.get(uri, 1), documents), 3)
        scored.append(Suggestion(uri, value, item.best_label, item.passages,
                                 {zone: round(count, 3) for zone, count in item.zones.items()},
                                 sorted(item.shared_with), item.disambiguated, value))
    scored.sort(key=lambda s: (-s.confidence, s.uri))
    return scored


def score_document(evidence: dict[str, Evidence], document_frequency: Mapping[str, int],
                   documents: int, threshold: float = THRESHOLD,
                   limit: int = MAX_TAGS) -> list[Suggestion]:
    """Concepts worth suggesting, best first, each with a confidence in [0, 1]."""
    found = label_suggestions(evidence, document_frequency, documents)
    return [s for s in found if s.confidence >= threshold][:limit]
