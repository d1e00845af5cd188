"""One pass of the French pipeline over documents: match tokens by zone, entities, key phrases.

Public surface: `SourceText` (what kb hands over), `AnalysedDocument`, `TextUnit`,
`analyse_documents(sources, nlp=None, batch_size=64)`. Titles, headings and body chunks of
many documents go through one `nlp.pipe` stream; each spaCy `Doc` is reduced to plain data
at once, so memory stays bounded by the batch, not by the corpus. A document not in French
is not lemmatised with French rules: it gets surface tokens only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from indexer.nlp.match_keys import MatchToken, fold, match_tokens, plain_tokens, singular
from indexer.nlp.pipeline import chunks, detect_language, load_nlp, normalise

ENTITY_KINDS = {"LOC": "lieux", "ORG": "organisations"}
MAX_PHRASES = 40
MAX_ENTITIES = 20
_PHRASE_LINKS = {"de": "de", "d'": "de", "du": "de", "des": "de"}
_PHRASE_ARTICLES = frozenset({"la", "l'", "les", "le"})


@dataclass
class SourceText:
    """A document as the analysis needs it."""

    key: str
    title: str
    body: str
    headings: list[str] = field(default_factory=list)
    # Declared descriptions (kind, themes): short lines weighed like headings by the tagger.
    metadata: list[str] = field(default_factory=list)
    language_hint: str | None = None


@dataclass
class TextUnit:
    """A title, the headings or a body chunk, with its match tokens."""

    zone: str
    text: str
    tokens: list[MatchToken | None]


@dataclass
class AnalysedDocument:
    key: str
    language: str
    units: list[TextUnit] = field(default_factory=list)
    words: int = 0
    entities: dict[str, Counter[str]] = field(default_factory=dict)
    phrases: Counter[str] = field(default_factory=Counter)
    phrase_labels: dict[str, str] = field(default_factory=dict)

    def entity_facets(self) -> dict[str, dict[str, int]]:
        return {kind: dict(counter.most_common(MAX_ENTITIES))
                for kind, counter in self.entities.items() if counter}

    def top_phrases(self) -> dict[str, list[object]]:
        return {key: [self.phrase_labels[key], count]
                for key, count in self.phrases.most_common(MAX_PHRASES)}


def _units(source: SourceText) -> list[tuple[str, str]]:
    units = [("title", normalise(source.title))]
    headings = [normalise(h) for h in source.headings if h.strip()]
    if headings:
        units.append(("heading", "\n".join(headings)))
    metadata = [normalise(m) for m in source.metadata if m.strip()]
    if metadata:
        units.append(("meta", "\n".join(metadata)))
    units.extend(("body", piece) for piece in chunks(normalise(source.body)))
    return [(zone, text) for zone, text in units if text.strip()]


def language_of(source: SourceText) -> str:
    """Detected from the body; the declared language when the text is too short to tell."""
    return detect_language(source.body) or source.language_hint or "fr"


def analyse_documents(sources: Iterable[SourceText], nlp: Any = None,
                      batch_size: int = 64) -> Iterator[AnalysedDocument]:
    """Analysed documents, in the order given, streamed through one `nlp.pipe`."""
    nlp = nlp if nlp is not None else load_nlp()
    pending: dict[int, AnalysedDocument] = {}
    remaining: dict[int, int] = {}
    next_out = 0
    done: dict[int, AnalysedDocument] = {}

    def french_units() -> Iterator[tuple[str, tuple[int, str]]]:
        for number, source in enumerate(sources):
            language = language_of(source)
            analysed = AnalysedDocument(source.key, language)
            units = _units(source)
            if language != "fr" or not units:
                for zone, text in units:
                    tokens = plain_tokens(text)
                    analysed.units.append(TextUnit(zone, text, tokens))
                    analysed.words += sum(1 for t in tokens if t is not None)
                done[number] = analysed
                continue
            pending[number] = analysed
            remaining[number] = len(units)
            for zone, text in units:
                yield text, (number, zone)

    for doc, (number, zone) in nlp.pipe(french_units(), as_tuples=True, batch_size=batch_size):
        analysed = pending[number]
        _absorb(analysed, zone, doc)
        remaining[number] -= 1
        if remaining[number] == 0:
            done[number] = pending.pop(number)
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
    while next_out in done:
        yield done.pop(next_out)
        next_out += 1


def tokenise_labels(texts: list[str], language: str = "fr",
                    nlp: Any = None) -> list[list[MatchToken | None]]:
    """Thesaurus labels tokenised exactly like document text of the same language."""
    if language != "fr":
        return [plain_tokens(normalise(text), label=True) for text in texts]
    nlp = nlp if nlp is not None else load_nlp()
    return [match_tokens(doc, label=True)
            for doc in nlp.pipe((normalise(text) for text in texts), batch_size=256)]


def _absorb(analysed: AnalysedDocument, zone: str, doc: Any) -> None:
    """Reduce one spaCy `Doc` to plain data (the `Doc` is dropped afterwards)."""
    tokens = match_tokens(doc, soft_wraps=zone == "body")
    analysed.units.append(TextUnit(zone, doc.text, tokens))
    if zone != "body":
        return
    analysed.words += sum(1 for t in doc if not t.is_punct and not t.is_space)
    for ent in doc.ents:
        kind = ENTITY_KINDS.get(ent.label_)
        name = " ".join(ent.text.split()).strip(" .,;:'")
        if kind and len(name) > 1 and name[0].isupper():
            analysed.entities.setdefault(kind, Counter())[name] += 1
    for key, label in key_phrases(doc):
        analysed.phrases[key] += 1
        analysed.phrase_labels.setdefault(key, label)


def key_phrases(doc: Any) -> Iterator[tuple[str, str]]:
    """Noun phrases « NOM ADJ… » and « NOM (ADJ…) de NOM ADJ… » as (key, label)."""
    words = [t for t in doc if not t.is_space]
    for start, token in enumerate(words):
        if token.pos_ != "NOUN" or len(token.text) < 3 or not token.text.isalpha():
            continue
        end = _adjectives(words, start + 1)
        if end > start + 1:
            yield _phrase(words[start:end])
        link = end
        if link < len(words) and words[link].lower_ in _PHRASE_LINKS:
            noun = link + 1
            if noun < len(words) and words[noun].lower_ in _PHRASE_ARTICLES:
                noun += 1
            if noun < len(words) and words[noun].pos_ == "NOUN" and words[noun].text.isalpha():
                yield _phrase(words[start:_adjectives(words, noun + 1)])


def _adjectives(words: list[Any], index: int, limit: int = 2) -> int:
    taken = 0
    while index < len(words) and taken < limit and words[index].pos_ == "ADJ" \
            and words[index].text.isalpha() and len(words[index].text) > 2:
        index += 1
        taken += 1
    return index


def _phrase(tokens: list[Any]) -> tuple[str, str]:
    parts: list[str] = []
    for token in tokens:
        lower = token.lower_
        if lower in _PHRASE_ARTICLES:
            continue
        parts.append(_PHRASE_LINKS.get(lower) or singular(fold(lower)))
    label = " ".join(t.lower_ if t.pos_ != "PROPN" else t.text for t in tokens)
    return " ".join(parts), label.replace("' ", "'")
