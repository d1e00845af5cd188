"""Reading dossiers as a given reader sees them: one dossier, lists, the inbox, history.

History events are read as `EventView`s in which any account address an older event kept
(before every account had a display name) is replaced with the account's name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.accounts.names import EmailMask
from kb.context import KbContext
from kb.errors import Forbidden, NotFound
from kb.models import Document, Dossier, DossierEvent, Initiative, Label, Position, User
from kb.visibility import Reader
from kb.workflow.criteria import CHECKLISTS, CriteriaGroup
from kb.workflow.decision_rule import DecisionRule, Tally, compute_tally
from kb.workflow.store import dossier_visible
from kb.workflow.transitions import allowed_actions, in_collective


@dataclass(frozen=True)
class EventView:
    """One history entry as shown and exported: people named, never by their address."""

    id: int
    at: dt.datetime
    actor_name: str
    action: str
    from_state: str | None
    to_state: str | None
    revision_number: int | None
    comment: str
    data: dict[str, object]


def _events(session: Session, dossier_id: str, mask: EmailMask | None = None
            ) -> list[EventView]:
    mask = mask or EmailMask.load(session)
    return [EventView(e.id, e.at, mask.text(e.actor_name), e.action, e.from_state, e.to_state,
                      e.revision_number, e.comment, mask.value(e.data))  # type: ignore[arg-type]
            for e in session.scalars(select(DossierEvent).where(
                DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.id))]


@dataclass
class PositionView:
    position: Position
    member: str
    current: bool
    answered_by: str = ""
    set_aside_by: str = ""


@dataclass
class DossierView:
    """Everything the dossier page shows, already filtered for its reader."""

    dossier: Dossier
    document: Document | None
    initiative: Initiative | None
    proposer: str
    tally: Tally
    required: int
    refusals: dict[str, list[str]]
    positions: list[PositionView]
    events: list[EventView]
    actions: frozenset[str]
    checklist: tuple[CriteriaGroup, ...]
    labels: list[Label] = field(default_factory=list)
    my_position: Position | None = None


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name for u in session.scalars(select(User).where(User.id.in_(ids)))}


def _visible(session: Session, reader: Reader, dossier_id: str) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or not dossier_visible(session, reader, dossier):
        raise NotFound("Dossier introuvable.")
    return dossier


def get_dossier(ctx: KbContext, reader: Reader, dossier_id: str) -> DossierView:
    rule = DecisionRule(ctx.settings.quorum)
    with ctx.sessions() as session:
        dossier = _visible(session, reader, dossier_id)
        positions = list(session.scalars(select(Position).where(
            Position.dossier_id == dossier.id).order_by(Position.updated_at)))
        events = _events(session, dossier.id)
        names = _names(session, {dossier.proposer_id} | {p.user_id for p in positions}
                       | {p.answered_by_id for p in positions if p.answered_by_id}
                       | {p.set_aside_by_id for p in positions if p.set_aside_by_id})
        user = session.get(User, reader.user_id) if reader.user_id is not None else None
        tally = compute_tally(session, dossier)
        views = [PositionView(p, names.get(p.user_id, "?"), p.round == dossier.round,
                              names.get(p.answered_by_id or 0, ""),
                              names.get(p.set_aside_by_id or 0, "")) for p in positions]
        return DossierView(
            dossier=dossier,
            document=session.get(Document, dossier.document_id) if dossier.document_id else None,
            initiative=session.get(Initiative, dossier.initiative_id)
            if dossier.initiative_id else None,
            proposer=names.get(dossier.proposer_id, "?"), tally=tally,
            required=rule.required(tally.collective_size),
            refusals={o: rule.refusals(o, tally) for o in ("valide", "non-retenu")},
            positions=views, events=events, actions=allowed_actions(dossier, user),
            checklist=CHECKLISTS[dossier.kind],
            labels=list(session.scalars(select(Label).where(Label.dossier_id == dossier.id)
                                        .order_by(Label.granted_at.desc()))),
            my_position=next((v.position for v in views
                              if v.position.user_id == reader.user_id and v.current), None))


def list_dossiers(ctx: KbContext, reader: Reader, states: set[str] | None = None,
                  kind: str | None = None) -> list[Dossier]:
    """Dossiers the reader may see, most recently changed first."""
    if not reader.is_member:
        raise Forbidden("Les dossiers sont réservés aux membres de l'alliance.")
    query = select(Dossier).order_by(Dossier.updated_at.desc())
    if states:
        query = query.where(Dossier.state.in_(states))
    if kind:
        query = query.where(Dossier.kind == kind)
    with ctx.sessions() as session:
        return [d for d in session.scalars(query) if dossier_visible(session, reader, d)]


UNDECIDED = ("propose", "en-debat", "modifications-demandees", "a-reviser")


def my_open_proposals(ctx: KbContext, reader: Reader, limit: int = 5) -> list[Dossier]:
    """The dossiers the reader proposed that await a decision, most recently changed first."""
    if reader.user_id is None:
        return []
    query = (select(Dossier).where(Dossier.proposer_id == reader.user_id,
                                   Dossier.state.in_(UNDECIDED))
             .order_by(Dossier.updated_at.desc()).limit(limit))
    with ctx.sessions() as session:
        return [d for d in session.scalars(query) if dossier_visible(session, reader, d)]


@dataclass
class Inbox:
    awaiting_position: list[Dossier] = field(default_factory=list)
    ready: list[Dossier] = field(default_factory=list)
    to_open: list[Dossier] = field(default_factory=list)
    my_objections: list[Dossier] = field(default_factory=list)


def inbox(ctx: KbContext, reader: Reader) -> Inbox:
    """For a qualified member: debates awaiting their position on the current revision; for
    an administrator: dossiers that the rule allows deciding, and proposals to open."""
    box = Inbox()
    rule = DecisionRule(ctx.settings.quorum)
    with ctx.sessions() as session:
        user = session.get(User, reader.user_id) if reader.user_id is not None else None
        if user is None:
            return box
        open_ones = [d for d in session.scalars(select(Dossier).where(
            Dossier.state.in_(("propose", "en-debat", "a-reviser"))).order_by(Dossier.created_at))
            if dossier_visible(session, reader, d)]
        mine = {(p.dossier_id, p.round): p for p in session.scalars(
            select(Position).where(Position.user_id == user.id))}
        for dossier in open_ones:
            if dossier.state != "en-debat":
                if user.role == "admin" or in_collective(user):
                    box.to_open.append(dossier)
                continue
            position = mine.get((dossier.id, dossier.round))
            if in_collective(user) and position is None:
                box.awaiting_position.append(dossier)
            if position is not None and position.blocks and position.answer:
                box.my_objections.append(dossier)
            if user.role == "admin" and not rule.refusals("valide",
                                                          compute_tally(session, dossier)):
                box.ready.append(dossier)
    return box


def document_dossiers(ctx: KbContext, reader: Reader, doc_id: str
                      ) -> list[tuple[Dossier, list[EventView]]]:
    """A document's dossiers, newest first, each with its history (for the document page)."""
    if not reader.is_member:
        return []
    with ctx.sessions() as session:
        dossiers = session.scalars(select(Dossier).where(Dossier.document_id == doc_id)
                                   .order_by(Dossier.created_at.desc()))
        mask = EmailMask.load(session)
        return [(d, _events(session, d.id, mask))
                for d in dossiers if dossier_visible(session, reader, d)]


def history(ctx: KbContext, reader: Reader, dossier_id: str) -> tuple[Dossier,
                                                                        list[EventView]]:
    with ctx.sessions() as session:
        dossier = _visible(session, reader, dossier_id)
        return dossier, _events(session, dossier.id)
