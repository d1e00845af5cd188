"""A cheap guess of a text's language (French or English) from its function words."""

from __future__ import annotations

import re

FRENCH = frozenset(
    "le la les des du au aux et est une un dans pour que qui sur pas par avec ce cette ces "
    "sont ont nous vous leur leurs mais ou où été être plus aussi".split())
ENGLISH = frozenset(
    "the and of to is in that for with are this be as by from have it not we their was "
    "which were been has but or".split())
_WORD = re.compile(r"[a-zàâäéèêëîïôöùûüç]+")
MIN_WORDS = 20


def guess_language(text: str) -> str | None:
    """"fr", "en", or None when the text is too short or neither clearly dominates."""
    words = _WORD.findall(text[:20_000].lower())
    if len(words) < MIN_WORDS:
        return None
    french = sum(1 for w in words if w in FRENCH)
    english = sum(1 for w in words if w in ENGLISH)
    if french >= 2 * english and french >= 0.08 * len(words):
        return "fr"
    if english >= 2 * french and english >= 0.08 * len(words):
        return "en"
    return None
