"""The one slug rule: file names and concept URIs from French titles.

`slug("Cœur … l'œuvre")` is `"coeur-l-oeuvre"`: accents dropped, ligatures spelled out
(python-slugify's transliteration), anything else between words a single hyphen.
"""

from __future__ import annotations

from slugify import slugify

MAX_CHARS = 60
# « n° 3 » reads as « n3 », not as the transliteration « ndeg3 ».
REPLACEMENTS = [["°", ""]]


def slug(text: str, fallback: str, limit: int = MAX_CHARS) -> str:
    """Lower-case ASCII words joined by hyphens, at most `limit` characters; `fallback` when
    nothing is left (a title of punctuation only)."""
    return slugify(text, max_length=limit, replacements=REPLACEMENTS) or fallback
