"""Snippets: the passage of a text where the query's words gather, with those words marked.

The text is cut into raw words by one regular expression; each distinct word is analysed
once per process (`analyze_word` is cached), so a snippet costs a scan, not a re-analysis.
Everything outside the `<mark>` tags is HTML-escaped.

Public surface: `snippet(text, stems, folded, chars)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from html import escape

from indexer.analysis.chain import analyze_word
from indexer.analysis.french import TOKEN_PATTERN

SNIPPET_CHARS = 240
MAX_CANDIDATES = 60
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """Each piece of a raw word (offsets) with its stemmed and folded terms."""
    keys: dict[tuple[int, int], set[str]] = {}
    for stemmed, minsize in ((True, 2), (False, 1)):
        for term, start, end, joined in analyze_word(word, stemmed, minsize):
            if not joined:
                keys.setdefault((start, end), set()).add(term)
    return tuple((s, e, frozenset(k)) for (s, e), k in sorted(keys.items()))


# Accented letters a folded term may stand for, so that one case-insensitive regular
# expression finds, in C, the few places worth analysing.
_VARIANTS = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü",
             "y": "yÿ", "n": "nñ"}


def _letters(term: str) -> str:
    pattern = re.escape(term)
    for plain, variants in _VARIANTS.items():
        pattern = pattern.replace(plain, f"[{variants}]")
    return pattern.replace("[oôö][eéèêë]", "(?:[oôö][eéèêë]|œ)").replace(
        "[aàâä][eéèêë]", "(?:[aàâä][eéèêë]|æ)")


@lru_cache(maxsize=4096)
def _finder(terms: frozenset[str]) -> re.Pattern[str]:
    """Words starting like one of the terms (stems are prefixes of the words they stand for)."""
    alternatives = "|".join(_letters(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def _token_at(text: str, position: int) -> re.Match[str] | None:
    for match in TOKEN_PATTERN.finditer(text, max(0, position - 60), position + 80):
        if match.start() <= position < match.end():
            return match
    return None


def _matches(text: str, stems: frozenset[str],
             folded: frozenset[str]) -> Iterator[tuple[int, int, str]]:
    wanted = frozenset(t for t in stems | folded if t)
    if not wanted:
        return
    last_end = -1
    for number, candidate in enumerate(_finder(wanted).finditer(text)):
        if number >= MAX_CANDIDATES:  # enough to find a good passage in a long text
            break
        if candidate.start() < last_end:
            continue
        match = _token_at(text, candidate.start())
        if match is None:
            continue
        last_end = match.end()
        raw = match.group()
        lowered = raw.lower()
        base = match.start()
        for start, end, keys in _word_keys(lowered):
            hit = keys & stems or keys & folded
            if hit:
                if len(lowered) != len(raw) or start < 0:  # not written as such: mark it all
                    start, end = 0, len(raw)
                yield base + start, base + end, min(hit)


def _best_window(found: list[tuple[int, int, str]], chars: int) -> tuple[int, int]:
    """Indexes of the first and last match of the window with most distinct words."""
    best, best_score, last = (0, 0), (-1, -1), 0
    for first in range(len(found)):
        last = max(last, first)
        while last + 1 < len(found) and found[last + 1][1] - found[first][0] <= chars:
            last += 1
        score = (len({key for _, _, key in found[first:last + 1]}), last - first)
        if score > best_score:
            best, best_score = (first, last), score
    return best


def _plain(text: str) -> str:
    return escape(_SPACES.sub(" ", text))


def snippet(text: str, stems: frozenset[str], folded: frozenset[str] = frozenset(),
            chars: int = SNIPPET_CHARS) -> str:
    """Safe HTML: the best passage with matched words in <mark>, or the text's opening."""
    found = list(_matches(text, stems, folded)) if stems or folded else []
    if not found:
        opening = _SPACES.sub(" ", text).strip()
        return escape(opening[:chars]) + ("…" if len(opening) > chars else "")
    first, last = _best_window(found, chars)
    span_start, span_end = found[first][0], found[last][1]
    margin = max(chars - (span_end - span_start), 0)
    left = max(0, span_start - margin // 3)
    right = min(len(text), span_end + margin - (span_start - left))
    left = _word_start(text, left)
    right = _word_end(text, right)
    parts = ["…"] if left > 0 else []
    cursor = left
    for start, end, _key in found[first:last + 1]:
        parts.append(_plain(text[cursor:start]))
        parts.append(f'<mark class="hl">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(_plain(text[cursor:right]))
    if right < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _word_start(text: str, index: int) -> int:
    """`index`, moved back to the start of the word it falls in (the text's start when that
    word opens the text)."""
    floor = max(0, index - 20)
    for position in range(index, floor, -1):
        if text[position - 1].isspace():
            return position
    return 0 if floor == 0 else index


def _word_end(text: str, index: int) -> int:
    """`index`, moved on to the end of the word it falls in (the text's end when that word
    closes the text)."""
    ceiling = min(len(text), index + 20)
    for position in range(index, ceiling):
        if text[position].isspace():
            return position
    return len(text) if ceiling == len(text) else index
