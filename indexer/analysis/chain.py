"""The French analysis chain: elisions, inclusive writing, compounds, accents, stemming.

Public surface: `french_analyzer()` (stemmed, for ranking), `folding_analyzer()` (unstemmed,
accent-folded, for names and spelling), `completion_analyzer()` (folded words plus the
forms they are written in, for suggestions), `analyze_word()` (one word, cached) and
`ANALYSIS_VERSION`. The rules themselves live in `indexer.analysis.french`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

from whoosh.analysis import Analyzer, Token

from indexer.analysis.french import (
    FOLDING_MAP,
    FRENCH_STOPWORDS,
    TOKEN_PATTERN,
    is_stopword,
    split_word,
    stem,
)

__all__ = [
    "ANALYSIS_VERSION", "FOLDING_MAP", "FRENCH_STOPWORDS", "SURFACE_MARK", "TOKEN_PATTERN",
    "FrenchAnalyzer", "analyze_word", "completion_analyzer", "folding_analyzer",
    "french_analyzer", "split_word", "surface_pieces",
]

# Bump whenever tokens change: an index built with another version is rebuilt.
ANALYSIS_VERSION = 5
# Separates a folded word from its accented form in the completion field.
SURFACE_MARK = "\x1f"

# One analysed piece of a raw word: (term, start, end, joined) with offsets in the word.
Piece = tuple[str, int, int, bool]


@lru_cache(maxsize=300_000)
def analyze_word(word: str, stemmed: bool = True, minsize: int = 2) -> tuple[Piece, ...]:
    """The terms one raw lowercase token stands for; a compound's joined form comes last
    and is flagged (it is indexed, never searched as a separate word). Offsets are -1 for a
    word that is not written as such (« élus » from « élu·e·s »)."""
    words, joined = split_word(word)
    pieces: list[Piece] = []
    offset = 0
    for piece in words:
        found = word.find(piece, offset)
        start, end = (found, found + len(piece)) if found >= 0 else (-1, -1)
        offset = max(offset, end)
        if is_stopword(piece, minsize):
            continue
        folded = piece.translate(FOLDING_MAP)
        pieces.append((stem(folded) if stemmed else folded, start, end, False))
    if joined and pieces and not is_stopword(joined, minsize):
        folded = joined.translate(FOLDING_MAP)
        # The compound as written, its elision aside: « tiers-lieux » in « des tiers-lieux ».
        start = word.find(words[0])
        pieces.append((stem(folded) if stemmed else folded, start, len(word), True))
    return tuple(pieces)


def surface_pieces(raw: str, minsize: int = 2) -> list[tuple[str, int, int]]:
    """« folded\x1fsurface » for each word of a raw token (case kept) that is written
    otherwise than its folded form: « CRTE », « écologique », « tiers-lieux »."""
    found = []
    for term, start, end, _joined in analyze_word(raw.lower(), False, minsize):
        written = raw[start:end] if start >= 0 and len(raw) == len(raw.lower()) else ""
        if written and written != term:
            found.append((term + SURFACE_MARK + written, start, end))
    return found


class FrenchAnalyzer(Analyzer):
    """One pass over the text, cached per distinct word; positions skip stop words so that
    « économie de la fonctionnalité » is a phrase of two consecutive terms."""

    def __init__(self, stemmed: bool = True, minsize: int = 2, surface: bool = False) -> None:
        self.stemmed = stemmed
        self.minsize = minsize
        self.surface = surface

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrenchAnalyzer) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((self.stemmed, self.minsize, self.surface))

    def has_morph(self) -> bool:
        return self.stemmed

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        index_mode = mode != "query"
        pos = start_pos
        for match in TOKEN_PATTERN.finditer(value):
            raw = match.group()
            lowered = raw.lower()
            base = match.start() if len(lowered) == len(raw) else None
            first = pos
            pieces = analyze_word(lowered, self.stemmed, self.minsize)
            if self.surface and index_mode:
                pieces += tuple((term, start, end, True)
                                for term, start, end in surface_pieces(raw, self.minsize))
            for term, start, end, joined in pieces:
                if joined and not index_mode:
                    continue
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = raw
                if positions:
                    token.pos = first if joined else pos
                if chars:
                    whole = base is None or start < 0
                    token.startchar = start_char + (match.start() if whole else base + start)
                    token.endchar = start_char + (match.end() if whole else base + end)
                if not joined:
                    pos += 1
                yield token


@cache
def french_analyzer() -> FrenchAnalyzer:
    """Stemmed French analysis for ranked full-text fields."""
    return FrenchAnalyzer(stemmed=True, minsize=2)


@cache
def folding_analyzer() -> FrenchAnalyzer:
    """Unstemmed, accent-folded analysis: names, places, spelling corrections."""
    return FrenchAnalyzer(stemmed=False, minsize=1)


@cache
def completion_analyzer() -> FrenchAnalyzer:
    """Folded words, plus « folded\\x1fsurface » for words written otherwise (accents, case,
    hyphens), for suggestions and corrections shown as written."""
    return FrenchAnalyzer(stemmed=False, minsize=2, surface=True)
