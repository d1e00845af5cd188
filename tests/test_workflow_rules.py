"""The decision rule and its quorum setting, on their own."""

from __future__ import annotations

import pytest

from kb.config import Settings, parse_quorum
from kb.errors import ConfigError
from kb.workflow.criteria import CHECKLISTS, unmet_groups
from kb.workflow.decision_rule import DecisionRule, Tally


@pytest.mark.parametrize(("text", "parsed"), [
    ("50%", ("share", 0.5)), ("0.5", ("share", 0.5)), ("0,75", ("share", 0.75)),
    ("3", ("count", 3.0)), ("1", ("count", 1.0)), ("100 %", ("share", 1.0)),
])
def test_quorum_values(text: str, parsed: tuple[str, float]) -> None:
    assert parse_quorum(text) == parsed


@pytest.mark.parametrize("text", ["0", "0%", "150%", "moitié", "", "-1"])
def test_bad_quorum_is_named(text: str) -> None:
    with pytest.raises(ConfigError, match="KB_QUORUM"):
        Settings.from_env({"KB_QUORUM": text})


def test_quorum_from_environment() -> None:
    assert Settings.from_env({"KB_QUORUM": "4"}).quorum == "4"
    assert Settings.from_env({}).quorum == "50%"


@pytest.mark.parametrize(("quorum", "size", "required"), [
    ("50%", 3, 2), ("50%", 4, 2), ("50%", 1, 1), ("50%", 0, 1), ("2/3", 0, None),
    ("0.67", 3, 3), ("100%", 5, 5), ("3", 9, 3), ("1", 9, 1),
])
def test_required_positions(quorum: str, size: int, required: int | None) -> None:
    if required is None:
        with pytest.raises(ConfigError):
            DecisionRule(quorum).required(size)
    else:
        assert DecisionRule(quorum).required(size) == required


def test_validation_refusals() -> None:
    rule = DecisionRule("50%")
    assert rule.refusals("valide", Tally(4, consent=2)) == []
    reasons = rule.refusals("valide", Tally(4, consent=1, objection=1, open_objections=1))
    assert reasons == ["1 objection(s) encore ouverte(s) : son auteur·rice la retire, ou le "
                       "collectif l'écarte en disant pourquoi, avant toute validation"]
    assert rule.refusals("valide", Tally(4, consent=1))[0].startswith("quorum non atteint")
    assert rule.refusals("valide", Tally(4, objection=2, set_aside=2)) == []  # both set aside


def test_not_retaining_needs_dissent() -> None:
    rule = DecisionRule("50%")
    assert rule.refusals("non-retenu", Tally(2, consent=2)) == [
        "aucune objection ni réserve : le consentement est général"]
    assert rule.refusals("non-retenu", Tally(2, consent=1, reserve=1)) == []


def test_record_keeps_rule_parameters_and_tally() -> None:
    recorded = DecisionRule("3").record(Tally(5, consent=3))
    assert recorded["name"] == "quorum-sans-objection-ouverte"
    assert recorded["params"] == {"quorum": "3", "required": 3}
    assert recorded["tally"]["consent"] == 3 and recorded["tally"]["collective_size"] == 5


def test_checklists() -> None:
    assert unmet_groups("doctrine", {}) == []
    assert len(unmet_groups("egide", {})) == len(CHECKLISTS["egide"]) == 3
    ticked = {"objectif-3": True, "alliance": True, "documentation": True}
    ticked |= {key: True for key, _ in CHECKLISTS["egide"][1].criteria}
    assert unmet_groups("egide", ticked) == []  # one objective is enough
    assert unmet_groups("fabrique-locale", {"ancrage": True}) == [
        "Les six principes des fabriques locales"]
