"""Suggestions as the reader types: the last word completed from the words of documents
that this reader may see, most frequent first and as documents write it (« transi » ->
« transition », « crte » -> « CRTE », « tiers-l » -> « tiers-lieux »); the words typed before
it come with their spelling corrected (« tranzition ecolo » -> « transition écologique »)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from indexer.index.snapshot import Snapshot
from indexer.search.query import parse
from indexer.search.suggest import complete_word
from kb.context import KbContext
from kb.search.spelling import correct_query, looks_like_code
from kb.visibility import Reader, reader_tokens

MAX_TEXT = 200
_LAST_WORD = re.compile(r"([\w-]+)$")


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
    snap = ctx.index.snapshot()
    visible = snap.visible_mask(reader_tokens(reader))
    found = complete_word(snap, match.group(1), visible, max(1, limit))
    head = _corrected(snap, visible, text[:match.start()]) if found else ""
    return [Suggestion(head + word, word, count) for word, count in found]


def _corrected(snap: Snapshot, visible: np.ndarray, head: str) -> str:
    """The words typed before the one being completed, with the spelling help's corrections,
    so that no suggestion carries a word it would correct."""
    if not head.strip() or looks_like_code(head):
        return head
    correction = correct_query(snap, visible, head, parse(head))
    return correction.query if correction else head
