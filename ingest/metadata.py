"""Metadata as people write it (French or English keys, free values) mapped to kb's fields."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath

KEY_ALIASES: dict[str, str] = {
    "titre": "title", "title": "title",
    "auteurs": "authors", "auteur": "authors", "authors": "authors", "author": "authors",
    "autrices": "authors", "auteur·e·s": "authors", "auteur.e.s": "authors",
    "type": "kind", "kind": "kind", "genre": "kind", "categorie": "kind", "category": "kind",
    "territoire": "territory", "territory": "territory", "lieu": "territory",
    "date": "date", "annee": "date", "year": "date",
    "themes": "themes", "theme": "themes", "mots-cles": "themes", "keywords": "themes",
    "tags": "themes", "sujets": "themes",
    "visibilite": "visibility", "visibility": "visibility", "acces": "visibility",
    "groupes": "groups", "groups": "groups", "groupe": "groups",
    "langue": "language", "language": "language", "lang": "language",
    "narrateur": "narrator", "narratrice": "narrator", "narrator": "narrator",
    "maieuticien": "maieuticien", "maieuticienne": "maieuticien",
    "resume": "summary", "summary": "summary", "description": "summary",
    "statut": "doctrine_status", "status": "doctrine_status",
}

KIND_ALIASES: dict[str, str] = {
    "texte fondateur": "texte-fondateur", "textes fondateurs": "texte-fondateur",
    "texte-fondateur": "texte-fondateur", "doctrine": "texte-fondateur",
    "note de doctrine": "texte-fondateur", "founding text": "texte-fondateur",
    "fiche d experience": "fiche-experience", "fiche experience": "fiche-experience",
    "fiche-experience": "fiche-experience", "fiches": "fiche-experience",
    "fiche": "fiche-experience", "experience": "fiche-experience",
    "proposition": "proposition", "propositions": "proposition",
    "proposition de changement de modele": "proposition",
    "outil": "outil", "outils": "outil", "methode": "outil", "outils et methodes": "outil",
    "outil pedagogique": "outil", "tool": "outil", "autre": "autre", "other": "autre",
}

FOLDER_KINDS: dict[str, str] = {
    "textes-fondateurs": "texte-fondateur",
    "fiches": "fiche-experience",
    "propositions": "proposition",
    "outils": "outil",
}

VISIBILITY_ALIASES: dict[str, str] = {
    "public": "public", "publique": "public",
    "membres": "membres", "membre": "membres", "members": "membres", "interne": "membres",
    "restreint": "restreint", "restreinte": "restreint", "restricted": "restreint",
    "confidentiel": "restreint",
}

FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}


def fold(value: str) -> str:
    """Lower-case, strip accents, typographic apostrophes to spaces (for lookups only)."""
    value = unicodedata.normalize("NFKD", value.strip().lower())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return re.sub(r"[\s'’_]+", " ", value).strip()


def canonical_key(key: str) -> str | None:
    return KEY_ALIASES.get(fold(key).replace(" ", "-"))


def normalize_kind(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    folded = fold(value)
    return KIND_ALIASES.get(folded) or KIND_ALIASES.get(folded.replace("-", " "))


def normalize_visibility(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return VISIBILITY_ALIASES.get(fold(value))


def as_list(value: object) -> list[str]:
    """A single value, a list, or a `;`/`,`-separated string, as a clean list of strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = re.split(r"\s*;\s*", text) if ";" in text else re.split(r"\s*,\s*|\s+et\s+", text)
    return [p.strip() for p in parts if p.strip()]


def parse_date(value: object) -> dt.date | None:
    """ISO dates, `JJ/MM/AAAA`, « 15 mars 2021 », « mars 2021 », or a bare year."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1)
    text = fold(str(value)).replace("1er", "1")
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?", text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        return _safe_date(int(match[3]), int(match[2]), int(match[1]))
    if match := re.fullmatch(r"(?:(\d{1,2}) )?([a-z]+) (\d{4})", text):
        month = FRENCH_MONTHS.get(match[2])
        if month:
            return _safe_date(int(match[3]), month, int(match[1] or 1))
    if match := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text):
        return _safe_date(int(match[1]), int(match[2] or 1), 1)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def canonical_metadata(raw: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Map raw keys and values to kb's fields; return the fields and warnings for bad values."""
    fields: dict[str, object] = {}
    warnings: list[str] = []
    extra: dict[str, object] = {}
    for key, value in raw.items():
        name = canonical_key(str(key))
        if name is None:
            plain = isinstance(value, (str, int, float, bool, list))
            extra[str(key)] = value if plain else str(value)
            continue
        if name == "kind":
            kind = normalize_kind(value)
            if kind is None:
                warnings.append(f"champ « {key} » : type « {value} » inconnu, ignoré")
            else:
                fields["kind"] = kind
        elif name == "date":
            date = parse_date(value)
            if date is None:
                warnings.append(f"champ « {key} » : date « {value} » illisible, ignorée")
            else:
                fields["date"] = date
        elif name == "visibility":
            visibility = normalize_visibility(value)
            if visibility is None:
                warnings.append(f"champ « {key} » : visibilité « {value} » inconnue, ignorée")
            else:
                fields["visibility"] = visibility
        elif name in ("authors", "themes", "groups"):
            fields[name] = as_list(value)
        elif value is not None:
            fields[name] = str(value).strip()
    if extra:
        fields["extra"] = extra
    return fields, warnings


def kind_from_path(relative_path: str) -> str | None:
    """The kind told by a folder convention anywhere in the path (`fiches/…` and so on)."""
    for part in PurePosixPath(relative_path).parts[:-1]:
        kind = FOLDER_KINDS.get(part.lower())
        if kind:
            return kind
    return None
