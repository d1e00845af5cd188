"""People's names as documents write them: parsing « Nom, fonction », comparison keys, and how
close two names are (same name written differently, initials, near spelling).

Pure functions: no database. `parse_person` reads one entry of a document's authors (a
string « Josiane Vidal — élue à l'agriculture », « BENALI Aïcha » or a mapping
`{"name": …, "role": …}`); `name_key` folds accents, case, hyphens and apostrophes;
`closeness` says whether two keys name the same person for sure (`exact`, `variante`) or
maybe (`initiales`, `ordre`, `proche`): only the sure ones are linked without a person
deciding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

MAX_NAME = 200
MAX_DETAIL = 300
# Above this similarity (0-100) two different keys are proposed as maybe the same person.
NEAR_SCORE = 88
SURE = frozenset({"exact", "variante"})
CLOSENESS_LABELS = {
    "exact": "même nom",
    "variante": "même nom, écrit autrement (accents, majuscules, traits d'union)",
    "initiales": "initiales compatibles",
    "ordre": "mêmes mots dans un autre ordre",
    "proche": "orthographe proche",
}
_SEPARATORS = re.compile(r"\s+[—–-]\s+|\s*[,(;:]\s*")
_TITLES = re.compile(r"^(?:m\.|mme|mlle|mr|dr|pr|me)\s+", re.IGNORECASE)
# Words that make an author an organisation rather than a person.
_ORGANISATION_WORDS = frozenset("""association collectif fabrique reseau conseil communaute
departement region ville agence cabinet scic scop universite institut mairie bureau
federation fondation syndicat commune groupe equipe ministere petr parc""".split())


@dataclass(frozen=True)
class ParsedName:
    """A person named in a document: the name as written, and what follows it (a role)."""

    name: str
    detail: str = ""

    @property
    def key(self) -> str:
        return name_key(self.name)


def fold(text: str) -> str:
    """Lower case, no accents, hyphens, apostrophes and dots as spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-'’.·_]+", " ", text).split())


def name_key(name: str) -> str:
    return fold(name)[:MAX_NAME]


def _title(word: str) -> str:
    return "-".join(part.capitalize() for part in word.split("-"))


def _in_capitals(word: str) -> bool:
    letters = word.replace("-", "").replace("'", "")
    return len(letters) > 1 and letters.isalpha() and letters.isupper()


def _surname_first(words: list[str]) -> list[str]:
    """« BENALI Aïcha » -> « Aïcha Benali » (leading words in capitals are the surname);
    « LUCIE MARTIN » -> « Lucie Martin »."""
    caps = [w for w in words if _in_capitals(w)]
    if len(caps) == len(words):
        return [_title(w) for w in words]
    if not caps or words[: len(caps)] != caps:
        return words
    return words[len(caps):] + [_title(w) for w in caps]


def is_organisation(name: str) -> bool:
    return bool(set(fold(name).split()) & _ORGANISATION_WORDS)


def parse_person(entry: object) -> ParsedName | None:
    """The person an authors' entry names, or None (empty, a single word, an organisation)."""
    if isinstance(entry, dict):
        raw_name = str(entry.get("name") or entry.get("nom") or "")
        detail = str(entry.get("role") or entry.get("fonction") or "")
    else:
        raw_name, detail = str(entry or ""), ""
    parts = _SEPARATORS.split(" ".join(raw_name.split()), maxsplit=1)
    name = _TITLES.sub("", parts[0].strip(" .)")).strip()
    if len(parts) > 1 and not detail:
        detail = parts[1].strip(" .)")
    words = name.split()
    if len(words) < 2 or is_organisation(name) or any(ch.isdigit() for ch in name):
        return None
    return ParsedName(" ".join(_surname_first(words))[:MAX_NAME], detail[:MAX_DETAIL])


def first_and_last(key: str) -> tuple[str, str]:
    words = key.split()
    return (words[0], words[-1]) if words else ("", "")


def _initials_fit(short: list[str], full: list[str]) -> bool:
    """« j m riviere » fits « jean marc riviere »: same surname, each given name abbreviated."""
    if len(short) != len(full) or short[-1] != full[-1] or short == full:
        return False
    pairs = list(zip(short[:-1], full[:-1], strict=True))
    return any(len(s) == 1 for s, _ in pairs) and all(
        f.startswith(s) if len(s) == 1 else s == f for s, f in pairs)


def closeness(key: str, other: str) -> str | None:
    """How sure it is that two name keys are one person (see CLOSENESS_LABELS), or None."""
    if not key or not other:
        return None
    if key == other:
        return "variante"
    words, other_words = key.split(), other.split()
    if _initials_fit(words, other_words) or _initials_fit(other_words, words):
        return "initiales"
    if sorted(words) == sorted(other_words):
        return "ordre"
    if fuzz.ratio(key, other) >= NEAR_SCORE:
        return "proche"
    return None
