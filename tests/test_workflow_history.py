"""The history is complete and append-only; two simultaneous decisions give exactly one."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DatabaseError

from kb.errors import Conflict, KbError
from kb.models import Dossier, DossierEvent
from kb.workflow.decision_rule import RuleRefused
from kb.workflow.dossiers import act, decide
from kb.workflow.positions import take_position
from kb.workflow.queries import history
from tests.test_workflow_fixtures import World

pytest_plugins = ("tests.test_workflow_fixtures",)


def all_events(world: World) -> list[tuple[object, ...]]:
    with world.ctx.sessions() as session:
        return [(e.id, e.dossier_id, e.at, e.actor_id, e.actor_name, e.action, e.from_state,
                 e.to_state, e.revision_number, e.comment, e.data)
                for e in session.scalars(select(DossierEvent).order_by(DossierEvent.id))]


def test_every_step_appends_and_nothing_is_rewritten(world: World) -> None:
    steps = []
    dossier_id = world.propose()
    steps.append(all_events(world))
    for do in (
        lambda: act(world.ctx, world.reader("c1"), dossier_id, "ouvrir-debat"),
        lambda: world.consent(dossier_id, "c1"),
        lambda: world.object(dossier_id, "c2"),
        lambda: act(world.ctx, world.reader("autre"), dossier_id, "commenter", "D'accord."),
        lambda: take_position(world.ctx, world.reader("c2"), dossier_id, "consentement"),
        lambda: decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Validé.",
                       world.dossier(dossier_id).version),
        lambda: act(world.ctx, world.reader("autre"), dossier_id, "rouvrir", "À revoir.",
                    world.dossier(dossier_id).version),
    ):
        do()
        steps.append(all_events(world))
    for before, after in zip(steps, steps[1:], strict=False):
        assert after[:len(before)] == before  # earlier entries are untouched
        assert len(after) == len(before) + 1


def test_history_replays_every_state_change(world: World) -> None:
    dossier_id = world.validate()
    act(world.ctx, world.reader("c2"), dossier_id, "rouvrir", "Nouveau contexte.",
        world.dossier(dossier_id).version)
    dossier, events = history(world.ctx, world.reader("autre"), dossier_id)
    state = None
    for entry in events:
        assert entry.from_state == state, entry.action
        assert entry.actor_name and entry.at
        state = entry.to_state
    assert state == dossier.state == "a-reviser"


def test_refused_actions_leave_no_trace(world: World) -> None:
    dossier_id = world.debate()
    before = all_events(world)
    version = world.dossier(dossier_id).version
    for refused in (
        lambda: decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Trop tôt",
                       version),
        lambda: take_position(world.ctx, world.reader("autre"), dossier_id, "consentement"),
        lambda: act(world.ctx, world.reader("autre"), dossier_id, "retirer"),
    ):
        with pytest.raises(KbError):
            refused()
    assert all_events(world) == before
    assert world.dossier(dossier_id).version == version


@pytest.mark.parametrize("statement", [
    "UPDATE dossier_events SET comment = 'réécrit'",
    "UPDATE dossier_events SET actor_name = 'quelqu''un d''autre' WHERE action = 'proposition'",
    "DELETE FROM dossier_events",
    "DELETE FROM dossier_events WHERE action = 'proposition'",
])
def test_database_refuses_changing_history(world: World, statement: str) -> None:
    world.debate()
    before = all_events(world)
    with pytest.raises(DatabaseError, match="historique en ajout seul"):
        with world.ctx.engine.begin() as connection:
            connection.execute(text(statement))
    assert all_events(world) == before


def test_postgresql_refuses_emptying_history(world: World) -> None:
    if world.ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused above")
    world.debate()
    before = all_events(world)
    with pytest.raises(DatabaseError, match="historique en ajout seul"):
        with world.ctx.engine.begin() as connection:
            connection.execute(text("TRUNCATE dossier_events"))
    assert all_events(world) == before


def test_orm_cannot_change_history_by_mistake(world: World) -> None:
    world.debate()
    with pytest.raises(DatabaseError, match="historique en ajout seul"):
        with world.ctx.sessions.begin() as session:
            entry = session.scalars(select(DossierEvent)).first()
            assert entry is not None
            entry.comment = "corrigé après coup"


def hold_commits(world: World, seconds: float) -> None:
    """Keep each transaction open a moment before it commits, so that the two decisions
    overlap for certain instead of by luck."""
    def slow(_session: object) -> None:
        time.sleep(seconds)

    event.listen(world.ctx.sessions, "before_commit", slow)


@pytest.mark.parametrize("same_version", [True, False])
def test_two_admins_decide_at_the_same_moment(world: World, same_version: bool) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1", "c2")
    version = world.dossier(dossier_id).version
    events_before = len(all_events(world))
    hold_commits(world, 0.3)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(name: str, action: str) -> None:
        barrier.wait()
        try:
            results[name] = decide(world.ctx, world.reader(name), dossier_id, action,
                                   f"Décision de {name}", version if same_version else None)
        except (KbError, DatabaseError) as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=("admin", "valider")),
               threading.Thread(target=run, args=("admin2", "valider"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    won = [r for r in results.values() if isinstance(r, Dossier)]
    lost = [r for r in results.values() if not isinstance(r, Dossier)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and not isinstance(lost[0], RuleRefused), lost
    decisions = [e for e in all_events(world)[events_before:] if e[5] == "decision"]
    assert len(decisions) == 1
    assert world.dossier(dossier_id).version == version + 1
