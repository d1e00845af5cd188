"""What a directory question names: « qui a accompagné une démarche d'alimentation durable dans
un PETR ? » names the theme « alimentation » (a label of the taxonomy) and a kind of territory
(PETR); what is left (« alimentation durable ») is searched in the documents' text.

Words that every directory question uses to say « who did something » (« accompagné »,
« démarche », « projet »…) say nothing about the theme: alone they recognise no concept and
are not searched, but they stay inside a longer label (« projet alimentaire territorial »).
Territories are recognised as `kb.people.territories` links them (départements, régions,
their chefs-lieux, kinds such as PETR or intercommunalité), without the two-letter
abbreviations (« ça » is not a communauté d'agglomération).

Public surface: `understand(ctx, text) -> Understood`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from indexer.search.ranking import terms_for
from kb.context import KbContext
from kb.people.names import fold
from kb.people.territories import Territory, data
from kb.search.expansion import MAX_LABEL_WORDS, taxonomy

FRAME_WORDS = """accompagner accompagné accompagnée accompagnement démarche projet expérience
travailler travaillé mener mené conduire conduit faire fait aider aidé porter porté
connaître connaît animer animé réaliser réalisé mettre mis place œuvre oeuvre personne
quelqu'un allié alliée compétence compétent chercher cherche trouver déjà""".split()
# Nouns that end a kind's pattern (« commune de ») and are not part of the kind.
_LINKS = frozenset({"de", "d", "du", "des"})
_WORD = re.compile(r"\w+")


@dataclass
class Understood:
    """A question's concepts (URI -> label), place, and the words left to search."""

    concepts: dict[str, str] = field(default_factory=dict)
    place: Territory | None = None
    words: str = ""


@dataclass
class _Token:
    text: str
    folded: str
    stem: str  # "" for a stop word
    frame: bool
    used: bool = False


@functools.cache
def _frame_stems() -> frozenset[str]:
    return frozenset(t.stemmed for word in FRAME_WORDS for t in terms_for(word))


@functools.cache
def _kind_nouns() -> list[tuple[tuple[str, ...], str]]:
    """(folded words, kind) of the kinds' patterns as nouns (« commune », « pays »),
    singular and plural, longest first; abbreviations of two letters left out."""
    found: dict[tuple[str, ...], str] = {}
    for pattern, kind in data().kind_patterns:
        words = pattern.split()
        while words and words[-1] in _LINKS:
            words.pop()
        if words and len(" ".join(words)) > 2:
            found.setdefault(tuple(words), kind)
            found.setdefault((*words[:-1], words[-1].rstrip("s") + "s"), kind)
    return sorted(found.items(), key=lambda item: -len(item[0]))


def _tokens(text: str) -> list[_Token]:
    frame = _frame_stems()
    tokens = []
    for word in _WORD.findall(text):
        stems = [t.stemmed for t in terms_for(word)]
        stem = stems[0] if stems else ""
        tokens.append(_Token(word, fold(word), stem, stem in frame))
    return tokens


def _find(tokens: list[_Token], words: tuple[str, ...]) -> int:
    """The index where these folded words follow each other among unused tokens, or -1."""
    size = len(words)
    for start in range(len(tokens) - size + 1):
        window = tokens[start:start + size]
        if not any(t.used for t in window) and tuple(t.folded for t in window) == words:
            return start
    return -1


def _use(tokens: list[_Token], start: int, size: int) -> None:
    for token in tokens[start:start + size]:
        token.used = True


def _place(tokens: list[_Token]) -> Territory | None:
    """The kind of territory and the département or région the question names."""
    kind = ""
    for words, found in _kind_nouns():
        if (start := _find(tokens, words)) >= 0:
            kind = found
            _use(tokens, start, len(words))
            break
    d = data()
    scope, code = "", ""
    for name, name_scope, name_code in d.names:
        words = tuple(name.split())
        start = _find(tokens, words)
        if start < 0 or (name in d.cased and not tokens[start].text[:1].isupper()):
            continue
        scope, code = name_scope, name_code
        _use(tokens, start, len(words))
        break
    if not kind and not scope:
        return None
    text = " ".join(t.text for t in tokens if t.used)
    if scope.startswith("dep"):
        return Territory(text, kind, code, d.departements[code].region)
    return Territory(text, kind, "", code)


def _concepts(ctx: KbContext, tokens: list[_Token]) -> dict[str, str]:
    """Labels of the taxonomy among the unused words, longest first; a label made of frame
    words only (« démarche ») is not one the question asks about."""
    known = taxonomy(ctx)
    words = [t for t in tokens if t.stem and not t.used]
    found: dict[str, str] = {}
    for size in range(min(MAX_LABEL_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if any(t.used for t in window) or all(t.frame for t in window):
                continue
            uris = known.by_label.get(" ".join(t.stem for t in window))
            if uris:
                found.update({uri: known.labels.get(uri, uri) for uri in sorted(uris)})
                for token in window:
                    token.used = True
    return found


def understand(ctx: KbContext, text: str) -> Understood:
    """The concepts and the place a question names, and the words left to search."""
    tokens = _tokens(text)
    place = _place(tokens)
    placed = {id(t) for t in tokens if t.used}
    concepts = _concepts(ctx, tokens)
    in_labels = {id(t) for t in tokens if t.used} - placed
    words = " ".join(t.text for t in tokens if t.stem and id(t) not in placed
                     and (id(t) in in_labels or not t.frame))
    return Understood(concepts, place, words)
