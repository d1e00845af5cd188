"""One dossier's page as pages and actions render it: its forms, its rule, its follow-ups."""

from __future__ import annotations

from flask import render_template

from kb.workflow.decision_rule import DecisionRule
from kb.workflow.queries import get_dossier
from kb.workflow.transitions import COMMENT_ACTIONS
from webui.common.context import current_reader, instance
from webui.workflow.forms import (
    ActionForm,
    AnswerForm,
    CriteriaForm,
    DecisionForm,
    PositionForm,
    RevisionForm,
    SetAsideForm,
    WithdrawForm,
)

DOCTRINE_LABELS = {
    "aucun": "", "propose": "Proposé comme doctrine", "en-debat": "Doctrine en débat",
    "doctrine": "Doctrine validée", "non-retenu": "Non retenu comme doctrine",
    "a-reviser": "Doctrine — à réviser",
}


def dossier_forms(view) -> dict[str, object]:  # type: ignore[no-untyped-def]
    dossier = view.dossier
    ticked = [key for key, on in (dossier.criteria or {}).items() if on]
    criteria = CriteriaForm(formdata=None, prefix="criteres", criteria=ticked)
    criteria.criteria.choices = [(key, label) for group in view.checklist
                                 for key, label in group.criteria]
    mine = view.my_position
    return {
        "actions": {a: ActionForm(formdata=None, prefix=a, version=dossier.version)
                    for a in sorted(COMMENT_ACTIONS)},
        "position": PositionForm(formdata=None, prefix="position",
                                 stance=mine.stance if mine else None,
                                 comment=mine.comment if mine else ""),
        "answers": {p.position.id: AnswerForm(formdata=None, prefix=f"r{p.position.id}")
                    for p in view.positions},
        "set_aside": {p.position.id: SetAsideForm(formdata=None, prefix=f"e{p.position.id}",
                                                  version=dossier.version)
                      for p in view.positions},
        "withdraw": WithdrawForm(formdata=None, prefix="retrait"),
        "decision": DecisionForm(formdata=None, prefix="decision", version=dossier.version,
                                 revision=dossier.revision_number or ""),
        "criteria": criteria,
        "revision": RevisionForm(formdata=None, prefix="version"),
    }


def render_dossier(dossier_id: str, status: int = 200) -> tuple[str, int]:
    view = get_dossier(instance(), current_reader(), dossier_id)
    rule = DecisionRule(instance().settings.quorum)
    follow_up = view.actions - {"commenter", "prendre-position", "repondre-objection",
                                "ecarter-objection", "cocher-critere"}
    return render_template("workflow/show.html", view=view, forms=dossier_forms(view),
                           rule=rule.describe(), follow_up=follow_up), status
