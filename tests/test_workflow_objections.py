"""Objections: an answer does not lift them; only their author withdraws them, or the
collective sets them aside in a recorded step (who, why), also under concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError

from kb.errors import Conflict, Forbidden, InvalidInput, KbError, NotFound
from kb.models import DossierEvent, Position
from kb.workflow.decision_rule import RuleRefused
from kb.workflow.dossiers import decide
from kb.workflow.positions import (
    answer_objection,
    set_aside_objection,
    take_position,
    withdraw_objection,
)
from kb.workflow.queries import get_dossier
from tests.test_workflow_fixtures import World
from tests.test_workflow_history import hold_commits

pytest_plugins = ("tests.test_workflow_fixtures",)


def debate_with_objection(world: World) -> tuple[str, int]:
    """c1 consents, c3 objects; the quorum (2 of 3) is reached."""
    dossier_id = world.debate()
    world.consent(dossier_id, "c1")
    return dossier_id, world.object(dossier_id, "c3")


def events(world: World, dossier_id: str) -> list[DossierEvent]:
    with world.ctx.sessions() as session:
        return list(session.scalars(select(DossierEvent).where(
            DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.id)))


def position(world: World, position_id: int) -> Position:
    with world.ctx.sessions() as session:
        found = session.get(Position, position_id)
        assert found is not None
        return found


def validate(world: World, dossier_id: str) -> None:
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Le collectif consent.",
           world.dossier(dossier_id).version)


def test_answers_never_lift_an_objection(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    world.answer(dossier_id, objection)
    answer_objection(world.ctx, world.reader("c1"), dossier_id, objection,
                     "Et la section 4 cite trois communes rurales.")
    assert position(world, objection).blocks
    with pytest.raises(RuleRefused, match="1 objection"):
        validate(world, dossier_id)
    answers = [e for e in events(world, dossier_id) if e.action == "reponse-objection"]
    assert [(e.actor_name, e.data["objector"]) for e in answers] == [
        ("Proposant", "C3"), ("C1", "C3")]


def test_only_the_objector_withdraws(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    with pytest.raises(Conflict, match="pas d'objection ouverte"):
        withdraw_objection(world.ctx, world.reader("c1"), dossier_id, "consentement")
    assert position(world, objection).blocks
    with pytest.raises(InvalidInput, match="consentement ou réserve"):
        withdraw_objection(world.ctx, world.reader("c3"), dossier_id, "objection", "Encore.")
    world.withdraw(dossier_id, "c3")
    assert position(world, objection).stance == "reserve"
    last = events(world, dossier_id)[-1]
    assert (last.action, last.actor_name, last.data["previous"]) == (
        "retrait-objection", "C3", "objection")
    validate(world, dossier_id)
    assert world.dossier(dossier_id).state == "valide"


def test_set_aside_is_recorded_with_who_and_why(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    world.answer(dossier_id, objection)
    world.set_aside(dossier_id, objection, by="c1")
    stored = position(world, objection)
    assert not stored.blocks and stored.set_aside_by_id == world.users["c1"].id
    view = get_dossier(world.ctx, world.reader("admin"), dossier_id)
    assert (view.tally.open_objections, view.tally.set_aside) == (0, 1)
    step = events(world, dossier_id)[-1]
    assert (step.action, step.actor_name, step.data["objector"]) == (
        "ecarter-objection", "C1", "C3")
    assert step.comment.startswith("Le collectif a examiné l'objection")
    validate(world, dossier_id)
    decision = events(world, dossier_id)[-1].data
    assert decision["set_aside"] == [{
        "objector": "C3", "objection": "Le texte ignore les territoires ruraux.", "by": "C1",
        "reason": "Le collectif a examiné l'objection : elle porte sur un autre texte."}]
    assert decision["rule"]["tally"]["set_aside"] == 1
    assert decision["approvers"] == ["C1"]  # the objector is not named as approving


@pytest.mark.parametrize(("actor", "error", "message"), [
    ("c3", Forbidden, "propre objection"),
    ("proposant", Forbidden, "collectif qualifié"),
    ("autre", Forbidden, "collectif qualifié"),
])
def test_who_may_not_set_aside(world: World, actor: str, error: type[KbError],
                               message: str) -> None:
    dossier_id, objection = debate_with_objection(world)
    before = len(events(world, dossier_id))
    with pytest.raises(error, match=message):
        world.set_aside(dossier_id, objection, by=actor)
    assert position(world, objection).blocks and len(events(world, dossier_id)) == before


def test_set_aside_needs_a_reason_and_an_open_objection(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    with pytest.raises(InvalidInput, match="raison de l'écarter : obligatoire"):
        set_aside_objection(world.ctx, world.reader("c1"), dossier_id, objection, "  ")
    world.set_aside(dossier_id, objection, by="admin")
    with pytest.raises(Conflict, match="n'est plus ouverte"):
        world.set_aside(dossier_id, objection, by="c2")
    stale = world.dossier(dossier_id).version - 1
    with pytest.raises(Conflict, match="rechargez"):
        set_aside_objection(world.ctx, world.reader("c2"), dossier_id, objection, "Vu.", stale)


def test_a_new_objection_reopens_a_set_aside_one(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    world.set_aside(dossier_id, objection)
    take_position(world.ctx, world.reader("c3"), dossier_id, "objection",
                  "Nouvelle raison : le budget n'est pas chiffré.")
    assert position(world, objection).blocks and position(world, objection).set_aside_at is None
    take_position(world.ctx, world.reader("c3"), dossier_id, "consentement")
    assert events(world, dossier_id)[-1].action == "retrait-objection"
    with pytest.raises(NotFound, match="retirée"):  # nothing left to set aside
        world.set_aside(dossier_id, objection)


def race(world: World, *calls: tuple[str, object]) -> dict[str, object]:
    """Run the calls at the same moment, each transaction held open before its commit."""
    hold_commits(world, 0.3)
    barrier = threading.Barrier(len(calls))
    results: dict[str, object] = {}

    def run(name: str, call: object) -> None:
        barrier.wait()
        try:
            results[name] = call()  # type: ignore[operator]
        except (KbError, DatabaseError) as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_members_set_aside_the_same_objection_at_once(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    results = race(world, *((name, lambda name=name: set_aside_objection(
        world.ctx, world.reader(name), dossier_id, objection, f"Raison de {name}."))
        for name in ("c1", "c2")))
    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    steps = [e for e in events(world, dossier_id) if e.action == "ecarter-objection"]
    assert len(steps) == 1
    winner = steps[0].actor_name.lower()
    assert position(world, objection).set_aside_reason == f"Raison de {winner}."


def test_objector_withdraws_while_a_member_sets_aside(world: World) -> None:
    dossier_id, objection = debate_with_objection(world)
    results = race(
        world,
        ("withdraw", lambda: withdraw_objection(world.ctx, world.reader("c3"), dossier_id,
                                                "consentement")),
        ("set_aside", lambda: set_aside_objection(world.ctx, world.reader("c2"), dossier_id,
                                                  objection, "Hors sujet.")))
    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (Conflict, NotFound)), results
    actions = [e.action for e in events(world, dossier_id)
               if e.action in ("retrait-objection", "ecarter-objection")]
    assert len(actions) == 1
    stored = position(world, objection)
    if actions == ["retrait-objection"]:
        assert stored.stance == "consentement" and stored.set_aside_at is None
    else:
        assert stored.stance == "objection" and stored.set_aside_reason == "Hors sujet."
    assert not stored.blocks
