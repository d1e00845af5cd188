"""The French analysis chain: elisions, inclusive writing, compounds, accents, stemming.

Public surface: `french_analyzer()` (stemmed, for ranking), `folding_analyzer()` (unstemmed,
accent-folded, for names, spelling and suggestions), `ANALYSIS_VERSION`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# Bump whenever tokens change: an index built with another version is rebuilt.
ANALYSIS_VERSION = 1

# Words joined by apostrophes, dots, middle dots or hyphens stay one token here and are
# taken apart by `FrenchWordFilter`, which knows elisions, inclusive writing and compounds.
TOKEN_PATTERN = re.compile(r"\w+(?:['’.·•‧‐-]\w+)*", re.UNICODE)
ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split()
)
# Endings of inclusive writing: « allié.e.s », « élu·e·s », « citoyen-ne-s », « acteur·rices ».
INCLUSIVE_SUFFIXES = frozenset(
    "e es s ne nes le les se ses te tes rice rices trice trices euse euses ère ères "
    "ve ves ice ices fe fes x".split()
)
_SEPARATORS = re.compile(r"[.·•‧‐-]")
_APOSTROPHE = re.compile(r"['’]")
EXTRA_STOPWORDS = frozenset(
    "les cette cet ces plus tout tous toute toutes aussi comme dont entre sans sous leurs "
    "ils elles nous vous lui leur ainsi alors donc or ni car si où quand très peu bien "
    "être avoir fait faire sont été était cela ceci celle celui ceux celles quelle quel "
    "quels quelles chaque autre autres après avant depuis pendant vers chez déjà encore".split()
)
# Accents folded, and the French ligatures spelled out as people type them.
FOLDING_MAP = {**accent_map, ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"}
FRENCH_STOPWORDS = frozenset(stopwords_for_language("fr")) | EXTRA_STOPWORDS


def split_word(word: str) -> tuple[list[str], str | None]:
    """Split one raw token into the words it stands for, plus the compound's joined form.

    « l'économie » -> économie; « allié.e.s » -> alliés; « élu·e·s » -> élus;
    « tiers-lieux » -> tiers, lieux (+ tierslieux); « A.D.E.M.E » -> ademe.
    """
    parts = _APOSTROPHE.split(word)
    while len(parts) > 1 and parts[0] in ELISIONS:
        parts = parts[1:]
    word = "".join(parts)
    pieces = [p for p in _SEPARATORS.split(word) if p]
    if len(pieces) <= 1:
        return [word], None
    if all(p.isdigit() for p in pieces):
        # « 1.500 » is one number; « 2021-2022 » is two years.
        return (["".join(pieces)], None) if "." in word else (pieces, None)
    if all(len(p) == 1 for p in pieces):
        return ["".join(pieces)], None
    if all(p in INCLUSIVE_SUFFIXES for p in pieces[1:]):
        plural = pieces[-1].endswith(("s", "x"))
        base = pieces[0]
        return [base + ("s" if plural and not base.endswith(("s", "x")) else "")], None
    return pieces, "".join(pieces)


class FrenchWordFilter(Filter):
    """Apply `split_word` to each token, keeping character offsets for highlighting."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not _SEPARATORS.search(text) and not _APOSTROPHE.search(text):
                yield token
                continue
            words, joined = split_word(text)
            if len(words) == 1:
                found = text.rfind(words[0])
                if found > 0 and getattr(token, "startchar", None) is not None:
                    token.startchar += found  # « l’économie » highlights « économie »
                token.text = words[0]
                yield token
                continue
            start = getattr(token, "startchar", None)
            position = getattr(token, "pos", None)
            offset = 0
            for index, word in enumerate(words):
                if start is not None:
                    found = text.find(word, offset)
                    if found >= 0:
                        token.startchar = start + found
                        token.endchar = start + found + len(word)
                        offset = found + len(word)
                if position is not None and index:
                    token.pos = position + index
                token.text = word
                yield token
            if joined and token.mode == "index":
                if position is not None:
                    token.pos = position
                if start is not None:
                    token.startchar, token.endchar = start, start + len(text)
                token.text = joined
                yield token


# Snowball keeps the plural « s » after « u » (« élus » vs « élu »); these -us words are
# singular, invariable or Latin and keep theirs.
US_WORDS = frozenset(
    "plus tous dessus dessous processus consensus dissensus campus virus bonus corpus focus "
    "terminus cursus rebus sinus humus thesaurus minus bus abus refus jus obus talus autobus "
    "blocus lotus cactus papyrus hiatus stimulus modus prospectus status versus opus nous vous "
    "obtus diffus confus inclus exclus reclus intrus infus covidus anus motus".split()
)


class PluralUsFilter(Filter):
    """« élus » -> « elu », « vécus » -> « vecu », leaving singular -us words alone."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if len(text) >= 4 and text.endswith("us") and text not in US_WORDS:
                token.text = text[:-1]
            yield token


def _base() -> Analyzer:
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | FrenchWordFilter()
        | StopFilter(stoplist=FRENCH_STOPWORDS, minsize=2)
        | CharsetFilter(FOLDING_MAP)
    )


@cache
def french_analyzer() -> Analyzer:
    """Stemmed French analysis for ranked full-text fields."""
    return _base() | PluralUsFilter() | StemFilter(lang="fr", cachesize=50_000)


@cache
def folding_analyzer() -> Analyzer:
    """Unstemmed, accent-folded analysis: names, places, spelling suggestions."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | FrenchWordFilter()
        | StopFilter(stoplist=FRENCH_STOPWORDS, minsize=1)
        | CharsetFilter(FOLDING_MAP)
    )
