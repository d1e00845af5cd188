"""The doctrine validation workflow: each change of a dossier is one transaction with its event.

Public surface: `propose_document`, `act` (open the debate, comment, request changes, resume,
withdraw, re-open) and `decide`. Positions and objections are in `kb.workflow.positions`,
new revisions of a dossier's document in `kb.workflow.revisions`, reads in
`kb.workflow.queries`, labels in `kb.workflow.labels`, exports in `kb.workflow.exports`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Conflict, InvalidInput, NotFound
from kb.models import Document, Dossier, User, utcnow
from kb.visibility import Reader, can_read
from kb.workflow.decision_rule import DecisionRule, RuleRefused, compute_tally, current_positions
from kb.workflow.labels import end_labels, grant_label
from kb.workflow.positions import set_aside_objections
from kb.workflow.store import (
    acting_user,
    clean_text,
    latest_revision,
    lock_dossier,
    open_dossier,
    record_event,
    reindex,
    sync_document,
)
from kb.workflow.transitions import COMMENT_ACTIONS, DECISIONS, check_transition

# `retirer-label` also ends the labels: `kb.workflow.labels.withdraw_label` takes it.
GENERIC_ACTIONS = COMMENT_ACTIONS - {"retirer-label"}
# What the comment is called when an action requires one.
REQUIRED_TEXT = {"commenter": "commentaire", "demander-modifications": "modifications attendues",
                 "rouvrir": "motivation"}


def propose_document(ctx: KbContext, reader: Reader, doc_id: str, motivation: str) -> Dossier:
    """Open a dossier proposing a document as doctrine, on its current revision."""
    motivation = clean_text(motivation, "motivation")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        document = session.get(Document, doc_id)
        if document is None or not can_read(reader, document.visibility, document.groups):
            raise NotFound("Document introuvable.")
        revision = latest_revision(session, doc_id)
        dossier = open_dossier(session, Dossier(
            kind="doctrine", document_id=doc_id, subject_title=document.title[:500],
            open_key=f"doctrine:{doc_id}", proposer_id=user.id, motivation=motivation,
            revision_number=revision, state="propose", criteria={}), user)
        sync_document(session, dossier)
    reindex(ctx, dossier)
    return dossier


def act(ctx: KbContext, reader: Reader, dossier_id: str, action: str, comment: str = "",
        version: int | None = None) -> Dossier:
    """One of the simple actions; `version` (the one shown to the user) refuses stale pages."""
    if action not in GENERIC_ACTIONS:
        raise InvalidInput(f"action : « {action} » inconnue ici")
    text = clean_text(comment, REQUIRED_TEXT.get(action, "commentaire"),
                      required=action in REQUIRED_TEXT)
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id, version)
        transition = check_transition(action, dossier, user)
        before = dossier.state
        if transition.target is not None:
            dossier.state = transition.target
        if action == "rouvrir":
            dossier.round += 1  # a new debate: earlier positions no longer count
        if action == "retirer":
            dossier.open_key = None
        record_event(session, dossier, user, action, before, text)
        sync_document(session, dossier)
    reindex(ctx, dossier)
    return dossier


def decide(ctx: KbContext, reader: Reader, dossier_id: str, action: str, rationale: str,
           version: int | None, revision_number: int | None = None) -> Dossier:
    """An administrator records the collective's decision on the revision under debate;
    a decision against the rule, or made from a stale page, is refused."""
    if action not in DECISIONS:
        raise InvalidInput(f"décision : « {action} » inconnue (valider, ne-pas-retenir)")
    text = clean_text(rationale, "motifs de la décision")
    rule = DecisionRule(ctx.settings.quorum)
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = lock_dossier(session, reader, dossier_id, version)
        check_transition(action, dossier, user)
        if revision_number is not None and revision_number != dossier.revision_number:
            raise Conflict(f"La décision visait la version {revision_number}, mais la version "
                           f"{dossier.revision_number} est en débat : rechargez la page.")
        outcome = DECISIONS[action]
        tally = compute_tally(session, dossier)
        refusals = rule.refusals(outcome, tally)
        if refusals:
            raise RuleRefused(rule, refusals)
        data = _apply_decision(session, dossier, outcome)
        data.update(outcome=outcome, revision=dossier.revision_number, rule=rule.record(tally),
                    set_aside=set_aside_objections(session, dossier))
        record_event(session, dossier, user, "decision", "en-debat", text, data)
        sync_document(session, dossier)
    reindex(ctx, dossier)
    return dossier


def _apply_decision(session: Session, dossier: Dossier, outcome: str) -> dict[str, object]:
    dossier.state, dossier.decided_at = outcome, utcnow()
    positions = current_positions(session, dossier)
    approvers = [_name(session, p.user_id) for p in positions if p.stance != "objection"]
    data: dict[str, object] = {"approvers": approvers}
    if outcome == "valide":
        dossier.decided_revision = dossier.revision_number
        if dossier.kind != "doctrine":
            label = grant_label(session, dossier, approvers)
            data["label"] = {"renewal_date": label.renewal_date.isoformat()}
    else:
        dossier.open_key = None
        end_labels(session, dossier, "non renouvelé par décision du collectif")
    return data


def _name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.name if user else f"compte {user_id}"

