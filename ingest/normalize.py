"""French text clean-up applied to every extracted text before it is stored."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_SOFT_HYPHEN = "\u00ad"
_NBSP_BEFORE_PUNCT = re.compile(r"[ \u00a0\u202f]+([;:!?»])")
_NBSP_AFTER_GUILLEMET = re.compile(r"(«)[ \u00a0\u202f]+")
# A word cut by a line-break hyphen: "transi-\ntion" -> "transition" (lower-case continuation).
_LINEBREAK_HYPHEN = re.compile(r"(\w)-\n[ \t]*([a-zàâäéèêëîïôöùûüçœæ])")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise to NFC, fold ligatures (keeping œ and æ, which are French letters),
    drop soft hyphens and control characters, rejoin words hyphenated across lines and
    use narrow no-break spaces before French high punctuation."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.replace(_SOFT_HYPHEN, "").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    text = _LINEBREAK_HYPHEN.sub(r"\1\2", text)
    text = _SPACES.sub(" ", text)
    text = _NBSP_BEFORE_PUNCT.sub("\u202f\\1", text)
    text = _NBSP_AFTER_GUILLEMET.sub("\\1\u202f", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalize_inline(text: str) -> str:
    """Normalise a one-line value such as a title or a heading."""
    return " ".join(normalize_text(text).split())
