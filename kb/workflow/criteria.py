"""Criteria checklists of the label dossiers, from the charter and the labelling process.

A checklist is a list of groups; a group is met when `minimum` of its criteria are ticked
(None: all of them). Sources: « Charte fondatrice » (four objectives, seven disciplines),
« Processus de labellisation » (procedure A) and « Les fabriques locales des transitions »
(six principles, label for three years).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CriteriaGroup:
    key: str
    label: str
    criteria: tuple[tuple[str, str], ...]
    minimum: int | None = None

    def is_met(self, ticked: dict[str, bool]) -> bool:
        count = sum(1 for key, _ in self.criteria if ticked.get(key))
        return count >= (self.minimum if self.minimum is not None else len(self.criteria))


OBJECTIVES = CriteriaGroup("objectifs", "Poursuit au moins l'un des objectifs de la charte", (
    ("objectif-1", "Constituer ensemble une communauté apprenante"),
    ("objectif-2", "Mettre ce patrimoine au service des territoires en les accompagnant"),
    ("objectif-3", "Proposer ensemble des changements de modèle"),
    ("objectif-4", "Déployer une ingénierie de la conduite du changement systémique"),
), minimum=1)
DISCIPLINES = CriteriaGroup("disciplines", "Respecte les disciplines de la charte", (
    ("discipline-systemique", "Approche systémique"),
    ("discipline-partage", "Partage"),
    ("discipline-reflexivite", "Réflexivité"),
    ("discipline-cooperation", "Coopération"),
    ("discipline-subsidiarite", "Subsidiarité"),
    ("discipline-temps-long", "Temps long"),
    ("discipline-transparence", "Transparence, notamment financière"),
))
CONDITIONS = CriteriaGroup("conditions", "Conditions d'éligibilité", (
    ("alliance", "Associe au moins deux allié·e·s, ou un·e allié·e et un territoire"),
    ("documentation", "S'engage à documenter ses résultats dans la base commune"),
))
PRINCIPLES = CriteriaGroup("principes", "Les six principes des fabriques locales", (
    ("ancrage", "Ancrage : un bassin de vie vécu"),
    ("pluralite", "Pluralité : aucune catégorie d'acteurs n'a la moitié des sièges"),
    ("autonomie", "Autonomie : un programme défini librement"),
    ("apprentissage", "Apprentissage : retours d'expérience réguliers et documentés"),
    ("systemique", "Systémique : les liens entre sujets plutôt qu'une spécialité"),
    ("reciprocite", "Réciprocité : partage avec les autres fabriques et l'alliance"),
))

CHECKLISTS: dict[str, tuple[CriteriaGroup, ...]] = {
    "doctrine": (),
    "egide": (OBJECTIVES, DISCIPLINES, CONDITIONS),
    "fabrique-locale": (PRINCIPLES,),
}
CRITERION_LABELS = {key: label for groups in CHECKLISTS.values() for group in groups
                    for key, label in group.criteria}
# How long a granted label lasts before it must be renewed.
LABEL_YEARS = {"egide": 2, "fabrique-locale": 3}


def criterion_keys(kind: str) -> frozenset[str]:
    return frozenset(key for group in CHECKLISTS[kind] for key, _ in group.criteria)


def unmet_groups(kind: str, ticked: dict[str, bool]) -> list[str]:
    """The labels of the groups not met yet, for the decision rule's refusal."""
    return [group.label for group in CHECKLISTS[kind] if not group.is_met(ticked)]
