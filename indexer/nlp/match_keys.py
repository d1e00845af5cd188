"""Match keys: how a word is compared with a thesaurus label (surface, singular, lemma, acronym).

A text becomes a list of `MatchToken` (or `None` for a boundary: punctuation, line break),
built the same way for documents and for labels, so that « communautés apprenantes »,
« Communauté apprenante » and « tiers lieux » / « tiers-lieux » meet on a shared key even
where the French lemmatizer errs (« apprenantes » -> « apprenanter »).

Public surface: `MatchToken`, `match_tokens(doc)`, `plain_tokens(text)`, `fold(word)`,
`singular(word)`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Articles carry no meaning in a label: « économie de la fonctionnalité » = « économie de
# fonctionnalité ». Contracted prepositions meet their plain form.
ARTICLES = frozenset("le la les l' l un une".split())
FUNCTION_WORDS = {"des": "de", "du": "de", "d'": "de", "d": "de", "au": "à", "aux": "à"}
_FOLDED: dict[str, str] = {}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_WORD = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MatchToken:
    """One word: the keys it can match on and its character span in the analysed text."""

    keys: frozenset[str]
    start: int
    end: int
    surface: str


def fold(word: str) -> str:
    """Lower case without accents, « œ » spelled « oe »; cached, the vocabulary is small."""
    folded = _FOLDED.get(word)
    if folded is None:
        decomposed = unicodedata.normalize("NFD", word.lower().translate(_LIGATURES))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if len(_FOLDED) < 500_000:
            _FOLDED[word] = folded
    return folded


def singular(word: str) -> str:
    """A crude singular, applied alike to labels and text: « territoriaux » -> « territorial »,
    « lieux » -> « lieu », « communautés » -> « communaute »."""
    if len(word) > 4 and word.endswith("aux") and not word.endswith("eaux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def is_acronym(word: str) -> bool:
    """« CRTE », « SCoT », « EnR », « PLUi »: two capitals or more, no space."""
    return sum(1 for ch in word if ch.isupper()) >= 2 and word.replace("'", "").isalnum()


def is_capitalised_acronym(word: str) -> bool:
    """« Dreal », « Ademe »: an acronym of four letters or more written like a name. Shorter
    ones stay apart (« Pat » is a first name, not the « PAT »)."""
    return len(word) >= 4 and word.isalpha() and word[0].isupper() and word[1:].islower()


def word_keys(surface: str, lemma: str | None, label: bool) -> frozenset[str]:
    """Keys of one word. An acronym label matches only an acronym-looking word (« PAT »,
    never « pat ») or, from four letters, one written like a name (« Dreal »); a word in
    capitals in the text may still match as a plain word."""
    folded = fold(surface)
    acronym = is_acronym(surface)
    if acronym and label:
        return frozenset({"#" + folded})
    keys = {folded, singular(folded)}
    if acronym or (not label and is_capitalised_acronym(surface)):
        keys.add("#" + folded)
    if lemma:
        lemma_key = fold(lemma)
        if lemma_key.isalpha():
            keys.add(lemma_key)
    return frozenset(keys)


def _word_tokens(surface: str, lemma: str | None, start: int, label: bool) -> list[MatchToken]:
    lower = surface.lower()
    if lower in ARTICLES:
        return []
    if lower in FUNCTION_WORDS:
        return [MatchToken(frozenset({FUNCTION_WORDS[lower]}), start, start + len(surface),
                           surface)]
    if "-" in surface.strip("-"):
        tokens: list[MatchToken] = []
        offset = 0
        for part in surface.split("-"):
            if part:
                tokens.append(MatchToken(word_keys(part, None, label), start + offset,
                                         start + offset + len(part), part))
            offset += len(part) + 1
        return tokens
    return [MatchToken(word_keys(surface, lemma, label), start, start + len(surface), surface)]


def match_tokens(doc: Any, label: bool = False,
                 soft_wraps: bool = False) -> list[MatchToken | None]:
    """Match tokens of a spaCy `Doc`; `None` marks a boundary no label may cross: punctuation,
    a line break. With `soft_wraps` (running text), a single line break before a lower-case
    word is a wrapped line, not a boundary: « projet alimentaire⏎territorial »."""
    result: list[MatchToken | None] = []
    for token in doc:
        text = token.text
        if token.is_space:
            if "\n" in text and result and result[-1] is not None \
                    and not (soft_wraps and _wrapped(token, text)):
                result.append(None)
            continue
        if token.is_punct or token.pos_ in ("PUNCT", "SYM"):
            # A lone hyphen joins (« menuiserie-test » is split by the tokenizer).
            if text != "-" and result and result[-1] is not None:
                result.append(None)
            continue
        surface = text.rstrip(".") if len(text) > 1 else text
        result.extend(_word_tokens(surface, token.lemma_, token.idx, label))
    return result


def _wrapped(token: Any, text: str) -> bool:
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    return text.count("\n") == 1 and following is not None and following.text[:1].islower()


def plain_tokens(text: str, label: bool = False) -> list[MatchToken | None]:
    """Match tokens without the French model (texts in another language): surface keys only."""
    result: list[MatchToken | None] = []
    for found in _WORD.finditer(text):
        word = found.group(0)
        if not word[0].isalnum() and word[0] != "_":
            if word != "-" and result and result[-1] is not None:
                result.append(None)
            continue
        result.extend(_word_tokens(word, None, found.start(), label))
    return result


def surfaces(tokens: Iterable[MatchToken | None]) -> str:
    """The words of a token list, for messages and tests."""
    return " ".join(t.surface for t in tokens if t is not None)
