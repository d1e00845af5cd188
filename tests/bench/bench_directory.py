"""Quality of the directory's ranking on directory questions, on the shipped corpus.

Each question names a theme (a label the documents' authors wrote in their front matter,
never the tagger's output) and sometimes a place. A person is judged relevant when a
document naming them (narrator, maïeuticien·ne, witness, author) declares that theme:
grade 2 when that document is also in the place asked for, 1 otherwise. The directory is
asked as the operator (who sees every document); nDCG@5, P@5 and MRR are printed.

Run `.venv/bin/python -m tests.bench.bench_directory` (or through pytest with `-s`).
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from kb.config import Settings
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document, Mention
from kb.people.directory import search_directory
from kb.people.names import fold
from kb.people.query import DirectoryQuery
from kb.people.territories import link_territory
from kb.taxonomy.skos_import import import_skos
from kb.visibility import Reader

ROOT = Path(__file__).resolve().parents[2]
# (question, theme declared by the documents, facet value of the place or "")
QUESTIONS = [
    ("qui a accompagné une démarche d'alimentation durable dans un PETR ?", "alimentation",
     "type:petr"),
    ("qui connaît les tiers-lieux ?", "tiers-lieux", ""),
    ("rénovation énergétique en Savoie", "habitat et rénovation", "dep:73"),
    ("qui a travaillé sur la mobilité en milieu rural ?", "mobilité", ""),
    ("gestion de l'eau et sécheresse en Occitanie", "eau", "reg:76"),
    ("économie de la fonctionnalité et de la coopération dans le Grand Est",
     "économie de la fonctionnalité et de la coopération", "reg:44"),
    ("qui a formé des élus au changement systémique ?", "formation des élus", ""),
    ("participation citoyenne dans un PETR", "participation citoyenne", "type:petr"),
    ("économie sociale et solidaire et insertion", "économie sociale et solidaire", ""),
    ("qui a mené un projet de biodiversité ?", "biodiversité", ""),
]


def judgements(ctx: KbContext) -> list[dict[str, int]]:
    """Person name -> grade, for each question, from the documents' declared themes."""
    people: dict[str, set[str]] = defaultdict(set)
    documents: dict[str, Document] = {}
    with ctx.sessions() as session:
        for mention, document in session.execute(
                select(Mention, Document).join(Document).where(Mention.person_id.is_not(None))):
            people[document.id].add(mention.person.name)
            documents[document.id] = document
    graded = []
    for _, theme, place in QUESTIONS:
        grades: dict[str, int] = {}
        for doc_id, document in documents.items():
            if fold(theme) not in {fold(t) for t in document.themes}:
                continue
            grade = 2 if place and place in link_territory(document.territory or "").values() \
                else 1
            for name in people[doc_id]:
                grades[name] = max(grades.get(name, 0), grade)
        graded.append(grades)
    return graded


def _dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate(ctx: KbContext) -> dict[str, float]:
    totals = {"nDCG@5": 0.0, "P@5": 0.0, "MRR": 0.0}
    for (question, _, _), grades in zip(QUESTIONS, judgements(ctx), strict=True):
        names = [r.person.name for r in search_directory(
            ctx, Reader.operator(), DirectoryQuery(question)).results]
        got = [grades.get(name, 0) for name in names]
        ideal = _dcg(sorted(grades.values(), reverse=True)[:5]) or 1.0
        first = next((i for i, g in enumerate(got) if g), None)
        totals["nDCG@5"] += _dcg(got[:5]) / ideal
        totals["P@5"] += sum(1 for g in got[:5] if g) / 5
        totals["MRR"] += 1 / (first + 1) if first is not None else 0.0
        print(f"{question[:60]:60}  {' '.join(str(g) for g in got[:8])}")
    return {name: value / len(QUESTIONS) for name, value in totals.items()}


def test_directory_quality() -> None:
    with tempfile.TemporaryDirectory() as work:
        ctx = open_instance(Settings.for_home(Path(work) / "instance"))
        try:
            import_skos(ctx, ROOT / "corpus" / "taxonomy" / "doctrine-fdt.ttl")
            assert not ingest_paths(ctx, [ROOT / "corpus" / "documents"]).failed
            scores = evaluate(ctx)
        finally:
            ctx.close()
    print("  ".join(f"{name} {value:.3f}" for name, value in scores.items()))


if __name__ == "__main__":
    test_directory_quality()
