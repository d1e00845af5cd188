"""SKOS import, update and export round trips on the doctrine thesaurus; invalid files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from sqlalchemy import func, select

from kb.cli.main import main
from kb.context import KbContext
from kb.errors import InvalidInput
from kb.instance import open_instance
from kb.models import Concept, ConceptRelation, ConceptScheme, Document, DocumentTag
from kb.taxonomy.reading import concept_detail
from kb.taxonomy.skos_export import export_turtle
from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS
from tests.databases import MakeSettings

DOCTRINE = CORPUS / "taxonomy" / "doctrine-fdt.ttl"
C = "https://kb.fabriquedestransitions.fr/taxonomie/c/"
SKOS_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.definition,
                   SKOS.scopeNote, SKOS.notation, SKOS.broader, SKOS.narrower, SKOS.related,
                   SKOS.inScheme, SKOS.topConceptOf)


def concept_count(ctx: KbContext) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(Concept)) or 0


def skos_triples(graph: Graph) -> set[tuple[object, object, object]]:
    """The SKOS statements about concepts (the scheme's own labels are not kept)."""
    concepts = set(graph.subjects(SKOS.inScheme, None))
    return {(s, p, o) for p in SKOS_PROPERTIES for s, o in graph.subject_objects(p)
            if s in concepts}


def test_import_then_reimport_unchanged(ctx: KbContext) -> None:
    first = import_skos(ctx, DOCTRINE)
    assert first.created and len(first.added) == 127
    again = import_skos(ctx, DOCTRINE)
    assert (again.added, again.changed, again.deprecated, again.unchanged) == ([], [], [], 127)
    view = concept_detail(ctx, C + "communaute-apprenante")
    assert view.concept.pref_label == "communauté apprenante"
    assert "communautés apprenantes" in view.concept.labels("alt")
    assert "comunauté apprenante" in view.concept.labels("hidden")
    assert view.concept.notation == "A.1" and view.concept.definition
    assert [r.label for r in view.broader] == ["objectifs de la Charte fondatrice"]
    assert {r.uri for r in view.narrower} >= {C + "villes-pairs", C + "chantier-thematique"}
    assert C + "cooperation-territoriale" in {r.uri for r in view.related}


def test_export_round_trip_keeps_every_skos_statement(ctx: KbContext, tmp_path: Path,
                                                     make_settings: MakeSettings) -> None:
    import_skos(ctx, DOCTRINE)
    exported = tmp_path / "export.ttl"
    exported.write_text(export_turtle(ctx), encoding="utf-8")
    original, back = Graph().parse(DOCTRINE), Graph().parse(exported, format="turtle")
    assert skos_triples(back) == skos_triples(original)
    # and the export imports into a fresh instance identically
    other = open_instance(make_settings("other"))
    report = import_skos(other, exported)
    assert len(report.added) == 127
    assert export_turtle(other) == export_turtle(ctx)
    other.close()


def newer_version(tmp_path: Path) -> Path:
    """The doctrine with one label changed, one concept removed and one added."""
    graph = Graph().parse(DOCTRINE)
    graph.add((URIRef(C + "eau"), SKOS.altLabel, Literal("cycle de l'eau", lang="fr")))
    removed = URIRef(C + "jeu-serieux")
    for triple in [*graph.triples((removed, None, None)), *graph.triples((None, None, removed))]:
        graph.remove(triple)
    added = URIRef(C + "sobriete-numerique")
    graph.add((added, SKOS.prefLabel, Literal("sobriété numérique", lang="fr")))
    graph.add((added, SKOS.inScheme, URIRef("https://kb.fabriquedestransitions.fr/taxonomie/"
                                            "doctrine")))
    graph.add((added, SKOS.broader, URIRef(C + "numerique")))
    path = tmp_path / "doctrine-v2.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_reimport_reports_changes_and_never_loses_tags(ctx: KbContext, tmp_path: Path) -> None:
    import_skos(ctx, DOCTRINE)
    with ctx.sessions.begin() as session:
        session.add(Document(id="d1", source_key="a.md", title="Jeux", content_hash="0" * 64,
                             media_type="text/markdown", original_name="a.md"))
        concept_id = session.scalar(select(Concept.id).where(Concept.uri == C + "jeu-serieux"))
        session.add(DocumentTag(document_id="d1", concept_id=concept_id, origin="human",
                                state="accepted", passages=[], zones={}))
    report = import_skos(ctx, newer_version(tmp_path))
    assert report.added == [C + "sobriete-numerique"]
    # related concepts of the removed one lost a link; narrower is not stored on the parent
    assert set(report.changed) == {C + "eau", C + "jeu-de-role", C + "prospective"}
    assert report.deprecated == [C + "jeu-serieux"] and report.flagged_tags == 1
    with ctx.sessions() as session:
        gone = session.scalar(select(Concept).where(Concept.uri == C + "jeu-serieux"))
        assert gone is not None and gone.deprecated and gone.missing_since is not None
        tag = session.scalar(select(DocumentTag).where(DocumentTag.document_id == "d1"))
        assert tag is not None and tag.concept_id == gone.id and tag.state == "accepted"
        assert session.get(ConceptScheme, gone.scheme_id).revision == 2
    restored = import_skos(ctx, DOCTRINE)
    assert restored.restored == [C + "jeu-serieux"]
    assert restored.deprecated == [C + "sobriete-numerique"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.ttl", '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    '<urn:a> skos:prefLabel "sur deux\nlignes"@fr .\n',
         "bad.ttl, ligne 2 : fichier SKOS invalide : retour à la ligne"),
        ("bad.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                    '<rdf:Description rdf:about="urn:a">\n</rdf:RDF>\n',
         "bad.rdf, ligne 3 : fichier SKOS invalide : balise fermante"),
        ("bad.jsonld", '{"@context": {"skos": ', "bad.jsonld, ligne 1 : fichier SKOS invalide"),
        ("remote.jsonld", '{"@context": "https://example.org/context.jsonld"}',
         "contexte JSON-LD distant non pris en charge"),
        ("empty.ttl", "", "aucun concept SKOS"),
        ("notes.txt", "hello", "format inconnu"),
    ],
)
def test_invalid_file_gets_a_clear_error_and_changes_nothing(
        ctx: KbContext, tmp_path: Path, name: str, content: str, message: str) -> None:
    import_skos(ctx, DOCTRINE)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        import_skos(ctx, path)
    assert message in caught.value.message
    assert concept_count(ctx) == 127


def test_cli_import_export_and_init(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "127 concepts" in result.output
    assert "importé" not in runner.invoke(main, ["init"]).output  # only once
    result = runner.invoke(main, ["taxonomy", "import", str(newer_version(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "1 concept(s) ajouté(s)" in result.output and "1 déprécié(s)" in result.output
    out = tmp_path / "out.ttl"
    result = runner.invoke(main, ["taxonomy", "export", "--out", str(out)])
    assert result.exit_code == 0 and Graph().parse(out, format="turtle")
    bad = tmp_path / "bad.ttl"
    bad.write_text('<urn:a> <urn:b> "x\ny" .', encoding="utf-8")
    result = runner.invoke(main, ["taxonomy", "import", str(bad)])
    assert result.exit_code == 1
    assert "Erreur : bad.ttl, ligne 1 : fichier SKOS invalide" in result.stderr
    assert "doctrine" in runner.invoke(main, ["taxonomy", "list"]).output


def test_relations_are_stored_both_ways_for_related(ctx: KbContext) -> None:
    import_skos(ctx, DOCTRINE)
    with ctx.sessions() as session:
        kinds = dict(session.execute(select(ConceptRelation.kind, func.count())
                                     .group_by(ConceptRelation.kind)).all())
    graph = Graph().parse(DOCTRINE)
    assert kinds["broader"] == len(set(graph.subject_objects(SKOS.broader)))
    assert kinds["related"] == len(set(graph.subject_objects(SKOS.related)))
