"""Suggestions as the reader types: the last word completed from the words of documents
that this reader may see, most frequent first (« transi » -> « transition »)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.search.suggest import complete_word
from kb.context import KbContext
from kb.visibility import Reader, reader_tokens

MAX_TEXT = 200
_LAST_WORD = re.compile(r"(\w+)$")


@dataclass
class Suggestion:
    query: str  # the whole query with the last word completed
    word: str
    count: int  # visible documents holding the word


def suggest(ctx: KbContext, reader: Reader, text: str, limit: int = 8) -> list[Suggestion]:
    """Completions of the word being typed at the end of `text`."""
    text = text[:MAX_TEXT]
    match = _LAST_WORD.search(text)
    if match is None:
        return []
    head = text[:match.start()]
    snap = ctx.index.snapshot()
    visible = snap.visible_mask(reader_tokens(reader))
    return [Suggestion(head + word, word, count)
            for word, count in complete_word(snap, match.group(1), visible, max(1, limit))]
