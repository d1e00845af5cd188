"""« Fondamentaux »: grouping by theme, the validated revision's text, ZIP and DOCX bundles,
history exports and the `kb dossier` commands."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import docx
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from kb.cli.main import main
from kb.models import Concept, ConceptRelation, ConceptScheme, DocumentTag
from kb.visibility import Reader
from kb.workflow.exports import bundle_docx, history_csv, markdown_zip
from kb.workflow.fundamentals import fundamentals
from kb.workflow.queries import history
from tests.test_workflow_fixtures import NOTE, World

pytest_plugins = ("tests.test_workflow_fixtures",)
TODAY = dt.date(2026, 3, 1)


def test_grouped_by_document_themes_without_taxonomy(world: World) -> None:
    world.validate()
    bundle = fundamentals(world.ctx, world.reader("autre"))
    assert not bundle.by_taxonomy
    # Once, under its first declared theme, the other one beside it.
    assert [g.theme for g in bundle.groups] == ["coopération"]
    assert bundle.entries[0].other_themes == ["gouvernance"]
    assert fundamentals(world.ctx, Reader.anonymous()).entries == []  # a members' text


def tag(world: World) -> None:
    with world.ctx.sessions.begin() as session:
        scheme = ConceptScheme(uri="urn:test:doctrine", title="Doctrine")
        session.add(scheme)
        session.flush()
        top = Concept(scheme_id=scheme.id, uri="urn:test:gouvernance",
                      pref_label="gouvernance et coopération", top=True)
        child = Concept(scheme_id=scheme.id, uri="urn:test:cooperation",
                        pref_label="coopération territoriale")
        rejected = Concept(scheme_id=scheme.id, uri="urn:test:energie", pref_label="énergie",
                           top=True)
        session.add_all([top, child, rejected])
        session.flush()
        session.add(ConceptRelation(source_id=child.id, target_id=top.id, kind="broader"))
        session.add(DocumentTag(document_id=world.doc_id, concept_id=child.id, state="accepted"))
        session.add(DocumentTag(document_id=world.doc_id, concept_id=rejected.id,
                                state="rejected"))


def test_grouped_by_taxonomy_top_concepts(world: World) -> None:
    world.validate()
    tag(world)
    bundle = fundamentals(world.ctx, world.reader("autre"))
    assert bundle.by_taxonomy
    assert [g.theme for g in bundle.groups] == ["gouvernance et coopération"]
    assert bundle.entries[0].concepts == ["coopération territoriale"]


def test_markdown_zip(world: World) -> None:
    dossier_id = world.validate()
    archive = zipfile.ZipFile(io.BytesIO(markdown_zip(
        fundamentals(world.ctx, world.reader("autre")), TODAY)))
    names = archive.namelist()
    assert names == ["fondamentaux/README.md",
                     "fondamentaux/01-note-sur-la-cooperation-territoriale.md"]
    index = archive.read(names[0]).decode()
    assert "## coopération" in index and "(01-note-sur-la-cooperation-territoriale.md)" in index
    text = archive.read(names[1]).decode()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["titre"] == "Note sur la coopération territoriale"
    assert front["statut"] == "doctrine" and front["version_validee"] == 1
    assert front["dossier"] == dossier_id
    assert "La coopération entre collectivités" in text


def test_docx_bundle_holds_the_validated_revision(world: World) -> None:
    world.validate()
    world.write(NOTE.replace("est la condition", "reste la clef") + "\nUn ajout en débat.\n")
    entry = fundamentals(world.ctx, world.reader("autre")).entries[0]
    assert entry.in_review and entry.revision == 1
    data = bundle_docx(fundamentals(world.ctx, world.reader("autre")), TODAY)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.core_properties.title == "Les fondamentaux de la Fabrique des transitions"
    assert "Sommaire par thème" in text and "gouvernance" in text
    assert "est la condition d'une transition systémique" in text  # version 1, validated
    assert "Un ajout en débat" not in text and "en cours de révision" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Note sur la coopération territoriale" in headings


def test_history_csv_has_every_event(world: World) -> None:
    dossier_id = world.validate()
    _, events = history(world.ctx, world.reader("c1"), dossier_id)
    lines = history_csv(events).strip().splitlines()
    assert len(lines) == 1 + len(events) == 6
    assert lines[-1].split(",")[2] == "decision"


def test_cli_lists_and_exports(world: World, runner: CliRunner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dossier_id = world.validate()
    listed = runner.invoke(main, ["dossier", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)[0]["etat"] == "valide"
    shown = runner.invoke(main, ["dossier", "history", dossier_id])
    assert [e["action"] for e in json.loads(shown.output)["evenements"]][-1] == "decision"
    out = tmp_path / "fondamentaux.docx"
    exported = runner.invoke(main, ["dossier", "export-doctrine", str(out)])
    assert exported.exit_code == 0 and "1 texte(s)" in exported.output
    assert docx.Document(str(out)).paragraphs
    public = runner.invoke(main, ["dossier", "export-doctrine", str(tmp_path / "p.zip"),
                                  "--public"])
    assert "0 texte(s)" in public.output
    missing = runner.invoke(main, ["dossier", "history", "inconnu"])
    assert missing.exit_code == 1 and "Dossier introuvable" in missing.output


def test_each_text_once_under_its_main_theme(world: World) -> None:
    """A text tagged under two top themes is listed once, under the one its tags weigh
    most on, with the other beside it; the exports list it once too."""
    world.validate()
    tag(world)
    with world.ctx.sessions.begin() as session:
        scheme_id = session.scalars(select(ConceptScheme.id)).one()
        other = Concept(scheme_id=scheme_id, uri="urn:test:alimentation",
                        pref_label="alimentation", top=True)
        session.add(other)
        session.flush()
        session.add(DocumentTag(document_id=world.doc_id, concept_id=other.id,
                                state="suggested", confidence=0.7))
    bundle = fundamentals(world.ctx, world.reader("autre"))
    assert [g.theme for g in bundle.groups] == ["gouvernance et coopération"]
    entry = bundle.entries[0]
    assert entry.theme == "gouvernance et coopération"  # accepted (1.0) beats 0.7
    assert entry.other_themes == ["alimentation"]
    archive = zipfile.ZipFile(io.BytesIO(markdown_zip(bundle, TODAY)))
    index = archive.read("fondamentaux/README.md").decode()
    assert index.count("Note sur la coopération territoriale") == 1
    assert "(aussi : alimentation)" in index
    front = yaml.safe_load(archive.read(archive.namelist()[1]).decode().split("---\n")[1])
    assert front["themes"] == ["gouvernance et coopération", "alimentation"]
    text = [p.text for p in docx.Document(io.BytesIO(bundle_docx(bundle, TODAY))).paragraphs]
    assert sum("Note sur la coopération territoriale" in t for t in text) == 2  # contents, text
