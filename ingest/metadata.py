"""Metadata as people write it (French or English keys, free values) mapped to kb's fields."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath

KEY_ALIASES: dict[str, str] = {
    "titre": "title", "title": "title", "intitule": "title",
    "auteurs": "authors", "auteur": "authors", "authors": "authors", "author": "authors",
    "autrice": "authors", "autrices": "authors", "auteur·e·s": "authors",
    "auteur.e.s": "authors", "auteur(s)": "authors", "auteurices": "authors",
    "creator": "authors", "redacteur": "authors", "redaction": "authors",
    "type": "kind", "kind": "kind", "genre": "kind", "categorie": "kind", "category": "kind",
    "type-de-document": "kind", "nature": "kind",
    "territoire": "territory", "territory": "territory", "lieu": "territory",
    "territoires": "territory", "collectivite": "territory",
    "date": "date", "annee": "date", "year": "date", "date-de-publication": "date",
    "publication": "date", "publie-le": "date", "date-de-redaction": "date",
    "themes": "themes", "theme": "themes", "mots-cles": "themes", "mots-clefs": "themes",
    "mot-cle": "themes", "keywords": "themes", "tags": "themes", "sujets": "themes",
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
    "outil et methode": "outil", "autre document": "autre",
    "outil pedagogique": "outil", "tool": "outil", "autre": "autre", "other": "autre",
    "retour d experience": "fiche-experience", "fiche retour d experience": "fiche-experience",
    "rex": "fiche-experience", "fiche de cas": "fiche-experience",
    "changement de modele": "proposition", "proposal": "proposition",
    "boite a outils": "outil", "kit": "outil", "guide": "outil",
    "experience sheet": "fiche-experience", "case study": "fiche-experience",
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

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_QUOTES = "«»\"“”„‟‹›'’`"


def fold(value: str) -> str:
    """Lower-case, strip accents, typographic apostrophes to spaces (for lookups only)."""
    value = unicodedata.normalize("NFKD", value.strip().lower())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return re.sub(r"[\s'’_]+", " ", value).strip()


def canonical_key(key: str) -> str | None:
    return KEY_ALIASES.get(fold(key).replace(" ", "-"))


def _singular(folded: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in folded.split())


def normalize_kind(value: object) -> str | None:
    """« Fiche d’expérience », "fiches d'expérience", "Texte-fondateur"… to a kind."""
    if not isinstance(value, str) or not value.strip():
        return None
    folded = fold(value.strip().strip(_QUOTES).strip()).replace("-", " ")
    for candidate in (folded, _singular(folded)):
        if kind := KIND_ALIASES.get(candidate) or KIND_ALIASES.get(candidate.replace(" ", "-")):
            return kind
    return _singular_kinds().get(_singular(folded))


@functools.cache
def _singular_kinds() -> dict[str, str]:
    return {_singular(k.replace("-", " ")): v for k, v in KIND_ALIASES.items()}


def normalize_visibility(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return VISIBILITY_ALIASES.get(fold(value))


def as_list(value: object, people: bool = False) -> list[str]:
    """A single value, a list, or a `;`/`,`-separated string, as a clean list of strings.

    Only lists of people are also split on « et » (« A. Martin et B. Durand »): a theme such
    as « foncier et urbanisme » is one value."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    if ";" in text:
        parts = re.split(r"\s*;\s*", text)
    else:
        parts = re.split(r"\s*,\s*|\s+et\s+" if people else r"\s*,\s*", text)
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
    text = _clean_date_text(str(value))
    if match := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ].*)?", text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        return _safe_date(int(match[3]), int(match[2]), int(match[1]))
    if match := re.fullmatch(r"(?:(\d{1,2}) )?([a-z]+)\.? (\d{4})", text):
        month = MONTHS.get(match[2])
        if month:
            return _safe_date(int(match[3]), month, int(match[1] or 1))
    if match := re.fullmatch(r"([a-z]+)\.? (\d{1,2}),? (\d{4})", text):  # "March 15, 2021"
        month = MONTHS.get(match[1])
        if month:
            return _safe_date(int(match[3]), month, int(match[2]))
    if match := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text):
        return _safe_date(int(match[1]), int(match[2] or 1), 1)
    return None


def _clean_date_text(value: str) -> str:
    """« Le lundi 1er mars 2021 » -> "1 mars 2021"."""
    text = fold(value).replace("1er", "1").replace(",", ", ").strip(" .")
    text = re.sub(r"^(?:le|du|en) ", "", text)
    text = re.sub(rf"^(?:{'|'.join(WEEKDAYS)}) ", "", text)
    return re.sub(r"\s+", " ", text.replace(" ,", ",")).strip()


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
            fields[name] = as_list(value, people=name == "authors")
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
