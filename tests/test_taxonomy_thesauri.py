"""Import of real published thesauri (GEMET, EuroVoc, Thèmes Ecosphères), when present."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS
from sqlalchemy import func, select

from kb.context import KbContext
from kb.errors import InvalidInput
from kb.models import Concept, ConceptRelation
from kb.taxonomy.reading import concept_detail, taxonomy_tree
from kb.taxonomy.skos_export import export_turtle
from kb.taxonomy.skos_import import import_skos
from kb.visibility import Reader
from tests.conftest import SHARED

DATA = SHARED / "data"
GEMET = DATA / "thesaurus-gemet-fr" / "gemet-fr.rdf"
EUROVOC = DATA / "thesaurus-eurovoc-fr" / "eurovoc-fr-en.ttl"
ECOSPHERES = DATA / "thesaurus-ecospheres"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} absent")
    return path


def counts(ctx: KbContext) -> tuple[int, int]:
    with ctx.sessions() as session:
        concepts = session.scalar(select(func.count()).select_from(Concept)) or 0
        relations = session.scalar(select(func.count()).select_from(ConceptRelation)) or 0
    return concepts, relations


def test_gemet_rdf_xml(ctx: KbContext, tmp_path: Path) -> None:
    started = time.perf_counter()
    report = import_skos(ctx, need(GEMET))
    assert len(report.added) == 5570
    assert time.perf_counter() - started < 30
    concepts, relations = counts(ctx)
    assert concepts == 5570 and relations > 16_000
    # the 222 concepts without a French label still get a display label
    with ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Concept)
                              .where(Concept.pref_label == "")) == 0
    again = import_skos(ctx, GEMET)
    assert again.unchanged == 5570 and not again.changed
    out = tmp_path / "gemet.ttl"
    out.write_text(export_turtle(ctx), encoding="utf-8")
    back = Graph().parse(out, format="turtle")
    assert len(set(back.subjects(SKOS.inScheme, None))) == 5570


def test_eurovoc_turtle(ctx: KbContext) -> None:
    report = import_skos(ctx, need(EUROVOC))
    # 7,159 concepts in the EuroVoc scheme; the 21 domains belong to no scheme and are left out
    assert len(report.added) == 7159 and report.ignored == 21
    view = concept_detail(ctx, "http://eurovoc.europa.eu/4706")
    assert view.concept.pref_label == "vie sociale"
    assert ["social life", "en"] in view.concept.pref_labels
    assert view.narrower
    tree = taxonomy_tree(ctx, Reader.operator(), "http://eurovoc.europa.eu/100141")
    assert any(node.label == "vie sociale" for node in tree)


def test_ecospheres_published_file_is_refused_clearly(ctx: KbContext) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_skos(ctx, need(ECOSPHERES / "thespheres.ttl"))
    assert caught.value.message.startswith("thespheres.ttl, ligne 15 : fichier SKOS invalide")
    assert "retour à la ligne" in caught.value.message
    assert counts(ctx) == (0, 0)


@pytest.mark.parametrize("name", ["thespheres.fixed.ttl", "thespheres.jsonld"])
def test_ecospheres_fixed_turtle_and_json_ld(ctx: KbContext, name: str) -> None:
    report = import_skos(ctx, need(ECOSPHERES / name))
    # 96 Ecosphères themes; the 41 EuroVoc concepts it maps to belong to another scheme
    assert len(report.added) == 96 and report.ignored == 41
    assert report.scheme_uri.endswith("/ecospheres/themes-ecospheres")
    assert len(taxonomy_tree(ctx, Reader.operator())) == 14
