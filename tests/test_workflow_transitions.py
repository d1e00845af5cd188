"""Every transition allowed and refused, by role and by state, through the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from kb.errors import Conflict, Forbidden, InvalidInput, KbError
from kb.models import DossierEvent, Position
from kb.models.workflow import STATES
from kb.workflow.dossiers import act, decide
from kb.workflow.positions import answer_objection, set_aside_objection, take_position
from kb.workflow.revisions import submit_revision
from kb.workflow.transitions import DECISIONS, TRANSITIONS, check_transition
from tests.test_workflow_fixtures import NOTE, World

pytest_plugins = ("tests.test_workflow_fixtures",)

ACTORS = ("anonyme", "proposant", "autre", "maieuticien", "c1", "admin")
MEMBERS = set(ACTORS) - {"anonyme"}
ALLOWED = {
    "ouvrir-debat": {"c1", "admin"},
    "commenter": MEMBERS,
    "prendre-position": {"c1"},
    "repondre-objection": {"proposant", "c1", "admin"},
    "ecarter-objection": {"c1", "admin"},
    "demander-modifications": {"c1", "admin"},
    "valider": {"admin"},
    "ne-pas-retenir": {"admin"},
    "retirer": {"proposant"},
    "rouvrir": MEMBERS,
    "deposer-version": {"proposant", "admin"},
}
LABEL_ONLY = ("reprendre-debat", "cocher-critere", "retirer-label")
# The state each action is tried from when testing roles.
FROM_STATE = {"ouvrir-debat": "propose", "commenter": "propose", "rouvrir": "valide",
              "deposer-version": "modifications-demandees"}


def reach(world: World, state: str) -> str:
    """A dossier in `state`, with c1 and c3 consenting and c2 objecting when debated."""
    if state == "propose":
        return world.propose()
    if state in ("valide", "a-reviser"):
        dossier_id = world.validate()
        if state == "a-reviser":
            act(world.ctx, world.reader("autre"), dossier_id, "rouvrir", "À revoir.")
        return dossier_id
    dossier_id = world.debate()
    world.consent(dossier_id, "c3")
    take_position(world.ctx, world.reader("c2"), dossier_id, "objection", "Trop vague.")
    follow = {"modifications-demandees": ("c1", "demander-modifications"),
              "retire": ("proposant", "retirer")}
    if state in follow:
        actor, action = follow[state]
        act(world.ctx, world.reader(actor), dossier_id, action, "Préciser la section 2.")
    if state == "non-retenu":
        decide(world.ctx, world.reader("admin"), dossier_id, "ne-pas-retenir", "Objection.",
               world.dossier(dossier_id).version)
    return dossier_id


def objection_of(world: World, dossier_id: str) -> int:
    with world.ctx.sessions() as session:
        found = session.scalar(select(Position.id).where(Position.dossier_id == dossier_id,
                                                         Position.stance == "objection"))
    return found or 0


def perform(world: World, action: str, actor: str, dossier_id: str) -> None:
    ctx, reader = world.ctx, world.reader(actor)
    version = world.dossier(dossier_id).version
    calls: dict[str, Callable[[], object]] = {
        "prendre-position": lambda: take_position(ctx, reader, dossier_id, "consentement"),
        "repondre-objection": lambda: answer_objection(
            ctx, reader, dossier_id, objection_of(world, dossier_id), "Voici notre réponse."),
        "ecarter-objection": lambda: set_aside_objection(
            ctx, reader, dossier_id, objection_of(world, dossier_id), "Hors du sujet du texte.",
            version),
        "deposer-version": lambda: submit_revision(
            ctx, reader, dossier_id, "note.md", (NOTE + "\nAjout.\n").encode()),
    }
    if action in DECISIONS:
        decide(ctx, reader, dossier_id, action, "Motifs de la décision.", version)
    elif action in calls:
        calls[action]()
    else:
        act(ctx, reader, dossier_id, action, "Un texte à l'appui.", version)


def event_count(world: World) -> int:
    with world.ctx.sessions() as session:
        return session.scalar(select(func.count(DossierEvent.id))) or 0


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_transitions_by_role(world: World, action: str, actor: str) -> None:
    dossier_id = reach(world, FROM_STATE.get(action, "en-debat"))
    if action == "valider":  # let the rule pass, so that only the role decides
        world.set_aside(dossier_id, objection_of(world, dossier_id), by="c3")
    before = world.dossier(dossier_id)
    count = event_count(world)
    if actor in ALLOWED[action]:
        perform(world, action, actor, dossier_id)
        after = world.dossier(dossier_id)
        target = TRANSITIONS[action].target
        assert after.state == (target or before.state) or action == "deposer-version"
        assert event_count(world) > count
    else:
        with pytest.raises(Forbidden):
            perform(world, action, actor, dossier_id)
        assert world.dossier(dossier_id).state == before.state
        assert world.dossier(dossier_id).version == before.version


REFUSED_STATES = [(action, state) for action in sorted(ALLOWED) for state in STATES
                  if state not in TRANSITIONS[action].sources]


@pytest.mark.parametrize(("action", "state"), REFUSED_STATES)
def test_transitions_refused_by_state(world: World, action: str, state: str) -> None:
    dossier_id = reach(world, state)
    actor = sorted(ALLOWED[action] - {"proposant"})[0] if action != "retirer" else "proposant"
    if action == "deposer-version":
        actor = "proposant"
    count = event_count(world)
    with pytest.raises(Conflict):
        perform(world, action, actor, dossier_id)
    assert world.dossier(dossier_id).state == state
    assert event_count(world) == count


def test_objector_cannot_answer_own_objection(world: World) -> None:
    dossier_id = reach(world, "en-debat")
    with world.ctx.sessions() as session:
        user_id = session.scalar(select(Position.user_id).where(Position.stance == "objection"))
    assert user_id == world.users["c2"].id
    with pytest.raises(Forbidden, match="propre objection"):
        answer_objection(world.ctx, world.reader("c2"), dossier_id,
                         objection_of(world, dossier_id), "Je me réponds.")


def test_objection_answered_several_times_stays_open(world: World) -> None:
    dossier_id = reach(world, "en-debat")
    world.answer(dossier_id, objection_of(world, dossier_id))
    answer_objection(world.ctx, world.reader("c1"), dossier_id,
                     objection_of(world, dossier_id), "Encore une réponse.")
    with world.ctx.sessions() as session:
        position = session.get(Position, objection_of(world, dossier_id))
        assert position is not None and position.blocks
        assert position.answer == "Encore une réponse."


@pytest.mark.parametrize("action", LABEL_ONLY)
def test_label_actions_do_not_apply_to_doctrine(world: World, action: str) -> None:
    dossier_id = reach(world, "en-debat")
    with pytest.raises(InvalidInput):
        check_transition(action, world.dossier(dossier_id), world.users["admin"])


def test_disabled_account_cannot_act(world: World) -> None:
    dossier_id = reach(world, "en-debat")
    reader = world.reader("c1")
    with world.ctx.sessions.begin() as session:
        session.get(type(world.users["c1"]), world.users["c1"].id).active = False
    with pytest.raises(Forbidden):
        take_position(world.ctx, reader, dossier_id, "consentement")


def test_every_action_is_covered() -> None:
    assert set(ALLOWED) | set(LABEL_ONLY) == set(TRANSITIONS)
    assert all(isinstance(exc, type) and issubclass(exc, KbError)
               for exc in (Conflict, Forbidden, InvalidInput))
