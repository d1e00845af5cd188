"""Facet names, value labels, and filters typed by people (`type:fiche`, `annee:2019-2021`)
turned into the index's exact values, chosen only among values the reader may see."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from indexer.analysis.french import TOKEN_PATTERN, fold
from kb.models import DOCTRINE_STATUSES, KIND_LABELS

FACET_LABELS = {
    "type": "Type de document",
    "statut": "Statut doctrinal",
    "theme": "Thèmes",
    "territoire": "Territoire",
    "auteur": "Auteur·rice",
    "annee": "Année",
}
STATUS_LABELS = {
    "aucun": "Sans statut",
    "propose": "Proposé",
    "en-debat": "En débat",
    "doctrine": "Doctrine",
    "non-retenu": "Non retenu",
    "a-reviser": "À réviser",
}
NOTHING = "\x00aucune-valeur"  # a filter that resolves to no value matches no document
# Why a typed filter was not understood, said in the note shown with the results.
NOT_UNDERSTOOD = {
    "type": "aucun type de document ne correspond",
    "statut": "aucun statut doctrinal ne correspond",
    "theme": "aucun thème ne correspond",
    "territoire": "aucun territoire ne correspond",
    "auteur": "aucun·e auteur·rice ne correspond",
    "annee": "une année est attendue, comme annee:2021 ou annee:2019-2021",
}
_YEARS = re.compile(r"^(\d{4})\s*(?:-|\.\.|à|a)\s*(\d{4})$")


def value_label(name: str, value: str, theme_labels: Mapping[str, str]) -> str:
    """How a facet value is shown: kinds and statuses in words, concepts by their label."""
    if name == "type":
        return KIND_LABELS.get(value, value)
    if name == "statut":
        return STATUS_LABELS.get(value, value)
    if name == "theme":
        return theme_labels.get(value, value)
    return value


def _words(text: str) -> list[str]:
    return [fold(w) for w in TOKEN_PATTERN.findall(text.replace("-", " "))]


def matches(typed: str, label: str) -> bool:
    """Every typed word starts a word of the label, accents and case ignored:
    « fiche » matches « Fiche d'expérience », « midi quercy » matches « Pays Midi-Quercy »."""
    wanted, have = _words(typed), _words(label)
    return bool(wanted) and all(any(h.startswith(w) for h in have) for w in wanted)


def _candidates(name: str, visible: Iterable[str]) -> list[str]:
    if name == "type":
        return list(KIND_LABELS)
    if name == "statut":
        return list(DOCTRINE_STATUSES)
    return list(visible)


def resolve(name: str, typed: str, visible: Iterable[str],
            label: Callable[[str, str], str]) -> list[str]:
    """The index values a typed filter stands for; an exact value is taken as it is."""
    candidates = _candidates(name, visible)
    typed = typed.strip()
    if typed in candidates:
        return [typed]
    if name == "annee":
        years = _YEARS.match(typed)
        if years:
            low, high = sorted((int(years[1]), int(years[2])))
            return [y for y in candidates if y.isdigit() and low <= int(y) <= high] or [NOTHING]
        return [NOTHING]
    found = [c for c in candidates if matches(typed, c) or matches(typed, label(name, c))]
    return found or [NOTHING]


def not_understood_note(name: str, value: str) -> str:
    """The note shown when a typed filter is searched as words instead: « annee:abc » : une
    année est attendue… ; « abc » est cherché dans le texte."""
    return (f"« {name}:{value} » : {NOT_UNDERSTOOD.get(name, 'filtre inconnu')} ; "
            f"« {value} » est cherché dans le texte.")
