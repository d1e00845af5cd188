"""Search quality, kb against plain Whoosh, on the shipped eval set and on the PIAF dev set.

The baseline is Whoosh used plainly: title and text indexed with its default
`StemmingAnalyzer`, queried with `MultifieldParser` (default BM25F), its words joined by OR
(with the parser's default AND, most questions find nothing; that row is printed too).
kb is evaluated like `kb eval search`, as the operator, who sees every document (12 of the
shipped documents are not public).

Run `.venv/bin/python -m tests.bench.bench_quality` or
`.venv/bin/python -m pytest tests/bench/bench_quality.py -s`. Prints a table.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from kb.context import KbContext
from kb.instance import open_instance
from kb.search.evaluation import METRICS, EvalReport

ROOT = Path(__file__).resolve().parents[2]
PIAF = ROOT.parent / "shared" / "data" / "retrieval-piaf-dev"
Ranker = Callable[[str], list[tuple[str, float]]]


def plain_whoosh_schema() -> Schema:
    """Whoosh used the obvious way: a name, then title and text with `StemmingAnalyzer`."""
    return Schema(name=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                  body=TEXT(analyzer=StemmingAnalyzer()))


def whoosh_baseline(docs: list[tuple[str, str, str]], disjunctive: bool, work: Path) -> Ranker:
    """A plain Whoosh index of (name, title, text) and its ranking function."""
    folder = tempfile.mkdtemp(prefix="baseline-", dir=work)
    schema = plain_whoosh_schema()
    index = whoosh_index.create_in(folder, schema)
    writer = index.writer()
    for name, title, text in docs:
        writer.add_document(name=name, title=title, body=text)
    writer.commit()
    options = {"group": OrGroup} if disjunctive else {}
    parser = MultifieldParser(["title", "body"], schema, **options)

    def rank(text: str) -> list[tuple[str, float]]:
        with index.searcher() as searcher:
            hits = searcher.search(parser.parse(text), limit=100)
            return [(hit["name"], float(hit.score or 0)) for hit in hits]

    return rank


def kb_instance(documents: Path, with_taxonomy: bool, work: Path) -> KbContext:
    """An instance with `documents` ingested, after `kb init` (which imports the shipped
    taxonomy, so that ingestion tags documents) or without any taxonomy."""
    from kb.cli.taxonomy import import_shipped_taxonomy
    from kb.config import Settings
    from kb.ingestion.batches import ingest_paths

    ctx = open_instance(Settings.for_home(tempfile.mkdtemp(prefix="quality-", dir=work)))
    if with_taxonomy:
        import_shipped_taxonomy(ctx)
    ingest_paths(ctx, [documents])
    return ctx


# The shipped queries q01–q69, then q70–q99: full questions, and wording absent from the
# relevant texts (judged by reading the documents before any tuning).
FIRST_HARD_QUERY = 70
Groups = dict[str, Callable[[str], bool]]


def is_hard(qid: str) -> bool:
    return int(qid[1:]) >= FIRST_HARD_QUERY


def corpus_groups(name: str) -> Groups:
    return {f"{name}, q01–q69": lambda qid: not is_hard(qid),
            f"{name}, q70–q99 (questions, autres mots)": is_hard}


def group_means(report: EvalReport, keep: Callable[[str], bool]) -> dict[str, float]:
    """Mean metrics over the judged queries that `keep` selects."""
    chosen = [scores for qid, scores in report.per_query.items() if keep(qid)]
    return {metric: sum(s[metric] for s in chosen) / max(len(chosen), 1) for metric in METRICS}


def evaluate_set(groups: Groups, documents: Path, queries: Path, qrels: Path,
                 work: Path) -> list[str]:
    from kb.models import Document
    from kb.search.evaluation import evaluate, read_qrels, read_queries
    from kb.search.instance_evaluation import evaluate_instance, qrels_names
    from kb.visibility import Reader

    asked, judged = read_queries(queries), read_qrels(qrels)
    reports: list[tuple[str, EvalReport]] = []
    for label, with_taxonomy in (("kb, taxonomie livrée (`kb init`)", True),
                                 ("kb, sans taxonomie", False)):
        ctx = kb_instance(documents, with_taxonomy, work)
        reports.append((label, evaluate_instance(ctx, Reader.operator(), asked, judged)))
        if not with_taxonomy:
            names = qrels_names(ctx, {doc for docs in judged.values() for doc in docs})
            with ctx.sessions() as session:
                docs = [(names[d.source_key], d.title, d.text)
                        for d in session.scalars(select(Document))]
        ctx.close()
    for label, disjunctive in (("Whoosh StemmingAnalyzer, OR", True),
                               ("Whoosh StemmingAnalyzer, AND", False)):
        baseline = whoosh_baseline(docs, disjunctive, work)
        reports.append((label, evaluate(asked, judged, baseline)))
    return [f"| {name} | {label} | "
            + " | ".join(f"{v:.3f}" for v in group_means(found, keep).values()) + " |"
            for name, keep in groups.items() for label, found in reports]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as work:
        report(Path(work))


def report(work: Path) -> None:
    lines = ["| jeu | moteur | nDCG@10 | MRR@10 | P@5 | Recall@100 |",
             "|---|---|---|---|---|---|"]
    lines += evaluate_set(corpus_groups("corpus/eval"), ROOT / "corpus" / "documents",
                          ROOT / "corpus" / "eval" / "queries.tsv",
                          ROOT / "corpus" / "eval" / "qrels.tsv", work)
    if PIAF.exists():
        folder = Path(tempfile.mkdtemp(prefix="piaf-", dir=work))
        shutil.copy(PIAF / "docs.jsonl", folder / "docs.jsonl")
        lines += evaluate_set({"PIAF dev (100 questions)": lambda _qid: True},
                              folder / "docs.jsonl", PIAF / "queries.jsonl", PIAF / "qrels.tsv",
                              work)
        lines.append("| PIAF dev (100 questions) | BM25 + Snowball (README du jeu) | 0.846 "
                     "| 0.812 | – | 0.980 |")
    print("\n" + "\n".join(lines))


def test_quality_table() -> None:
    main()


if __name__ == "__main__":
    main()
