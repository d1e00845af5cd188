"""Label dossiers: initiatives, criteria checklists, grants with approvers, expiry, withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kb.errors import Conflict, Forbidden, InvalidInput
from kb.models import DossierEvent, Label
from kb.workflow.criteria import CHECKLISTS, LABEL_YEARS, criterion_keys
from kb.workflow.decision_rule import RuleRefused
from kb.workflow.dossiers import act, decide
from kb.workflow.labels import (
    create_initiative,
    list_labels,
    propose_label,
    set_criteria,
    withdraw_label,
)
from kb.workflow.positions import take_position
from kb.workflow.queries import get_dossier
from tests.test_workflow_fixtures import World

pytest_plugins = ("tests.test_workflow_fixtures",)
EGIDE_MINIMUM = {"objectif-2", *criterion_keys("egide")} - {
    "objectif-1", "objectif-3", "objectif-4"}


def label_dossier(world: World, kind: str = "egide") -> str:
    initiative = create_initiative(
        world.ctx, world.reader("admin"), "Tiers-lieu de la Filature",
        "Un tiers-lieu qui accompagne trois communautés de communes.", "Vosges",
        "Association La Filature")
    dossier = propose_label(world.ctx, world.reader("admin"), initiative.id, kind,
                            "Initiative conforme à la charte selon l'instruction.")
    act(world.ctx, world.reader("c1"), dossier.id, "ouvrir-debat")
    return dossier.id


@pytest.mark.parametrize("name", ["proposant", "c1"])
def test_only_the_association_proposes_labels(world: World, name: str) -> None:
    with pytest.raises(Forbidden):
        create_initiative(world.ctx, world.reader(name), "Initiative", "Description")


def test_unknown_label_kind_is_refused(world: World) -> None:
    initiative = create_initiative(world.ctx, world.reader("admin"), "I", "D")
    with pytest.raises(InvalidInput, match="label"):
        propose_label(world.ctx, world.reader("admin"), initiative.id, "doctrine", "M")


def test_label_needs_every_criteria_group(world: World) -> None:
    dossier_id = label_dossier(world)
    world.consent(dossier_id, "c1", "c2")
    version = world.dossier(dossier_id).version
    with pytest.raises(RuleRefused, match="critère non rempli") as refused:
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK", version)
    assert len(refused.value.reasons) == len(CHECKLISTS["egide"])
    set_criteria(world.ctx, world.reader("c2"), dossier_id, EGIDE_MINIMUM - {"alliance"})
    with pytest.raises(RuleRefused, match="Conditions d'éligibilité"):
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK", version + 1)
    set_criteria(world.ctx, world.reader("c2"), dossier_id, EGIDE_MINIMUM)
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Label accordé.",
           version + 2)
    with world.ctx.sessions() as session:
        label = session.scalars(select(Label)).one()
        ticks = [e.data for e in session.scalars(select(DossierEvent).where(
            DossierEvent.action == "critere"))]
    today = dt.datetime.now(dt.UTC).date()
    assert label.renewal_date == today.replace(year=today.year + LABEL_YEARS["egide"])
    assert sorted(label.approvers) == ["C1", "C2"]
    assert len(ticks) == len(EGIDE_MINIMUM)  # one event per criterion ticked
    entries = list_labels(world.ctx)
    assert [e.initiative.name for e in entries] == ["Tiers-lieu de la Filature"]


def test_unknown_criterion_and_wrong_role(world: World) -> None:
    dossier_id = label_dossier(world, "fabrique-locale")
    with pytest.raises(InvalidInput, match="inconnus"):
        set_criteria(world.ctx, world.reader("c1"), dossier_id, {"ancrage", "charisme"})
    with pytest.raises(Forbidden):
        set_criteria(world.ctx, world.reader("autre"), dossier_id, {"ancrage"})


def granted(world: World, kind: str = "fabrique-locale") -> str:
    dossier_id = label_dossier(world, kind)
    set_criteria(world.ctx, world.reader("c1"), dossier_id, criterion_keys(kind))
    take_position(world.ctx, world.reader("c1"), dossier_id, "consentement")
    take_position(world.ctx, world.reader("c3"), dossier_id, "reserve", "À suivre de près.")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Accordé.",
           world.dossier(dossier_id).version)
    return dossier_id


def test_label_expires_at_its_renewal_date(world: World) -> None:
    granted(world)
    renewal = list_labels(world.ctx)[0].label.renewal_date
    assert [e.status for e in list_labels(world.ctx, today=renewal)] == ["actif"]
    later = renewal + dt.timedelta(days=1)
    assert list_labels(world.ctx, today=later) == []
    assert [e.status for e in list_labels(world.ctx, False, later)] == ["expire"]


def test_withdrawn_label_leaves_public_list(world: World) -> None:
    dossier_id = granted(world)
    with pytest.raises(Forbidden):
        withdraw_label(world.ctx, world.reader("c1"), dossier_id, "Manquement.")
    with pytest.raises(InvalidInput, match="motif"):
        withdraw_label(world.ctx, world.reader("admin"), dossier_id, " ")
    withdraw_label(world.ctx, world.reader("admin"), dossier_id,
                   "Manquement grave à la transparence financière.",
                   world.dossier(dossier_id).version)
    assert list_labels(world.ctx) == []
    entry = list_labels(world.ctx, current_only=False)[0]
    assert entry.status == "retire" and "transparence" in entry.label.withdrawal_reason
    assert world.dossier(dossier_id).state == "retire"
    with pytest.raises(Conflict):
        withdraw_label(world.ctx, world.reader("admin"), dossier_id, "Encore.")


def test_renewal_replaces_the_label(world: World) -> None:
    dossier_id = granted(world)
    act(world.ctx, world.reader("admin"), dossier_id, "rouvrir", "Renouvellement à deux ans.")
    assert len(list_labels(world.ctx)) == 1  # still in force while it is reviewed
    act(world.ctx, world.reader("c1"), dossier_id, "ouvrir-debat")
    view = get_dossier(world.ctx, world.reader("c1"), dossier_id)
    assert view.tally.positions == 0 and view.tally.unmet_criteria == []
    world.consent(dossier_id, "c1", "c2")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Renouvelé.",
           world.dossier(dossier_id).version)
    statuses = sorted(e.status for e in list_labels(world.ctx, current_only=False))
    assert statuses == ["actif", "retire"]


def test_label_dossier_resumes_after_changes_without_a_document(world: World) -> None:
    dossier_id = label_dossier(world)
    act(world.ctx, world.reader("c1"), dossier_id, "demander-modifications",
        "Préciser la gouvernance financière.")
    with pytest.raises(Forbidden):
        act(world.ctx, world.reader("c1"), dossier_id, "reprendre-debat")
    act(world.ctx, world.reader("admin"), dossier_id, "reprendre-debat", "Budget joint.")
    assert world.dossier(dossier_id).state == "en-debat"
