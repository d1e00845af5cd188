"""French NLP: the spaCy pipeline (loaded once), text normalisation and language detection.

Public surface: `load_nlp()` (cached per process; about 8 s the first time, so only batch
commands call it, never a search or a web request), `normalise(text)` (inclusive writing,
apostrophes, ligatures, dotted acronyms), `chunks(text)` (pieces well under spaCy's
`max_length`), `detect_language(text)`, `NLP_COMPONENTS`, `NlpError`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from indexer.analysis.french import INCLUSIVE_SUFFIX_PATTERN

if TYPE_CHECKING:  # spaCy is imported lazily: importing it alone costs a second
    from spacy.language import Language

MODEL = "fr_core_news_sm"
# The rule lemmatizer needs tok2vec, morphologizer and attribute_ruler; ner gives the
# place and organisation facets. The parser is never loaded: it costs more than all of them.
NLP_COMPONENTS = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer", "ner")
CHUNK_CHARS = 20_000
# Languages told apart; a closed list avoids exotic guesses on short, name-heavy texts.
LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl", "ca", "br", "oc", "eu")
MIN_LANGUAGE_CHARS = 200


class NlpError(Exception):
    """The French model is missing or broken."""


@cache
def load_nlp() -> Language:
    """The French pipeline with only `NLP_COMPONENTS`, loaded once per process."""
    import spacy  # deferred: spaCy takes seconds to import, and only tagging needs it

    try:
        info = spacy.info(MODEL)
    except (OSError, ValueError) as exc:
        raise NlpError(
            f"modèle spaCy « {MODEL} » introuvable : installez-le (pip install -e .)"
        ) from exc
    names = info.get("components") or info.get("pipeline") or []
    exclude = [name for name in names if name not in NLP_COMPONENTS]
    return spacy.load(MODEL, exclude=exclude)


# --------------------------------------------------------------------------- normalisation

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})
_APOSTROPHES = re.compile(r"[’ʼ‘`´]")
# Hyphens that are not U+002D (« tiers‑lieux » with a non-breaking hyphen) join like it; soft
# hyphens and zero-width characters left by PDFs and word processors vanish.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None, "\u200b": None,
                          "\u2060": None, "\ufeff": None})
# « allié.e.s », « élu·e·s », « citoyen-ne-s », « acteur·rices », « facilitateurs/trices »
_INCLUSIVE = re.compile(
    rf"\b(\w{{2,}}?)((?:[.·•‧‐/-](?:{INCLUSIVE_SUFFIX_PATTERN}))+)(?![\w'])"
)
# After a hyphen these are more often pronouns (« fais-le ») than inclusive endings.
_HYPHEN_PRONOUNS = frozenset("le les se ses te tes s x".split())
_PARENTHESIS = re.compile(r"(\w)\((?:e|s|es|x|ne|nes)\)", re.IGNORECASE)
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}(?:[A-Z]\b\.?)?")


def _inclusive(match: re.Match[str]) -> str:
    base, tail = match.group(1), match.group(2)
    pieces = re.split(r"[.·•‧‐/-]", tail)[1:]
    if set(tail) & set("-‐") and not set(tail) & set(".·•‧/") and pieces[0] in _HYPHEN_PRONOUNS:
        return match.group(0)
    plural = tail.lower().endswith(("s", "x")) or base.lower().endswith(("s", "x"))
    if plural and not base.lower().endswith(("s", "x")):
        return base + "s"
    return base


def normalise(text: str) -> str:
    """Text as the model lemmatises it best: « allié.e.s » -> « alliés », curly apostrophes
    straightened, PDF ligatures spelled out, odd hyphens made plain, soft hyphens dropped,
    « A.D.E.M.E. » -> « ADEME »."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).translate(_HYPHENS)
    text = _APOSTROPHES.sub("'", text)
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _PARENTHESIS.sub(r"\1", text)
    return _INCLUSIVE.sub(_inclusive, text)


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Split on paragraph boundaries into pieces of at most about `limit` characters (a
    paragraph longer than that is cut on a space), so no piece nears spaCy's `max_length`."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in text.split("\n"):
        while len(paragraph) > limit:
            cut = paragraph.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.extend(["\n".join(current)] if current else [])
            current, size = [], 0
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        if size + len(paragraph) > limit and current:
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph) + 1
    if any(p.strip() for p in current):
        pieces.append("\n".join(current))
    return [p for p in pieces if p.strip()]


# --------------------------------------------------------------------------- language


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # deferred: loads a model

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, sample: int = 2000) -> str | None:
    """The language of `text` (ISO 639-1), or None when the text is too short to tell."""
    letters = re.sub(r"[\d\W_]+", " ", text[:sample]).strip()
    if len(letters) < MIN_LANGUAGE_CHARS:
        return None
    language, _confidence = _identifier().classify(letters)
    return str(language)
