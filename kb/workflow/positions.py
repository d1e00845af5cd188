"""Positions in a debate, and objections: answered, withdrawn by their author, or set aside.

As in consent-based decision making (sociocracy, Loomio's « block »), an answer does not
lift an objection: it stays open, and blocks validation, until its author withdraws it
(changes position) or the collective sets it aside in an explicit step recorded with who
did it and why. Public surface: `take_position`, `withdraw_objection`, `answer_objection`,
`set_aside_objection`, and `set_aside_objections` (what a decision records).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.models import Dossier, Position, User, utcnow
from kb.models.workflow import STANCES
from kb.visibility import Reader
from kb.workflow.store import acting_user, clean_text, lock_dossier, record_event
from kb.workflow.transitions import check_transition

WITHDRAWN_STANCES = ("consentement", "reserve")
NOT_OPEN = "Cette objection n'est plus ouverte : elle a été retirée ou déjà écartée."


def _position_text(stance: str, comment: str) -> str:
    if stance not in STANCES:
        raise InvalidInput(f"position : « {stance} » inconnue ({', '.join(STANCES)})")
    field = {"reserve": "réserve", "objection": "objection : raison"}.get(stance, "commentaire")
    return clean_text(comment, field, required=stance != "consentement")


def take_position(ctx: KbContext, reader: Reader, dossier_id: str, stance: str,
                  comment: str = "", *, withdrawing: bool = False) -> Position:
    """A qualified member's consent, reservation (with a comment) or objection (with a
    reason); it may change until the decision. Leaving an open objection for another
    stance withdraws it; with `withdrawing`, the member must have one open."""
    text = _position_text(stance, comment)
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id)
        check_transition("prendre-position", dossier, user)
        position = session.scalar(select(Position).where(Position.dossier_id == dossier.id,
                                                         Position.user_id == user.id))
        current = position if position and position.round == dossier.round else None
        previous = current.stance if current else None
        withdrawn = current is not None and current.blocks and stance != "objection"
        if withdrawing and not withdrawn:
            raise Conflict("Vous n'avez pas d'objection ouverte dans ce débat.")
        if position is None:
            position = Position(dossier_id=dossier.id, user_id=user.id)
            session.add(position)
        position.stance, position.comment = stance, text
        position.round, position.revision_number = dossier.round, dossier.revision_number
        position.answer = position.answered_by_id = position.answered_at = None
        position.set_aside_by_id = position.set_aside_at = position.set_aside_reason = None
        position.updated_at = utcnow()
        record_event(session, dossier, user, "retrait-objection" if withdrawn else "position",
                     dossier.state, text,
                     {"stance": stance, "previous": previous})
    return position


def withdraw_objection(ctx: KbContext, reader: Reader, dossier_id: str, stance: str,
                       comment: str = "") -> Position:
    """The objector withdraws their own open objection, consenting or keeping a reservation."""
    if stance not in WITHDRAWN_STANCES:
        raise InvalidInput("nouvelle position : consentement ou réserve")
    return take_position(ctx, reader, dossier_id, stance, comment, withdrawing=True)


def _objection(session: Session, dossier: Dossier, position_id: int) -> Position:
    """An objection of the current round, open or set aside."""
    position = session.get(Position, position_id)
    if position is None or position.dossier_id != dossier.id \
            or position.round != dossier.round or position.stance != "objection":
        raise NotFound("Objection introuvable dans le débat en cours : son auteur·rice l'a "
                       "peut-être retirée.")
    return position


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.name if user else ""


def answer_objection(ctx: KbContext, reader: Reader, dossier_id: str, position_id: int,
                     answer: str) -> Position:
    """Answer an objection; it stays open (several answers may follow one another)."""
    text = clean_text(answer, "réponse")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id)
        check_transition("repondre-objection", dossier, user)
        position = _objection(session, dossier, position_id)
        if position.user_id == user.id:
            raise Forbidden("Vous ne pouvez pas répondre à votre propre objection : "
                            "retirez-la si la discussion l'a levée.")
        position.answer, position.answered_by_id = text, user.id
        position.answered_at = utcnow()
        record_event(session, dossier, user, "reponse-objection", dossier.state, text,
                     {"position_id": position.id, "objector": _name(session, position.user_id)})
    return position


def set_aside_objection(ctx: KbContext, reader: Reader, dossier_id: str, position_id: int,
                        reason: str, version: int | None = None) -> Position:
    """A member of the collective (or an administrator), not the objector, sets an open
    objection aside with the collective's reasons; `version` refuses a stale page."""
    text = clean_text(reason, "raison de l'écarter")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id, version)
        check_transition("ecarter-objection", dossier, user)
        position = _objection(session, dossier, position_id)
        if position.user_id == user.id:
            raise Forbidden("Vous ne pouvez pas écarter votre propre objection : "
                            "retirez-la en changeant de position.")
        if not position.blocks:
            raise Conflict(NOT_OPEN)
        position.set_aside_by_id, position.set_aside_at = user.id, utcnow()
        position.set_aside_reason = text
        record_event(session, dossier, user, "ecarter-objection", dossier.state, text,
                     {"position_id": position.id, "objector": _name(session, position.user_id),
                      "objection": position.comment})
    return position


def set_aside_objections(session: Session, dossier: Dossier) -> list[dict[str, str]]:
    """The current round's objections set aside: whose, by whom, why (kept with a decision)."""
    rows = session.scalars(select(Position).where(
        Position.dossier_id == dossier.id, Position.round == dossier.round,
        Position.stance == "objection", Position.set_aside_at.is_not(None))
        .order_by(Position.set_aside_at))
    return [{"objector": _name(session, p.user_id), "objection": p.comment,
             "by": _name(session, p.set_aside_by_id), "reason": p.set_aside_reason or ""}
            for p in rows]
