"""`kb eval search`: the metrics against hand-computed values, the input formats, the run
file, and the quality reached on the shipped eval set and on the PIAF dev set."""

from __future__ import annotations

import json
import shutil
from math import log2
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.context import KbContext
from kb.errors import InvalidInput
from kb.instance import open_instance
from kb.search.evaluation import evaluate, mrr, ndcg, precision, read_qrels, read_queries, recall
from kb.search.instance_evaluation import evaluate_instance
from kb.visibility import Reader
from tests.bench.bench_quality import is_hard
from tests.conftest import CORPUS, SHARED
from tests.databases import MakeSettings

PIAF = SHARED / "data" / "retrieval-piaf-dev"
# The README of the PIAF dev set: plain BM25 with French stemming.
PIAF_BM25_NDCG = 0.846


def test_metrics_by_hand() -> None:
    judged = {"a": 2, "b": 1, "c": 0}
    ranked = ["x", "b", "a", "c"]
    dcg = 1 / log2(3) + 2 / log2(4)
    ideal = 2 / log2(2) + 1 / log2(3)
    assert ndcg(ranked, judged) == pytest.approx(dcg / ideal)
    assert mrr(ranked, judged) == 0.5
    assert precision(ranked, judged) == pytest.approx(2 / 5)
    assert recall(ranked[:2], judged, 1) == 0.0 and recall(ranked, judged) == 1.0
    report = evaluate([("q1", "t"), ("q2", "u"), ("q3", "v")],
                      {"q1": judged, "q2": {"z": 1}}, lambda text: [("b", 1.0)])
    assert report.unjudged_queries == ["q3"]
    assert report.means["MRR@10"] == pytest.approx(0.5)


def test_query_and_qrels_formats(tmp_path: Path) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text("query_id\ttext\nq1\técologie\n\nq2\tEFC\n", encoding="utf-8")
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text('{"id": "q1", "text": "écologie"}\n{"id": "q2", "text": "EFC"}\n')
    assert read_queries(tsv) == read_queries(jsonl) == [("q1", "écologie"), ("q2", "EFC")]
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("query_id\tdoc\trelevance\nq1\ta.md\t2\nq1\tb.md\t0\n", encoding="utf-8")
    assert read_qrels(qrels) == {"q1": {"a.md": 2, "b.md": 0}}
    trec = tmp_path / "qrels.trec"
    trec.write_text("q1 0 a.md 2\n", encoding="utf-8")
    assert read_qrels(trec) == {"q1": {"a.md": 2}}
    bad = tmp_path / "bad.tsv"
    bad.write_text("q1\ta.md\t2\nq2\tb.md\tbeaucoup\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="ligne 2"):
        read_qrels(bad)
    jsonl.write_text('{"id": "q1"}\n')
    with pytest.raises(InvalidInput, match="text"):
        read_queries(jsonl)


def test_cli_prints_metrics_and_writes_a_trec_run(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in {"haies": "Les haies du bocage.", "mares": "Les mares et les haies.",
                       "vergers": "Des vergers."}.items():
        (folder / f"{name}.md").write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    assert runner.invoke(main, ["ingest", "--quiet", str(folder)]).exit_code == 0
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\thaies\nq2\tvergers\n", encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\thaies.md\t1\nq2\tvergers.md\t1\nq2\tabsent.md\t1\n", encoding="utf-8")
    run = tmp_path / "run.txt"
    result = runner.invoke(main, ["eval", "search", "--queries", str(queries),
                                  "--qrels", str(qrels), "--run", str(run)])
    assert result.exit_code == 0, result.output
    assert "nDCG@10" in result.stdout and "Recall@100  0.750" in result.stdout
    assert "absent.md" in result.stderr
    lines = run.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"q1 Q0 haies.md 1 {lines[0].split()[4]} kb" and len(lines) == 3
    as_json = runner.invoke(main, ["eval", "search", "--queries", str(queries),
                                   "--qrels", str(qrels), "--json"])
    assert json.loads(as_json.stdout)["metrics"]["MRR@10"] == 1.0


def test_quality_on_the_shipped_eval_set(corpus_ctx: KbContext) -> None:
    report = evaluate_instance(corpus_ctx, Reader.operator(),
                               read_queries(CORPUS / "eval" / "queries.tsv"),
                               read_qrels(CORPUS / "eval" / "qrels.tsv"))
    assert not report.unknown_docs

    def mean(metric: str, new: bool) -> float:
        scores = [s[metric] for qid, s in report.per_query.items() if is_hard(qid) == new]
        return sum(scores) / len(scores)

    # The first 69 queries, then 30 harder ones: full questions, and wording absent from
    # the relevant texts.
    assert mean("nDCG@10", new=False) >= 0.88 and mean("MRR@10", new=False) >= 0.93
    assert mean("nDCG@10", new=True) >= 0.65 and mean("MRR@10", new=True) >= 0.70


@pytest.mark.skipif(not PIAF.exists(), reason="jeu PIAF absent de ../shared")
def test_quality_on_piaf_beats_plain_bm25(tmp_path: Path, make_settings: MakeSettings) -> None:
    from kb.ingestion.batches import ingest_paths

    shutil.copy(PIAF / "docs.jsonl", tmp_path / "docs.jsonl")
    ctx = open_instance(make_settings("instance"))
    try:
        assert not ingest_paths(ctx, [tmp_path / "docs.jsonl"]).failed
        report = evaluate_instance(ctx, Reader.operator(), read_queries(PIAF / "queries.jsonl"),
                                   read_qrels(PIAF / "qrels.tsv"))
    finally:
        ctx.close()
    assert not report.unknown_docs and len(report.per_query) == 100
    assert report.means["nDCG@10"] > PIAF_BM25_NDCG
