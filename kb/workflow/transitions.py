"""The dossier state machine: which action leads from which state to which, and who may act.

Public surface: `TRANSITIONS` (one row per action), `COMMENT_ACTIONS` (those taken with a
comment alone), `check_transition(action, dossier, user)`
raising the French refusal, `allowed_actions(dossier, user)` for the pages, and
`in_collective(user)`, the one definition of the qualified collective.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.errors import Conflict, Forbidden, InvalidInput
from kb.models import Dossier, User
from kb.models.workflow import DOSSIER_KINDS, LABEL_KINDS, STATE_LABELS

OPEN_STATES = frozenset({"propose", "en-debat", "modifications-demandees", "a-reviser"})
ALL_KINDS = frozenset(DOSSIER_KINDS)
LABELS_ONLY = frozenset(LABEL_KINDS)
ACTOR_LABELS = {
    "membre": "aux membres de l'alliance",
    "proposant": "à la personne qui a ouvert le dossier",
    "collectif": "aux membres du collectif qualifié",
    "admin": "aux administrateur·rice·s",
}


@dataclass(frozen=True)
class Transition:
    """An action: the states it starts from, the state it leads to (None: unchanged), who
    may take it, on which kinds of dossier, and what it takes besides the actor: `comment`
    (a text alone, through `kb.workflow.dossiers.act` or `labels.withdraw_label`) or its
    own form and service (`position`, `answer`, `reasons`, `criteria`, `file`, `decision`)."""

    action: str
    label: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]
    kinds: frozenset[str] = ALL_KINDS
    form: str = "comment"


def _t(action: str, label: str, sources: set[str] | frozenset[str], target: str | None,
       actors: set[str], kinds: frozenset[str] = ALL_KINDS, form: str = "comment"
       ) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(actors), kinds,
                      form)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    _t("ouvrir-debat", "Ouvrir le débat", {"propose", "a-reviser"}, "en-debat",
       {"collectif", "admin"}),
    _t("commenter", "Commenter", OPEN_STATES, None, {"membre"}),
    _t("prendre-position", "Prendre position", {"en-debat"}, None, {"collectif"},
       form="position"),
    _t("repondre-objection", "Répondre à une objection", {"en-debat"}, None,
       {"proposant", "collectif", "admin"}, form="answer"),
    # Only the objector withdraws an objection (by changing position); anyone else in the
    # collective may only set it aside, with reasons that stay in the history.
    _t("ecarter-objection", "Écarter une objection", {"en-debat"}, None,
       {"collectif", "admin"}, form="reasons"),
    _t("cocher-critere", "Cocher un critère", {"propose", "en-debat"}, None,
       {"collectif", "admin"}, LABELS_ONLY, form="criteria"),
    _t("demander-modifications", "Demander des modifications", {"en-debat"},
       "modifications-demandees", {"collectif", "admin"}),
    # A doctrine dossier resumes with a new revision of its document (`on_new_revision`).
    _t("reprendre-debat", "Reprendre le débat", {"modifications-demandees"}, "en-debat",
       {"proposant", "admin"}, LABELS_ONLY),
    _t("deposer-version", "Déposer une nouvelle version", OPEN_STATES, None,
       {"proposant", "admin"}, frozenset({"doctrine"}), form="file"),
    _t("valider", "Valider", {"en-debat"}, "valide", {"admin"}, form="decision"),
    _t("ne-pas-retenir", "Ne pas retenir", {"en-debat"}, "non-retenu", {"admin"},
       form="decision"),
    _t("retirer", "Retirer le dossier", {"propose", "en-debat", "modifications-demandees"},
       "retire", {"proposant"}),
    _t("rouvrir", "Rouvrir (à réviser)", {"valide"}, "a-reviser", {"membre"}),
    _t("retirer-label", "Retirer le label", {"valide", "a-reviser"}, "retire", {"admin"},
       LABELS_ONLY),
)}
DECISIONS = {"valider": "valide", "ne-pas-retenir": "non-retenu"}
# The actions taken with a comment alone: one generic form on the web.
COMMENT_ACTIONS = frozenset(a for a, t in TRANSITIONS.items() if t.form == "comment")


def in_collective(user: User) -> bool:
    """Active accounts with the `collectif` role, or members of the `collectif` group."""
    return user.active and (user.role == "collectif" or "collectif" in user.groups)


def actor_roles(user: User, dossier: Dossier) -> frozenset[str]:
    if not user.active:
        return frozenset()
    roles = {"membre"}
    if user.id == dossier.proposer_id:
        roles.add("proposant")
    if in_collective(user):
        roles.add("collectif")
    if user.role == "admin":
        roles.add("admin")
    return frozenset(roles)


def check_transition(action: str, dossier: Dossier, user: User) -> Transition:
    """The transition, or the refusal: `Forbidden` for the role, `Conflict` for the state."""
    transition = TRANSITIONS.get(action)
    if transition is None or dossier.kind not in transition.kinds:
        raise InvalidInput(f"action : « {action} » n'existe pas pour ce type de dossier")
    if actor_roles(user, dossier).isdisjoint(transition.actors):
        allowed = " ou ".join(ACTOR_LABELS[a] for a in sorted(transition.actors))
        raise Forbidden(f"« {transition.label} » est réservé {allowed}.")
    if dossier.state not in transition.sources:
        raise Conflict(f"« {transition.label} » est impossible : le dossier est "
                       f"« {STATE_LABELS[dossier.state]} ».")
    if action == "retirer" and dossier.decided_revision is not None:
        raise Conflict("« Retirer le dossier » est impossible : ce texte a déjà été validé, "
                       "seule une nouvelle décision du collectif peut changer son statut.")
    return transition


def allowed_actions(dossier: Dossier, user: User | None) -> frozenset[str]:
    """The actions `user` may take on `dossier` now (for showing the right forms)."""
    if user is None:
        return frozenset()
    allowed = set()
    for action in TRANSITIONS:
        try:
            check_transition(action, dossier, user)
        except (Forbidden, Conflict, InvalidInput):
            continue
        allowed.add(action)
    return frozenset(allowed)
