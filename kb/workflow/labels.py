"""Labels « sous l'égide » and « fabrique locale »: initiatives, criteria, grants, withdrawals.

Label dossiers follow the same workflow as doctrine (`kb.workflow.dossiers`); this module adds what
is theirs: the initiatives, the criteria the collective ticks, and the labels granted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.models import Dossier, Initiative, Label, utcnow
from kb.models.workflow import LABEL_KINDS
from kb.visibility import Reader
from kb.workflow.criteria import LABEL_YEARS, criterion_keys
from kb.workflow.store import acting_user, clean_text, lock_dossier, open_dossier, record_event
from kb.workflow.transitions import check_transition


def create_initiative(ctx: KbContext, reader: Reader, name: str, description: str,
                      territory: str = "", carrier: str = "") -> Initiative:
    """Register an initiative or a local fabrique (the association proposes labels)."""
    initiative = Initiative(name=clean_text(name, "nom")[:300],
                            description=clean_text(description, "description"),
                            territory=clean_text(territory, "territoire", False)[:300],
                            carrier=clean_text(carrier, "porteur", False)[:300])
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        if user.role != "admin":
            raise Forbidden("Seule l'association (administrateur·rice) propose des labels.")
        initiative.created_by_id = user.id
        session.add(initiative)
    return initiative


def propose_label(ctx: KbContext, reader: Reader, initiative_id: str, kind: str,
                  motivation: str) -> Dossier:
    """Open a label dossier, « sur proposition de l'Association de promotion »."""
    if kind not in LABEL_KINDS:
        raise InvalidInput(f"label : « {kind} » inconnu ({', '.join(LABEL_KINDS)})")
    motivation = clean_text(motivation, "motivation")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        if user.role != "admin":
            raise Forbidden("Seule l'association (administrateur·rice) propose des labels.")
        initiative = session.get(Initiative, initiative_id)
        if initiative is None:
            raise NotFound("Initiative introuvable.")
        return open_dossier(session, Dossier(
            kind=kind, initiative_id=initiative.id, subject_title=initiative.name,
            open_key=f"{kind}:{initiative.id}", proposer_id=user.id, motivation=motivation,
            state="propose", criteria={}), user)


def set_criteria(ctx: KbContext, reader: Reader, dossier_id: str,
                 ticked: Iterable[str]) -> Dossier:
    """Tick exactly `ticked` in the dossier's checklist; one event per criterion changed."""
    wanted = set(ticked)
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id)
        check_transition("cocher-critere", dossier, user)
        known = criterion_keys(dossier.kind)
        if unknown := wanted - known:
            raise InvalidInput(f"critères inconnus : {', '.join(sorted(unknown))}")
        current = dict(dossier.criteria or {})
        for key in sorted(known):
            if bool(current.get(key)) != (key in wanted):
                current[key] = key in wanted
                record_event(session, dossier, user, "critere", dossier.state,
                             data={"criterion": key, "ticked": key in wanted})
        dossier.criteria = current
    return dossier


def grant_label(session: Session, dossier: Dossier, approvers: list[str]) -> Label:
    """The label of a validated dossier; a renewal replaces the dossier's earlier label."""
    today = utcnow().date()
    end_labels(session, dossier, "remplacé par le renouvellement")
    years = LABEL_YEARS[dossier.kind]
    try:
        renewal = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        renewal = today.replace(year=today.year + years, day=28)
    label = Label(dossier_id=dossier.id, initiative_id=str(dossier.initiative_id),
                  kind=dossier.kind, granted_at=utcnow(), approvers=approvers,
                  renewal_date=renewal, withdrawal_reason="")
    session.add(label)
    return label


def end_labels(session: Session, dossier: Dossier, reason: str) -> None:
    for label in session.scalars(select(Label).where(Label.dossier_id == dossier.id,
                                                     Label.withdrawn_at.is_(None))):
        label.withdrawn_at, label.withdrawal_reason = utcnow(), reason


def withdraw_label(ctx: KbContext, reader: Reader, dossier_id: str, reason: str,
                   version: int | None = None) -> Dossier:
    """Withdraw a granted label (serious breach, after a contradictory exchange)."""
    text = clean_text(reason, "motif du retrait")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id, version)
        check_transition("retirer-label", dossier, user)
        before, dossier.state, dossier.open_key = dossier.state, "retire", None
        end_labels(session, dossier, text)
        record_event(session, dossier, user, "retirer-label", before, text)
    return dossier


@dataclass
class LabelEntry:
    label: Label
    initiative: Initiative
    status: str


def list_labels(ctx: KbContext, current_only: bool = True,
                today: dt.date | None = None) -> list[LabelEntry]:
    """Labels with their initiative, newest first; by default only those in force today."""
    today = today or utcnow().date()
    with ctx.sessions() as session:
        rows = session.execute(select(Label, Initiative).join(
            Initiative, Initiative.id == Label.initiative_id).order_by(Label.granted_at.desc()))
        entries = [LabelEntry(label, initiative, label.status(today))
                   for label, initiative in rows]
    return [e for e in entries if e.status == "actif"] if current_only else entries
