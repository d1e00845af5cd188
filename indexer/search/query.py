"""Query syntax for people who never read a manual; any input parses, nothing raises.

Plain words rank documents by how many and how well they match; `transi*` stands for the
words starting with `transi`; `"a phrase"` must occur as written; `-word` and `-"a phrase"`
exclude (alone, they list everything else); `+word` is required; `type:fiche`,
`statut:doctrine`, `theme:…`, `territoire:…`, `auteur:…`, `annee:2021` (or `2019-2021`)
filter. An unknown `name:value` is read as two plain words; `OR`/`AND` are ignored (words
are already alternatives) and `NOT x` is `-x`.

Public surface: `parse(text) -> ParsedQuery`, `FILTERS`, `prefix_key()`, `filters_as_words()`,
`without_span()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from indexer.analysis.french import QUESTION_WORDS, TOKEN_PATTERN, fold, split_word

# Typed filter name (folded) -> canonical facet name.
FILTERS = {
    "type": "type", "genre": "type",
    "statut": "statut", "status": "statut",
    "theme": "theme", "themes": "theme", "concept": "theme",
    "territoire": "territoire", "lieu": "territoire",
    "auteur": "auteur", "auteurs": "auteur", "auteure": "auteur", "autrice": "auteur",
    "annee": "annee", "an": "annee", "date": "annee",
}
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_TOKEN = re.compile(
    r"""(?P<sign>[+-])?(?:
        (?P<name>[^\W\d_]+):(?:"(?P<quoted>[^"]*)"?|(?P<value>[^\s"]+))
      | "(?P<phrase>[^"]*)"?
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE,
)
_OPERATORS = {"OR", "AND", "OU", "ET", "&&", "||"}


@dataclass(frozen=True)
class QueryFilter:
    """`name:value` as typed; `span` locates it in the query so that a chip can remove it."""

    name: str
    value: str
    span: tuple[int, int]


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: list[QueryFilter] = field(default_factory=list)

    @property
    def positive(self) -> list[str]:
        """Every piece of text that ranks documents: words, required words and phrases."""
        return [*self.words, *self.required, *self.phrases]


def parse(text: str) -> ParsedQuery:
    """Read a query; whatever is not understood becomes plain words."""
    text = text.translate(_QUOTES)
    query = ParsedQuery()
    negate_next = False
    for match in _TOKEN.finditer(text):
        sign = match["sign"] or ("-" if negate_next else "")
        negate_next = False
        if match["name"] is not None:
            name = FILTERS.get(fold(match["name"]))
            value = (match["quoted"] if match["quoted"] is not None else match["value"]).strip()
            if name and value:
                query.filters.append(QueryFilter(name, value, match.span()))
                continue
            piece, is_phrase = f"{match['name']} {value}", False
        elif match["phrase"] is not None:
            piece, is_phrase = match["phrase"].strip(), True
        else:
            piece, is_phrase = match["word"], False
            if piece in _OPERATORS:
                continue
            if piece == "NOT":
                negate_next = True
                continue
        if not piece.strip("+-"):
            continue
        _add(query, piece, is_phrase, sign)
    if is_question(text):
        query.words = [w for w in query.words if _folded_words(w) - QUESTION_WORDS]
    return query


# A question starts with one of these words or ends with a question mark.
_QUESTION_STARTS = QUESTION_WORDS | {"quel", "quelle", "quels", "quelles", "qui", "que", "ou",
                                     "quand", "est-ce"}


def _folded_words(text: str) -> set[str]:
    return {fold(word) for word in TOKEN_PATTERN.findall(text)}


def is_question(text: str) -> bool:
    first = TOKEN_PATTERN.search(text)
    return text.rstrip().endswith("?") or (
        first is not None and fold(first.group()) in _QUESTION_STARTS)


def _add(query: ParsedQuery, piece: str, is_phrase: bool, sign: str) -> None:
    if sign == "-":
        query.excluded.append(piece)
    elif is_phrase:
        query.phrases.append(piece)
    elif sign == "+":
        query.required.append(piece)
    else:
        query.words.append(piece)


def prefix_key(piece: str) -> str | None:
    """The folded prefix of a word typed with a trailing `*` (« transi* » -> « transi »,
    « tiers-l* » -> « tiersl », « l'éco* » -> « eco »), or None for any other piece."""
    if not piece.endswith("*") or not TOKEN_PATTERN.fullmatch(piece[:-1]):
        return None
    words, joined = split_word(piece[:-1].lower())
    return fold(joined or "".join(words))


def filters_as_words(query: ParsedQuery, filters: list[QueryFilter]) -> ParsedQuery:
    """The query with these filters searched as words instead (their values)."""
    if not filters:
        return query
    return replace(query, words=[*query.words, *(f.value for f in filters)],
                   filters=[f for f in query.filters if f not in filters])


def without_span(text: str, span: tuple[int, int]) -> str:
    """The query with one filter removed (for the chip's link)."""
    text = text.translate(_QUOTES)
    return " ".join((text[:span[0]] + " " + text[span[1]:]).split())
