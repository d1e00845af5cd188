"""Every transition allowed and refused, by role and by state: the whole matrix on the pure
rule (`check_transition`, in memory), and one allowed and one refused case per action
through the services, on a real instance."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from kb.errors import Conflict, Forbidden, InvalidInput
from kb.models import Dossier, DossierEvent, Position, User
from kb.models.workflow import STATE_LABELS, STATES
from kb.workflow.dossiers import act, decide
from kb.workflow.positions import answer_objection, set_aside_objection, take_position
from kb.workflow.revisions import submit_revision
from kb.workflow.transitions import (
    ACTOR_LABELS,
    DECISIONS,
    TRANSITIONS,
    allowed_actions,
    check_transition,
)
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


REFUSED_STATES = [(action, state) for action in sorted(ALLOWED) for state in STATES
                  if state not in TRANSITIONS[action].sources]
ACCEPTED_STATES = [(action, state) for action in sorted(ALLOWED)
                   for state in sorted(TRANSITIONS[action].sources)]
# The accounts of the pure rule: the same parts as `tests.test_workflow_fixtures.MEMBERS`.
PEOPLE = {"proposant": (1, "allie"), "autre": (2, "allie"), "maieuticien": (3, "maieuticien"),
          "c1": (4, "collectif"), "admin": (5, "admin")}


def person(actor: str) -> User | None:
    if actor == "anonyme":
        return None
    user_id, role = PEOPLE[actor]
    return User(id=user_id, role=role, groups=[], active=True)


def dossier_in(state: str, kind: str = "doctrine") -> Dossier:
    return Dossier(kind=kind, state=state, proposer_id=PEOPLE["proposant"][0])


def state_actor(action: str) -> str:
    """Someone whose role allows `action`, so that only the state can refuse it."""
    return "proposant" if action in ("retirer", "deposer-version") \
        else sorted(ALLOWED[action] - {"proposant"})[0]


def check_refusal_for_role(action: str, dossier: Dossier, user: User) -> None:
    with pytest.raises(Forbidden) as refused:
        check_transition(action, dossier, user)
    message = refused.value.message
    assert f"« {TRANSITIONS[action].label} » est réservé" in message
    assert all(ACTOR_LABELS[actor] in message for actor in TRANSITIONS[action].actors)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_rule_by_role(action: str, actor: str) -> None:
    dossier, user = dossier_in(FROM_STATE.get(action, "en-debat")), person(actor)
    if user is None:
        assert allowed_actions(dossier, user) == frozenset()
    elif actor in ALLOWED[action]:
        assert check_transition(action, dossier, user) is TRANSITIONS[action]
    else:
        check_refusal_for_role(action, dossier, user)
    assert (action in allowed_actions(dossier, user)) == (actor in ALLOWED[action])


LABEL_ALLOWED = {"reprendre-debat": {"proposant", "admin"}, "cocher-critere": {"c1", "admin"},
                 "retirer-label": {"admin"}}
LABEL_FROM_STATE = {"reprendre-debat": "modifications-demandees", "cocher-critere": "propose",
                    "retirer-label": "valide"}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", LABEL_ONLY)
def test_label_dossier_rule_by_role(action: str, actor: str) -> None:
    dossier, user = dossier_in(LABEL_FROM_STATE[action], kind="egide"), person(actor)
    if user is None:
        assert allowed_actions(dossier, user) == frozenset()
    elif actor in LABEL_ALLOWED[action]:
        assert check_transition(action, dossier, user) is TRANSITIONS[action]
        with pytest.raises(InvalidInput):  # and never on a doctrine dossier
            check_transition(action, dossier_in(LABEL_FROM_STATE[action]), user)
    else:
        check_refusal_for_role(action, dossier, user)
    assert (action in allowed_actions(dossier, user)) == (actor in LABEL_ALLOWED[action])


@pytest.mark.parametrize(("action", "state"), REFUSED_STATES)
def test_rule_refuses_by_state(action: str, state: str) -> None:
    dossier, user = dossier_in(state), person(state_actor(action))
    assert user is not None
    with pytest.raises(Conflict) as refused:
        check_transition(action, dossier, user)
    assert f"« {TRANSITIONS[action].label} » est impossible" in refused.value.message
    assert f"le dossier est « {STATE_LABELS[state]} »" in refused.value.message
    assert action not in allowed_actions(dossier, user)


@pytest.mark.parametrize(("action", "state"), ACCEPTED_STATES)
def test_rule_accepts_each_source_state(action: str, state: str) -> None:
    dossier, user = dossier_in(state), person(state_actor(action))
    assert user is not None
    assert check_transition(action, dossier, user) is TRANSITIONS[action]
    assert action in allowed_actions(dossier, user)
    target = TRANSITIONS[action].target  # None: the state stays
    assert target is None or target in STATES, target
    assert target != state, "an action that moves a dossier moves it elsewhere"


def test_a_validated_text_cannot_be_withdrawn_by_its_proposer() -> None:
    dossier, user = dossier_in("en-debat"), person("proposant")
    assert user is not None
    dossier.decided_revision = 1
    with pytest.raises(Conflict, match="déjà été validé"):
        check_transition("retirer", dossier, user)
    assert "retirer" not in allowed_actions(dossier, user)


# Through the services: per action, an allowed actor and the last refused one, and the
# first state that refuses it.
SERVICE_ROLES = [(action, actor) for action in sorted(ALLOWED) for actor in (
    sorted(ALLOWED[action])[0], sorted(set(ACTORS) - ALLOWED[action])[-1])]
SERVICE_STATES = [next(pair for pair in REFUSED_STATES if pair[0] == action)
                  for action in sorted(ALLOWED)]


@pytest.mark.parametrize(("action", "actor"), SERVICE_ROLES)
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


@pytest.mark.parametrize(("action", "state"), SERVICE_STATES)
def test_transitions_refused_by_state(world: World, action: str, state: str) -> None:
    dossier_id = reach(world, state)
    count = event_count(world)
    with pytest.raises(Conflict):
        perform(world, action, state_actor(action), dossier_id)
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
    assert set(ALLOWED) | set(LABEL_ALLOWED) == set(TRANSITIONS)
    assert {action for action, _ in SERVICE_ROLES} == set(ALLOWED)
    # The refusals reach the web as these statuses (`kb.errors`).
    assert (Forbidden.status, Conflict.status, InvalidInput.status) == (403, 409, 400)
