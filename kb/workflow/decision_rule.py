"""The decision rule: the tally of positions, the quorum, and when a decision is allowed.

Default rule « quorum sans objection ouverte »: a quorum of the active qualified collective
(`KB_QUORUM`) has taken a position on the current revision and no objection remains open
(an objection is open until its author withdraws it or the collective sets it aside, with
its reasons; an answer alone does not lift it); then an administrator records the decision.
Not retaining a text also needs the quorum and some dissent (an objection or a
reservation): a unanimous consent cannot be overruled. The rule's name, parameters and the
tally are recorded with each decision.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.config import parse_quorum
from kb.errors import Conflict
from kb.models import Dossier, Position, User
from kb.workflow.criteria import unmet_groups
from kb.workflow.transitions import in_collective

RULE_NAME = "quorum-sans-objection-ouverte"
RULE_TITLE = "quorum sans objection ouverte"


@dataclass(frozen=True)
class Tally:
    """Positions of the current round, counted among the active qualified collective."""

    collective_size: int
    consent: int = 0
    reserve: int = 0
    objection: int = 0
    open_objections: int = 0
    set_aside: int = 0
    unmet_criteria: list[str] = field(default_factory=list)

    @property
    def positions(self) -> int:
        return self.consent + self.reserve + self.objection

    @property
    def waiting(self) -> int:
        return max(0, self.collective_size - self.positions)


def collective_members(session: Session) -> list[User]:
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    return [user for user in users if in_collective(user)]


def current_positions(session: Session, dossier: Dossier) -> list[Position]:
    """Positions of the dossier's current round by members still in the collective."""
    members = {user.id for user in collective_members(session)}
    rows = session.scalars(select(Position).where(Position.dossier_id == dossier.id,
                                                  Position.round == dossier.round))
    return [p for p in rows if p.user_id in members]


def compute_tally(session: Session, dossier: Dossier) -> Tally:
    positions = current_positions(session, dossier)
    count = {stance: sum(1 for p in positions if p.stance == stance)
             for stance in ("consentement", "reserve", "objection")}
    return Tally(
        collective_size=len(collective_members(session)),
        consent=count["consentement"], reserve=count["reserve"], objection=count["objection"],
        open_objections=sum(1 for p in positions if p.blocks),
        set_aside=count["objection"] - sum(1 for p in positions if p.blocks),
        unmet_criteria=unmet_groups(dossier.kind, dossier.criteria or {}),
    )


@dataclass(frozen=True)
class DecisionRule:
    """The configured rule; `refusals` says why a decision would go against it."""

    quorum: str = "50%"
    name: str = RULE_NAME

    def required(self, collective_size: int) -> int:
        mode, value = parse_quorum(self.quorum)
        if mode == "count":
            return int(value)
        return max(1, math.ceil(collective_size * value - 1e-9))

    def refusals(self, outcome: str, tally: Tally) -> list[str]:
        reasons = []
        required = self.required(tally.collective_size)
        if tally.positions < required:
            reasons.append(f"quorum non atteint ({tally.positions} position(s) sur "
                           f"{required} requise(s), collectif de {tally.collective_size})")
        if outcome == "valide":
            if tally.open_objections:
                reasons.append(f"{tally.open_objections} objection(s) encore ouverte(s) : "
                               "son auteur·rice la retire, ou le collectif l'écarte en "
                               "disant pourquoi, avant toute validation")
            reasons += [f"critère non rempli : {label}" for label in tally.unmet_criteria]
        elif not tally.objection and not tally.reserve:
            reasons.append("aucune objection ni réserve : le consentement est général")
        return reasons

    def describe(self) -> str:
        mode, value = parse_quorum(self.quorum)
        quorum = f"{int(value)} membre(s)" if mode == "count" else f"{value:.0%} des membres"
        return (f"« {RULE_TITLE} » : {quorum} du collectif qualifié ont pris position "
                "et aucune objection ne reste ouverte")

    def record(self, tally: Tally) -> dict[str, object]:
        """What is stored with a decision: the rule, its parameters and the tally."""
        return {"name": self.name,
                "params": {"quorum": self.quorum,
                           "required": self.required(tally.collective_size)},
                "tally": asdict(tally)}


class RuleRefused(Conflict):
    """A decision the configured rule does not allow; the message lists every reason."""

    def __init__(self, rule: DecisionRule, reasons: list[str]) -> None:
        super().__init__(f"Décision refusée par la règle « {RULE_TITLE} » : "
                         + " ; ".join(reasons) + ".")
        self.rule = rule
        self.reasons = reasons
