"""Why a person is in the directory's results, in French: « 3 fiches d'expérience publiées sur
ce thème, dont 2 en Occitanie », « compétence déclarée (sans fiche) »."""

from __future__ import annotations

from kb.people.evidence import Evidence
from kb.people.ranking import Asked, in_places
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


def _about(labels: list[str]) -> str:
    if not labels:
        return ""
    if len(labels) > 3:
        return " sur ces thèmes"
    return " sur " + " ou ".join(f"« {label} »" for label in labels)


def _places(places: list[str], items: list[Evidence]) -> str:
    placed = [e for e in items if in_places(e.territory, places)]
    if not placed:
        return ""
    where = " ou ".join(_in(v) for v in places)
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


def _counts(asked: Asked, matching: list[Evidence], about: str, words: bool) -> list[str]:
    """« 2 fiches d'expérience publiées sur « alimentation », dont 1 en Occitanie » per kind;
    with a question naming a theme, the pieces that only share its words are told apart."""
    answering = " répondant à la recherche" if words else ""
    reasons = []
    for kind in ORDER:
        items = [e for e in matching if e.kind == kind]
        themed = [e for e in items if not asked.named or e.concept_ids & asked.named]
        loose = [e for e in items if e not in themed]
        for group, said in ((themed, about or answering), (loose, answering)):
            if group:
                reasons.append(counted(len(group), kind) + said + _places(asked.places, group))
    return reasons


def reasons_for(asked: Asked, labels: list[str], matching: list[Evidence],
                evidence: list[Evidence], declared_theme: bool, named: bool) -> list[str]:
    """The reasons shown under a result, strongest first; `labels` are the themes asked for
    (chosen, or named by the question)."""
    reasons = _counts(asked, matching, _about(labels), asked.documents is not None)
    dated = [e.date for e in matching if e.date]
    if dated:
        reasons.append(f"la plus récente en {max(dated).year}")
    if declared_theme:
        reasons.append("compétence déclarée sur ce thème" if matching
                       else "compétence déclarée, sans fiche ni document sur ce thème")
    if named:
        reasons.append("la recherche figure dans son nom, sa présentation ou son organisation")
    if not reasons and asked.within:
        reasons.append("territoire d'action déclaré " + " ou ".join(
            _in(v) for v in asked.within))
    if not reasons and not evidence:
        reasons.append("profil sans fiche ni document pour l'instant")
    return reasons
