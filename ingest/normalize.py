"""French text clean-up applied to every extracted text before it is stored."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
# Invisible characters, and the explicit direction marks of right-to-left pages (LRM, RLM,
# ALM, embeddings, overrides, isolates): they would stick to the words beside them.
_INVISIBLE = ("\ufeff", "\u200b", "\u2060", "\u200e", "\u200f", "\u061c",
              *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A)))
_SOFT_HYPHEN = "\u00ad"
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc but tab and newline
# Apostrophe look-alikes between letters (modifier letter, left quote, acute, grave, prime)
# become the typographic apostrophe; the straight one is kept as the author typed it.
_APOSTROPHE = re.compile(r"(?<=\w)[\u02bc\u2018\u00b4\u0060\u2032](?=\w)")
_DOUBLE_QUOTES = str.maketrans({"\u201e": "\u201c", "\u201f": "\u201c", "\u2033": '"'})
# A word cut at a line end, by a hyphen or a soft hyphen: "transi-\ntion" -> "transition"
# (only before a lower-case continuation, so "Saint-\nDié" keeps its hyphen).
_LINEBREAK_HYPHEN = re.compile(r"(\w)[-\u2010\u00ad]\n[ \t]*([a-zàâäéèêëîïôöùûüçœæ])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise to NFC, fold ligatures (keeping œ and æ, which are French letters), drop
    soft hyphens, invisible and control characters, unify apostrophe look-alikes, rejoin
    words hyphenated across lines, and store the (narrow) no-break spaces of French
    typography before `;:!?»` and after `«` as plain spaces: stored text compares and
    searches the same whichever way it was typed; typography is the display's concern."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    for invisible in _INVISIBLE:
        text = text.replace(invisible, "")
    text = _CONTROLS.sub("", text)
    text = _LINEBREAK_HYPHEN.sub(r"\1\2", text)
    text = text.replace(_SOFT_HYPHEN, "").replace("\u2011", "-")
    text = _APOSTROPHE.sub("\u2019", text).translate(_DOUBLE_QUOTES)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalize_inline(text: str) -> str:
    """Normalise a one-line value such as a title or a heading."""
    return " ".join(normalize_text(text).split())
