"""The shipped corpus and its evaluation sets: every document ingests with the metadata its
source declares, in every format, and every key and concept of the eval files exists."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import yaml
from rdflib import Graph
from rdflib.namespace import RDF, SKOS
from sqlalchemy import select

from ingest.metadata import normalize_kind, parse_date
from kb.context import KbContext
from kb.models import Document
from tests.conftest import CORPUS


def sources() -> dict[str, dict[str, object]]:
    """Front matter of every document, keyed by its source key in corpus/documents."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted((CORPUS / "documents").rglob("*")):
        if path.suffix in (".docx", ".pdf", ".odt"):
            source = CORPUS / "sources" / path.relative_to(CORPUS / "documents")
            text = source.with_suffix(".md").read_text(encoding="utf-8")
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        front = yaml.safe_load(text.split("---\n")[1])
        front["words"] = len(text.split("---\n", 2)[2].split())
        found[path.relative_to(CORPUS / "documents").as_posix()] = front
    return found


def tsv(name: str) -> list[list[str]]:
    with (CORPUS / "eval" / name).open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return rows[1:]


def test_corpus_size_kinds_formats_and_lengths() -> None:
    documents = sources()
    assert len(documents) >= 50
    kinds = Counter(normalize_kind(str(front["type"])) for front in documents.values())
    assert kinds["texte-fondateur"] >= 10 and kinds["fiche-experience"] >= 14
    assert kinds["proposition"] >= 10 and kinds["outil"] >= 8
    formats = Counter(Path(key).suffix for key in documents)
    assert all(formats[suffix] >= 5 for suffix in (".docx", ".pdf", ".odt"))
    assert all(300 <= int(front["words"]) <= 2500 for front in documents.values())
    assert sum(front["visibilite"] != "public" for front in documents.values()) >= 3


def test_every_document_ingests_with_its_declared_metadata(corpus_ctx: KbContext) -> None:
    with corpus_ctx.sessions() as session:
        stored = {d.source_key: d for d in session.scalars(select(Document))}
    for key, front in sources().items():
        document = stored[key]
        assert document.title == front["titre"], key
        assert document.kind == normalize_kind(str(front["type"])), key
        assert document.authors == front["auteurs"], key
        assert document.date == parse_date(front["date"]), key
        assert document.territory == front["territoire"], key
        assert document.visibility == front["visibilite"], key
        assert document.text, key


def test_fiches_have_the_five_sections(corpus_ctx: KbContext) -> None:
    expected = ["Contexte", "Acteurs", "Récit", "Difficultés", "Enseignements"]
    with corpus_ctx.sessions() as session:
        fiches = session.scalars(select(Document).where(Document.kind == "fiche-experience"))
        for fiche in fiches:  # PDF fiches too: their headings are told by their print size
            headings = [s["heading"] for s in fiche.sections if s.get("heading")]
            assert [h for h in headings if h in expected] == expected, fiche.source_key


def test_eval_files_point_at_existing_documents_and_concepts() -> None:
    keys = set(sources())
    queries = {row[0] for row in tsv("queries.tsv")}
    qrels = tsv("qrels.tsv")
    assert len(queries) >= 40
    assert {row[0] for row in qrels} == queries
    assert {row[1] for row in qrels} <= keys
    assert {row[2] for row in qrels} <= {"1", "2"}
    graph = Graph().parse(CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    concepts = {str(c) for c in graph.subjects(RDF.type, SKOS.Concept)}
    gold = tsv("gold_tags.tsv")
    assert len({row[0] for row in gold}) >= 30
    assert {row[0] for row in gold} <= keys
    missing = {row[1] for row in gold} - concepts
    assert not missing, missing


def test_every_query_has_a_highly_relevant_document() -> None:
    best = {row[0] for row in tsv("qrels.tsv") if row[2] == "2"}
    assert best == {row[0] for row in tsv("queries.tsv")}
