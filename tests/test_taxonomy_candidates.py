"""Candidate concepts from the documents, promotion and dismissal; editing the taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kb.accounts.users import create_user, reader_for
from kb.cli.main import main
from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput
from kb.ingestion.batches import ingest_paths
from kb.models import Concept
from kb.taxonomy.candidates import (
    candidate_as_synonym,
    dismiss_candidate,
    list_candidates,
    promote_candidate,
    refresh_candidates,
)
from kb.taxonomy.editing import deprecate_concept, set_relations, update_concept
from kb.taxonomy.reading import concept_detail
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tagging import documents_to_tag
from kb.visibility import Reader
from tests.conftest import CORPUS

C = "https://kb.fabriquedestransitions.fr/taxonomie/c/"
TEXTS = [
    ("public", "La chambre d'agriculture accompagne l'installation de jeunes maraîchers. "
               "La chambre d'agriculture loue des terres."),
    ("public", "Avec la chambre d'agriculture, la commune crée une couveuse maraîchère."),
    ("restreint", "Le conseil de la chambre d'agriculture soutient la coopérative laitière."),
    ("public", "Les jardins partagés accueillent les habitants du quartier."),
]


@pytest.fixture
def instance(ctx: KbContext, tmp_path: Path) -> KbContext:
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    folder = tmp_path / "docs"
    folder.mkdir()
    for number, (visibility, text) in enumerate(TEXTS):
        groups = "groupes: [collectif]\n" if visibility == "restreint" else ""
        (folder / f"d{number}.md").write_text(
            f"---\ntitre: Note {number}\nvisibilite: {visibility}\n{groups}---\n\n{text}\n",
            encoding="utf-8")
    assert not ingest_paths(ctx, [folder]).failed
    return ctx


@pytest.fixture
def documentalist(ctx: KbContext) -> Reader:
    return reader_for(create_user(ctx, "doc@example.org", "un mot de passe sûr", "collectif",
                                  "Documentaliste"))


def labels(ctx: KbContext, reader: Reader) -> dict[str, int]:
    return {c.label: c.document_count for c in list_candidates(ctx, reader)}


def concept_count(ctx: KbContext) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count(Concept.id))) or 0


def test_frequent_uncovered_phrases_become_candidates(instance: KbContext) -> None:
    # The ingestion's tagging run already recomputed them: no `kb candidates` needed.
    assert labels(instance, Reader.operator()) == {"chambre d'agriculture": 3}
    refresh_candidates(instance, min_documents=3)
    assert labels(instance, Reader.operator()) == {"chambre d'agriculture": 3}
    # the restricted document is neither listed nor counted for a visitor
    assert labels(instance, Reader.anonymous()) == {"chambre d'agriculture": 2}
    refresh_candidates(instance, min_documents=2)
    assert "jardins partagés" not in labels(instance, Reader.operator())  # only one document


def test_promote_as_new_concept_then_candidate_disappears(instance: KbContext,
                                                          documentalist: Reader) -> None:
    refresh_candidates(instance)
    (candidate,) = list_candidates(instance, documentalist)
    uri = promote_candidate(instance, documentalist, candidate.id,
                            broader_uri=C + "acteurs-et-echelles")
    assert uri == C + "chambre-d-agriculture"
    view = concept_detail(instance, uri)
    assert [r.uri for r in view.broader] == [C + "acteurs-et-echelles"]
    assert list_candidates(instance, documentalist) == []
    assert [c.concept_uri for c in list_candidates(instance, documentalist, "promoted")] == [uri]
    refresh_candidates(instance)  # now covered by a concept: not proposed again
    assert list_candidates(instance, documentalist) == []
    assert len(documents_to_tag(instance)) == 4  # the taxonomy changed: re-tag


def test_promote_as_alt_label_and_dismiss(instance: KbContext, documentalist: Reader) -> None:
    refresh_candidates(instance)
    (candidate,) = list_candidates(instance, documentalist)
    concepts = concept_count(instance)
    with pytest.raises(InvalidInput, match="concept : choisissez le concept dont « chambre"):
        candidate_as_synonym(instance, documentalist, candidate.id, "")
    assert concept_count(instance) == concepts  # no concept of its own was made
    assert [c.id for c in list_candidates(instance, documentalist)] == [candidate.id]
    candidate_as_synonym(instance, documentalist, candidate.id, C + "agriculture")
    assert "chambre d'agriculture" in concept_detail(instance, C + "agriculture").concept.labels()
    with pytest.raises(InvalidInput):
        dismiss_candidate(instance, documentalist, candidate.id)  # already handled
    refresh_candidates(instance, min_documents=1)
    other = list_candidates(instance, documentalist)[0]
    dismiss_candidate(instance, documentalist, other.id)
    refresh_candidates(instance, min_documents=1)
    assert other.label not in labels(instance, documentalist)


def test_only_documentalists_promote(instance: KbContext) -> None:
    refresh_candidates(instance)
    (candidate,) = list_candidates(instance, Reader.operator())
    ally = reader_for(create_user(instance, "a@example.org", "un mot de passe sûr", "allie",
                                     "Alliée"))
    with pytest.raises(Forbidden):
        promote_candidate(instance, ally, candidate.id)
    with pytest.raises(Forbidden):
        update_concept(instance, ally, C + "eau", alt_labels=["hydrologie"])


def test_admin_edits_labels_relations_and_deprecates(ctx: KbContext) -> None:
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    admin = Reader.operator()
    update_concept(ctx, admin, C + "eau", alt_labels=["ressource en eau", "hydrologie"])
    assert concept_detail(ctx, C + "eau").concept.labels() == ["ressource en eau", "hydrologie"]
    with pytest.raises(InvalidInput):  # a cycle in the hierarchy is refused
        set_relations(ctx, admin, C + "champs-de-la-transition", broader=[C + "eau"])
    set_relations(ctx, admin, C + "eau", related=[C + "biodiversite"])
    assert [r.uri for r in concept_detail(ctx, C + "biodiversite").related] \
        .count(C + "eau") == 1
    deprecate_concept(ctx, admin, C + "jeu-serieux", replaced_by=C + "jeu-de-role")
    view = concept_detail(ctx, C + "jeu-serieux")
    assert view.concept.deprecated and view.replaced_by and view.replaced_by.label == \
        "jeu de rôle"


def test_cli_candidates(instance: KbContext, runner: CliRunner) -> None:
    result = runner.invoke(main, ["candidates", "--min-documents", "3"])
    assert result.exit_code == 0, result.output
    assert "chambre d'agriculture  (3 doc., 4 occ.)" in result.output
