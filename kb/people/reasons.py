"""Why a person is in the directory's results, in French: « 3 fiches d'expérience publiées sur
ce thème, dont 2 en Occitanie », « compétence déclarée (sans fiche) »."""

from __future__ import annotations

from collections import Counter

from kb.people.evidence import Evidence
from kb.people.query import DirectoryQuery
from kb.people.territories import facet_label

# (singular, plural) of what a piece of evidence is.
NOUNS = {
    "fiche": ("fiche d'expérience publiée", "fiches d'expérience publiées"),
    "document": ("document écrit", "documents écrits"),
    "catalogue": ("catalogue composé", "catalogues composés"),
    "dossier": ("dossier porté", "dossiers portés"),
}
ORDER = ("fiche", "document", "catalogue", "dossier")


def counted(count: int, kind: str) -> str:
    singular, plural = NOUNS[kind]
    return f"{count} {singular if count == 1 else plural}"


def _about(query: DirectoryQuery, theme_labels: dict[str, str]) -> str:
    if len(query.themes) == 1:
        label = theme_labels.get(query.themes[0])
        return f" sur « {label} »" if label else " sur ce thème"
    if query.themes:
        return " sur ces thèmes"
    return " répondant à la recherche" if query.text else ""


def _places(query: DirectoryQuery, items: list[Evidence]) -> str:
    if not query.territories:
        return ""
    placed = [e for e in items if any(v in e.territory.values() for v in query.territories)]
    if not placed:
        return ""
    where = " ou ".join(_in(v) for v in query.territories)
    return f", dont {len(placed)} {where}" if len(placed) < len(items) else f", {where}"


# Régions not said with « en ».
REGION_PREPOSITIONS = {"Hauts-de-France": "dans les", "Grand Est": "dans le",
                       "Pays de la Loire": "dans les", "Centre-Val de Loire": "dans le",
                       "La Réunion": "à", "Mayotte": "à"}


def _in(value: str) -> str:
    """« en Occitanie », « dans le département Puy-de-Dôme (63) », « en PETR ou pays »."""
    label = facet_label(value)
    if value.startswith("dep:"):
        return f"dans le département {label}"
    if value.startswith("type:"):
        return f"dans un territoire de type « {label} »"
    return f"{REGION_PREPOSITIONS.get(label, 'en')} {label}"


def reasons_for(query: DirectoryQuery, matching: list[Evidence], evidence: list[Evidence],
                declared_theme: bool, theme_labels: dict[str, str], named: bool) -> list[str]:
    """The reasons shown under a result, strongest first."""
    reasons = []
    kinds = Counter(e.kind for e in matching)
    about = _about(query, theme_labels) if not query.empty else ""
    for kind in ORDER:
        if kinds[kind]:
            items = [e for e in matching if e.kind == kind]
            reasons.append(counted(kinds[kind], kind) + about + _places(query, items))
    dated = [e.date for e in matching if e.date]
    if dated:
        reasons.append(f"la plus récente en {max(dated).year}")
    if declared_theme:
        reasons.append("compétence déclarée sur ce thème" if matching
                       else "compétence déclarée, sans fiche ni document sur ce thème")
    if named:
        reasons.append("la recherche figure dans son nom, sa présentation ou son organisation")
    if not reasons and query.territories:
        reasons.append("territoire d'action déclaré " + " ou ".join(
            _in(v) for v in query.territories))
    if not reasons and not evidence:
        reasons.append("profil sans fiche ni document pour l'instant")
    return reasons
