"""Short lists for the home page: the latest validated texts, one's own open proposals."""

from __future__ import annotations

from kb.workflow.dossiers import act, decide
from kb.workflow.fundamentals import latest_doctrine
from kb.workflow.queries import my_open_proposals
from tests.test_workflow_fixtures import World

pytest_plugins = ("tests.test_workflow_fixtures",)


def test_latest_doctrine_only_for_those_who_may_read_it(world: World) -> None:
    assert latest_doctrine(world.ctx, world.reader("autre")) == []
    world.validate()
    found = latest_doctrine(world.ctx, world.reader("autre"))
    assert [v.document.title for v in found] == ["Note sur la coopération territoriale"]
    assert found[0].decided_at is not None
    # The note is for members only: a visitor sees no doctrine at all.
    assert latest_doctrine(world.ctx, world.reader("anonyme")) == []


def test_latest_doctrine_lists_a_text_once_even_after_a_new_debate(world: World) -> None:
    dossier_id = world.validate()
    act(world.ctx, world.reader("admin"), dossier_id, "rouvrir", "Le texte a vieilli.")
    assert len(latest_doctrine(world.ctx, world.reader("autre"))) == 1
    assert latest_doctrine(world.ctx, world.reader("autre"), limit=0) == []


def test_my_open_proposals_until_the_dossier_closes(world: World) -> None:
    assert my_open_proposals(world.ctx, world.reader("proposant")) == []
    dossier_id = world.debate()
    assert [d.id for d in my_open_proposals(world.ctx, world.reader("proposant"))] == [
        dossier_id]
    assert my_open_proposals(world.ctx, world.reader("autre")) == []
    assert my_open_proposals(world.ctx, world.reader("anonyme")) == []
    world.consent(dossier_id, "c1", "c2")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Consentement atteint.",
           world.dossier(dossier_id).version)
    assert my_open_proposals(world.ctx, world.reader("proposant")) == []
