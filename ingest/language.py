"""A cheap guess of a text's language: French or English from their function words, Arabic
or Hebrew from their script (pages written right to left that do not declare a language)."""

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
# Scripts that tell their language: most of the letters in one of them decide.
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
            ("he", re.compile(r"[\u0590-\u05ff]")))


def guess_language(text: str) -> str | None:
    """"fr", "en", "ar", "he", or None when the text is too short or nothing dominates."""
    sample = text[:20_000]
    letters = sum(1 for ch in sample if ch.isalpha())
    for language, script in _SCRIPTS:
        if letters and len(script.findall(sample)) > letters / 2:
            return language
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    french = sum(1 for w in words if w in FRENCH)
    english = sum(1 for w in words if w in ENGLISH)
    if french >= 2 * english and french >= 0.08 * len(words):
        return "fr"
    if english >= 2 * french and english >= 0.08 * len(words):
        return "en"
    return None
