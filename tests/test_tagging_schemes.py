"""Several thesauri side by side, switching a scheme's use for tagging, importing existing
indexing (`kb tags import`) and scoring one scheme (`kb eval tags --scheme`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kb.accounts.users import create_user, reader_for
from kb.cli.main import main
from kb.context import KbContext
from kb.errors import Forbidden, NotFound
from kb.ingestion.batches import ingest_paths
from kb.models import ConceptScheme, DocumentAnalysis
from kb.taxonomy.schemes import set_scheme_tagging
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_evaluation import evaluate_tags, read_gold
from kb.taxonomy.tag_import import import_tags
from kb.taxonomy.tag_review import document_tags, set_tag_decision
from kb.taxonomy.tagging import documents_to_tag, tag_documents
from kb.visibility import Reader
from tests.conftest import CORPUS
from tests.test_tagging import DOCUMENTS, EFC, PAT, doc_id, write_documents

C = "https://kb.fabriquedestransitions.fr/taxonomie/c/"
OTHER = "https://example.org/alimentation"
OTHER_PAT, OTHER_CC = OTHER + "/pat", OTHER + "/circuits-courts"
SECOND_THESAURUS = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{OTHER}> a skos:ConceptScheme ; skos:prefLabel "Alimentation durable"@fr .
<{OTHER_PAT}> a skos:Concept ; skos:inScheme <{OTHER}> ; skos:topConceptOf <{OTHER}> ;
    skos:prefLabel "projets alimentaires territoriaux"@fr ; skos:altLabel "PAT"@fr .
<{OTHER_CC}> a skos:Concept ; skos:inScheme <{OTHER}> ; skos:topConceptOf <{OTHER}> ;
    skos:prefLabel "circuits courts"@fr ; skos:altLabel "circuit court"@fr .
"""


@pytest.fixture
def two_schemes(ctx: KbContext, tmp_path: Path) -> KbContext:
    """The doctrine thesaurus and a second one whose labels coincide with it, documents
    ingested (hence tagged with both)."""
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    second = tmp_path / "alimentation.ttl"
    second.write_text(SECOND_THESAURUS, encoding="utf-8")
    import_skos(ctx, second)
    assert not ingest_paths(ctx, [write_documents(tmp_path / "docs")]).failed
    return ctx


def suggested(ctx: KbContext, key: str) -> dict[str, str]:
    return {t.concept_uri: t.state for t in document_tags(ctx, Reader.operator(),
                                                           doc_id(ctx, key))}


def test_two_schemes_sharing_labels_both_get_their_tags(two_schemes: KbContext) -> None:
    assert {PAT, OTHER_PAT} <= set(suggested(two_schemes, "cantine.md"))
    with two_schemes.sessions() as session:  # « circuits courts », once: found, not suggested
        analysis = session.get(DocumentAnalysis, doc_id(two_schemes, "cantine.md"))
        assert analysis is not None
        assert {PAT, C + "circuits-courts", OTHER_PAT, OTHER_CC} <= set(analysis.concepts)


def test_no_tagging_on_reimport_and_set_tagging_switch_a_scheme(
        two_schemes: KbContext, tmp_path: Path, runner: CliRunner) -> None:
    operator = Reader.operator()
    set_tag_decision(two_schemes, operator, doc_id(two_schemes, "cantine.md"), OTHER_CC,
                     "accepted")
    result = runner.invoke(main, ["taxonomy", "import", str(tmp_path / "alimentation.ttl"),
                                  "--no-tagging"])
    assert result.exit_code == 0, result.output
    assert "Étiquetage automatique : consultation seule" in result.output
    assert "consultation seule" in runner.invoke(main, ["taxonomy", "list"]).output
    assert len(documents_to_tag(two_schemes)) == 3  # the taxonomy changed
    tag_documents(two_schemes, documents_to_tag(two_schemes))
    tags = suggested(two_schemes, "cantine.md")
    assert OTHER_PAT not in tags and PAT in tags  # its suggestions went, the doctrine's stay
    assert tags[OTHER_CC] == "accepted"  # a person's decision stays
    # re-importing without the option keeps the choice
    assert not import_skos(two_schemes, tmp_path / "alimentation.ttl").tagging
    result = runner.invoke(main, ["taxonomy", "set-tagging", OTHER, "on"])
    assert result.exit_code == 0 and "étiquetage" in result.output
    assert "Rien à changer" in runner.invoke(main, ["taxonomy", "set-tagging", OTHER,
                                                    "on"]).output
    tag_documents(two_schemes, documents_to_tag(two_schemes))
    assert OTHER_PAT in suggested(two_schemes, "cantine.md")
    # the doctrine thesaurus itself can be switched off
    doctrine = "https://kb.fabriquedestransitions.fr/taxonomie/doctrine"
    assert runner.invoke(main, ["taxonomy", "set-tagging", doctrine, "off"]).exit_code == 0
    with two_schemes.sessions() as session:
        assert not session.scalar(select(ConceptScheme.tagging)
                                  .where(ConceptScheme.uri == doctrine))
    unknown = runner.invoke(main, ["taxonomy", "set-tagging", "urn:nulle-part", "off"])
    assert unknown.exit_code != 0 and "schéma « urn:nulle-part » introuvable" in unknown.output


def test_only_administrators_switch_a_scheme(two_schemes: KbContext) -> None:
    member = reader_for(create_user(two_schemes, "c@example.org", "un mot de passe sûr",
                                    "collectif", display_name="Camille"))
    with pytest.raises(Forbidden):
        set_scheme_tagging(two_schemes, member, OTHER, False)
    with pytest.raises(NotFound):
        set_scheme_tagging(two_schemes, Reader.operator(), "urn:x", False)


def test_eval_scores_one_scheme_when_asked(two_schemes: KbContext, tmp_path: Path) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text(f"cantine.md\t{PAT}\ncantine.md\t{OTHER_PAT}\nefc.md\t{EFC}\n",
                    encoding="utf-8")
    both = evaluate_tags(two_schemes, read_gold(gold))
    doctrine = evaluate_tags(two_schemes, read_gold(gold),
                             "https://kb.fabriquedestransitions.fr/taxonomie/doctrine")
    other = evaluate_tags(two_schemes, read_gold(gold), OTHER)
    assert (both.gold_tags, doctrine.gold_tags, other.gold_tags) == (3, 2, 1)
    assert other.documents == 1 and other.systems[0].scores.micro.recall == 1.0
    # each scheme's predictions only are counted against it
    assert doctrine.systems[0].scores.micro.recall == 1.0
    assert all(uri.startswith(C) for ranked in doctrine.predictions.values()
               for uri, _confidence in ranked)
    assert all(uri.startswith(OTHER) for ranked in other.predictions.values()
               for uri, _confidence in ranked)


def test_import_tags_as_accepted_human_decisions(two_schemes: KbContext, tmp_path: Path,
                                                 runner: CliRunner) -> None:
    cantine, efc = doc_id(two_schemes, "cantine.md"), doc_id(two_schemes, "efc.md")
    set_tag_decision(two_schemes, Reader.operator(), efc, C + "mutualisation", "rejected")
    path = tmp_path / "pmb.tsv"
    path.write_text(
        "notice\tdescripteur\n"  # a header of any names
        f"cantine.md\t{PAT}\n"  # a suggestion, now accepted
        f"docs/cantine.md\t{C}gouvernance\n"  # a key with its folder
        f"efc.md\t{C}mutualisation\n"  # rejected in kb: stays rejected
        f"inconnu.md\t{PAT}\n"
        f"efc.md\t{C}inexistant\n"
        "ligne sans tabulation\n", encoding="utf-8")
    result = runner.invoke(main, ["tags", "import", str(path)])
    assert result.exit_code == 1, result.output  # a malformed line
    assert "pmb.tsv, ligne 7" in result.stderr
    assert "1 clé(s) inconnue(s) : inconnu.md" in result.stderr
    assert f"1 concept(s) inconnu(s) : {C}inexistant" in result.stderr
    assert "1 étiquette(s) rejetée(s) dans kb" in result.stderr
    tags = {t.concept_uri: t for t in document_tags(two_schemes, Reader.operator(), cantine)}
    assert tags[PAT].state == "accepted" and tags[PAT].origin == "auto"
    added = tags[C + "gouvernance"]
    assert (added.state, added.origin) == ("accepted", "human")
    efc_tags = {t.concept_uri: t.state for t in document_tags(two_schemes, Reader.operator(),
                                                               efc)}
    assert efc_tags[C + "mutualisation"] == "rejected"
    again = import_tags(two_schemes, path)  # importing twice changes nothing
    assert (again.added, again.confirmed, again.unchanged) == (0, 0, 2)


def test_import_tags_by_record_id(ctx: KbContext, tmp_path: Path) -> None:
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    export = tmp_path / "lot" / "export.jsonl"
    export.parent.mkdir()
    export.write_text("\n".join(
        json.dumps({"id": name, "title": title, "text": body}, ensure_ascii=False)
        for name, (_v, title, body) in zip(("r1", "r2"), DOCUMENTS.values(), strict=False)),
        encoding="utf-8")
    assert not ingest_paths(ctx, [export.parent]).failed
    path = tmp_path / "gold.tsv"
    path.write_text(f"r1\t{EFC}\nexport.jsonl#r2\t{PAT}\n", encoding="utf-8")
    report = import_tags(ctx, path)
    assert report.added + report.confirmed == 2 and not report.unknown_keys
    gold = read_gold(path)
    assert evaluate_tags(ctx, gold).documents == 2
