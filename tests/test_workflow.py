"""The doctrine workflow through its services: the whole path, the decision rule, revisions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.errors import Conflict, InvalidInput
from kb.models import DOCTRINE_STATUSES, DossierEvent, Position
from kb.search.results import search_documents
from kb.visibility import Reader
from kb.workflow.decision_rule import RuleRefused
from kb.workflow.dossiers import act, decide
from kb.workflow.positions import take_position
from kb.workflow.queries import get_dossier, inbox
from tests.test_workflow_fixtures import World

pytest_plugins = ("tests.test_workflow_fixtures",)


def indexed_status(world: World) -> str:
    """The status the index holds, asked through the status facet (exact values; the typed
    `statut:doctrine` also finds texts under revision)."""
    found = [status for status in DOCTRINE_STATUSES
             if world.doc_id in {hit.document.id for hit in search_documents(
                 world.ctx, Reader.operator(), "", filters={"statut": [status]}).hits}]
    assert len(found) == 1, found
    return found[0]


def events(world: World, dossier_id: str) -> list[DossierEvent]:
    with world.ctx.sessions() as session:
        return list(session.scalars(select(DossierEvent).where(
            DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.id)))


def test_propose_debate_object_answer_validate(world: World) -> None:
    dossier_id = world.propose()
    assert world.document().doctrine_status == "propose"
    assert indexed_status(world) == "propose"
    act(world.ctx, world.reader("admin"), dossier_id, "ouvrir-debat")
    assert world.document().doctrine_status == "en-debat"
    take_position(world.ctx, world.reader("c1"), dossier_id, "consentement")
    take_position(world.ctx, world.reader("c2"), dossier_id, "reserve", "Préciser le glossaire.")
    objection = world.object(dossier_id)
    act(world.ctx, world.reader("autre"), dossier_id, "commenter", "Je soutiens ce texte.")
    version = world.dossier(dossier_id).version
    with pytest.raises(RuleRefused, match="objection"):
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK", version)
    world.answer(dossier_id, objection)
    with pytest.raises(RuleRefused, match="objection"):  # an answer does not lift it
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK", version + 1)
    world.withdraw(dossier_id, "c3")
    dossier = decide(world.ctx, world.reader("admin"), dossier_id, "valider",
                     "Consentement du collectif.", version + 2, revision_number=1)
    assert dossier.state == "valide" and dossier.decided_revision == 1
    assert world.document().doctrine_status == "doctrine"
    assert not world.document().index_pending
    assert indexed_status(world) == "doctrine"
    hits = search_documents(world.ctx, world.reader("autre"), "coopération statut:doctrine").hits
    assert [hit.document.id for hit in hits] == [world.doc_id]
    history = events(world, dossier_id)
    assert [e.action for e in history] == [
        "proposition", "ouvrir-debat", "position", "position", "position", "commenter",
        "reponse-objection", "retrait-objection", "decision"]
    assert [(e.from_state, e.to_state) for e in history][:2] == [
        (None, "propose"), ("propose", "en-debat")]
    assert history[0].actor_name == "Proposant" and history[-1].actor_name == "Admin"
    decision = history[-1].data
    assert decision["outcome"] == "valide" and decision["revision"] == 1
    assert decision["rule"]["name"] == "quorum-sans-objection-ouverte"
    assert decision["rule"]["params"] == {"quorum": "50%", "required": 2}
    assert decision["rule"]["tally"]["consent"] == 1
    assert decision["rule"]["tally"]["reserve"] == 2
    assert decision["rule"]["tally"]["objection"] == 0
    assert decision["rule"]["tally"]["open_objections"] == 0
    assert decision["set_aside"] == []
    assert sorted(decision["approvers"]) == ["C1", "C2", "C3"]


def test_quorum_is_required(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1")
    version = world.dossier(dossier_id).version
    with pytest.raises(RuleRefused, match=r"quorum non atteint \(1 position\(s\) sur 2"):
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Go", version)
    assert world.dossier(dossier_id).state == "en-debat"
    assert world.dossier(dossier_id).version == version  # the refusal changed nothing
    world.consent(dossier_id, "c2")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Go", version + 1)


def test_quorum_counts_only_active_collective(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1", "c2")
    with world.ctx.sessions.begin() as session:
        session.get(type(world.users["c2"]), world.users["c2"].id).active = False
    view = get_dossier(world.ctx, world.reader("admin"), dossier_id)
    assert view.tally.collective_size == 2 and view.tally.positions == 1
    assert view.refusals["valide"] == []  # 1 of 2 members is 50 %


def test_strict_quorum_from_settings(strict_world: World) -> None:
    world = strict_world
    dossier_id = world.debate()
    world.consent(dossier_id, "c1", "c2")
    version = world.dossier(dossier_id).version
    with pytest.raises(RuleRefused, match="2 position"):
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Go", version)
    world.consent(dossier_id, "c3")
    dossier = decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Go", version + 1)
    assert dossier.state == "valide"


def test_objection_withdrawn_by_changing_position(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1")
    world.object(dossier_id, "c2")
    assert get_dossier(world.ctx, world.reader("c1"), dossier_id).tally.open_objections == 1
    take_position(world.ctx, world.reader("c2"), dossier_id, "consentement")
    view = get_dossier(world.ctx, world.reader("c1"), dossier_id)
    assert view.tally.open_objections == 0 and view.tally.consent == 2
    last = events(world, dossier_id)[-1]
    assert last.action == "retrait-objection" and last.actor_name == "C2"
    assert last.data == {"stance": "consentement", "previous": "objection"}


def test_an_answered_objection_stays_open(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1")
    position_id = world.object(dossier_id, "c2")
    world.answer(dossier_id, position_id)
    view = get_dossier(world.ctx, world.reader("admin"), dossier_id)
    assert view.tally.open_objections == 1
    assert any("objection(s) encore ouverte(s)" in r for r in view.refusals["valide"])


def test_not_retained_needs_quorum_and_dissent(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1", "c2")
    version = world.dossier(dossier_id).version
    with pytest.raises(RuleRefused, match="consentement est général"):
        decide(world.ctx, world.reader("admin"), dossier_id, "ne-pas-retenir", "Non", version)
    world.object(dossier_id, "c3")
    dossier = decide(world.ctx, world.reader("admin"), dossier_id, "ne-pas-retenir",
                     "Le collectif ne se reconnaît pas dans ce texte.", version + 1)
    assert dossier.state == "non-retenu" and dossier.open_key is None
    assert world.document().doctrine_status == "non-retenu"
    assert indexed_status(world) == "non-retenu"
    world.propose()  # a closed dossier lets a new proposal open


@pytest.mark.parametrize(("stance", "comment", "message"), [
    ("reserve", "", "réserve : obligatoire"),
    ("objection", "  ", "objection : raison : obligatoire"),
    ("veto", "Non", "position : « veto » inconnue"),
])
def test_reservation_and_objection_need_their_text(world: World, stance: str, comment: str,
                                                   message: str) -> None:
    dossier_id = world.debate()
    with pytest.raises(InvalidInput, match=message):
        take_position(world.ctx, world.reader("c1"), dossier_id, stance, comment)
    with world.ctx.sessions() as session:
        assert session.scalars(select(Position)).all() == []


def test_request_changes_then_new_revision_resumes_the_debate(world: World) -> None:
    dossier_id = world.debate()
    world.consent(dossier_id, "c1", "c2")
    act(world.ctx, world.reader("c3"), dossier_id, "demander-modifications",
        "Ajouter un exemple rural.", world.dossier(dossier_id).version)
    assert world.dossier(dossier_id).state == "modifications-demandees"
    assert world.document().doctrine_status == "en-debat"
    world.write(world_note_v2())
    dossier = world.dossier(dossier_id)
    assert (dossier.state, dossier.revision_number, dossier.round) == ("en-debat", 2, 2)
    last = events(world, dossier_id)[-1]
    assert (last.action, last.from_state, last.to_state, last.revision_number) == (
        "nouvelle-version", "modifications-demandees", "en-debat", 2)
    view = get_dossier(world.ctx, world.reader("admin"), dossier_id)
    assert view.tally.positions == 0  # positions were on version 1
    assert [p.current for p in view.positions] == [False, False]
    world.consent(dossier_id, "c1", "c2")
    version = world.dossier(dossier_id).version
    with pytest.raises(Conflict, match="version 1"):
        decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK", version,
               revision_number=1)
    decided = decide(world.ctx, world.reader("admin"), dossier_id, "valider", "OK",
                     version, revision_number=2)
    assert decided.decided_revision == 2
    assert events(world, dossier_id)[-1].data["revision"] == 2


def world_note_v2() -> str:
    from tests.test_workflow_fixtures import NOTE

    return NOTE + "\n## Un exemple rural\n\nLa communauté de communes du Diois coopère.\n"


def test_new_revision_reopens_validated_text_which_stays_doctrine(world: World) -> None:
    dossier_id = world.validate()
    world.write(world_note_v2())
    dossier = world.dossier(dossier_id)
    assert (dossier.state, dossier.revision_number, dossier.decided_revision) == (
        "a-reviser", 2, 1)
    assert world.document().doctrine_status == "a-reviser"
    assert indexed_status(world) == "a-reviser"
    # Still found as doctrine while under revision.
    assert search_documents(world.ctx, world.reader("autre"), "coopération statut:doctrine").hits
    act(world.ctx, world.reader("c1"), dossier_id, "ouvrir-debat")
    with pytest.raises(Conflict, match="déjà été validé"):
        act(world.ctx, world.reader("proposant"), dossier_id, "retirer")
    assert world.document().doctrine_status == "a-reviser"  # until the new decision
    world.consent(dossier_id, "c1", "c2")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Version 2 validée.",
           world.dossier(dossier_id).version)
    assert world.dossier(dossier_id).decided_revision == 2
    assert world.document().doctrine_status == "doctrine"


def test_member_reopens_and_earlier_positions_stop_counting(world: World) -> None:
    dossier_id = world.validate()
    act(world.ctx, world.reader("autre"), dossier_id, "rouvrir", "Le contexte a changé.",
        world.dossier(dossier_id).version)
    assert world.document().doctrine_status == "a-reviser"
    act(world.ctx, world.reader("admin"), dossier_id, "ouvrir-debat")
    assert get_dossier(world.ctx, world.reader("c1"), dossier_id).tally.positions == 0


def test_proposer_withdraws_before_decision(world: World) -> None:
    dossier_id = world.debate()
    act(world.ctx, world.reader("proposant"), dossier_id, "retirer", "",
        world.dossier(dossier_id).version)
    assert world.dossier(dossier_id).state == "retire"
    assert world.document().doctrine_status == "aucun"


def test_one_open_dossier_per_document(world: World) -> None:
    world.propose()
    with pytest.raises(Conflict, match="déjà ouvert"):
        world.propose()


def test_inbox_lists_debates_awaiting_my_position(world: World) -> None:
    proposed = world.propose()
    assert inbox(world.ctx, world.reader("c1")).to_open[0].id == proposed
    act(world.ctx, world.reader("c1"), proposed, "ouvrir-debat")
    assert [d.id for d in inbox(world.ctx, world.reader("c2")).awaiting_position] == [proposed]
    assert inbox(world.ctx, world.reader("autre")).awaiting_position == []
    world.consent(proposed, "c1", "c2")
    assert inbox(world.ctx, world.reader("c2")).awaiting_position == []
    assert [d.id for d in inbox(world.ctx, world.reader("c3")).awaiting_position] == [proposed]
    assert [d.id for d in inbox(world.ctx, world.reader("admin")).ready] == [proposed]


def test_member_of_collectif_group_counts_in_collective(world: World) -> None:
    with world.ctx.sessions.begin() as session:
        session.get(type(world.users["admin2"]), world.users["admin2"].id).groups = ["collectif"]
    dossier_id = world.debate()
    take_position(world.ctx, world.reader("admin2"), dossier_id, "consentement")
    assert get_dossier(world.ctx, world.reader("c1"), dossier_id).tally.collective_size == 4


def test_front_matter_cannot_claim_doctrine(world: World) -> None:
    world.write(NOTE_CLAIMING, "autre.md")
    with world.ctx.sessions() as session:
        from kb.models import Document

        statuses = set(session.scalars(select(Document.doctrine_status)))
    assert statuses == {"aucun"}


NOTE_CLAIMING = "---\ntitre: Texte qui se dit doctrine\nstatut: doctrine\n---\nTexte.\n"


def test_proposer_answers_requested_changes_with_a_file(world: World) -> None:
    from kb.workflow.revisions import submit_revision

    dossier_id = world.debate()
    with world.ctx.sessions.begin() as session:  # a curator's edit must survive the file
        from kb.models import Document

        session.get(Document, world.doc_id).themes = ["coopération", "communs"]
    act(world.ctx, world.reader("c1"), dossier_id, "demander-modifications", "Un exemple.")
    with pytest.raises(InvalidInput, match="identique"):
        submit_revision(world.ctx, world.reader("proposant"), dossier_id, "note.md",
                        (world.folder / "note.md").read_bytes())
    with pytest.raises(InvalidInput, match="image.png"):
        submit_revision(world.ctx, world.reader("proposant"), dossier_id, "image.png",
                        b"\x89PNG\r\n\x1a\n" + bytes(64))
    number = submit_revision(world.ctx, world.reader("proposant"), dossier_id, "note.md",
                             world_note_v2().encode())
    assert number == 2
    dossier = world.dossier(dossier_id)
    assert (dossier.state, dossier.revision_number) == ("en-debat", 2)
    last = events(world, dossier_id)[-1]
    assert (last.action, last.actor_name) == ("nouvelle-version", "Proposant")
    document = world.document()
    assert "Diois" in document.text and document.themes == ["coopération", "communs"]
    assert document.visibility == "membres" and not document.index_pending
