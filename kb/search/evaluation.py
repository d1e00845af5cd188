"""`kb eval search`: run a set of queries, score the rankings against relevance judgements
(nDCG@10, MRR@10, P@5, Recall@100, as trec_eval computes them) and write a TREC run.

Queries: `id<TAB>text` lines or JSON Lines `{"id", "text"}`; qrels:
`query_id<TAB>doc<TAB>relevance`, a header line allowed. A qrels document is a source key,
or the `<id>` of a source key ending in `#<id>`, or a document's external `id`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import log2
from pathlib import Path

from kb.errors import InvalidInput

DEPTH = 100
METRICS = ("nDCG@10", "MRR@10", "P@5", "Recall@100")


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} : lecture impossible ({exc})") from exc
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, text) pairs from a TSV or JSON Lines file."""
    queries = []
    for number, line in _lines(path):
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
                queries.append((str(record["id"]), str(record["text"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise InvalidInput(f"{path}, ligne {number} : objet JSON invalide ou sans "
                                   f"« id » et « text » ({exc})") from exc
            continue
        parts = line.split("\t", 1)
        if len(parts) != 2:
            raise InvalidInput(f"{path}, ligne {number} : « id<TAB>texte » attendu")
        if number == 1 and parts[0].strip().lower() in ("id", "query_id", "qid"):
            continue
        queries.append((parts[0].strip(), parts[1].strip()))
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query id -> {document: relevance}; a TREC `qid 0 doc rel` line is accepted too."""
    qrels: dict[str, dict[str, int]] = {}
    for number, line in _lines(path):
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) == 4:
            parts = [parts[0], parts[2], parts[3]]
        try:
            qid, doc, relevance = parts[0].strip(), parts[1].strip(), int(parts[2])
        except (IndexError, ValueError) as exc:
            if number == 1:
                continue  # header line
            raise InvalidInput(f"{path}, ligne {number} : « requête<TAB>document<TAB>"
                               "pertinence » attendu") from exc
        qrels.setdefault(qid, {})[doc] = relevance
    return qrels


def ndcg(ranked: Sequence[str], judged: dict[str, int], k: int = 10) -> float:
    gains = [judged.get(doc, 0) for doc in ranked[:k]]
    dcg = sum(g / log2(i + 2) for i, g in enumerate(gains) if g > 0)
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr(ranked: Sequence[str], judged: dict[str, int], k: int = 10) -> float:
    return next((1.0 / (i + 1) for i, d in enumerate(ranked[:k]) if judged.get(d, 0) > 0), 0.0)


def precision(ranked: Sequence[str], judged: dict[str, int], k: int = 5) -> float:
    return sum(1 for d in ranked[:k] if judged.get(d, 0) > 0) / k


def recall(ranked: Sequence[str], judged: dict[str, int], k: int = DEPTH) -> float:
    relevant = {d for d, r in judged.items() if r > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


@dataclass
class EvalReport:
    """Mean metrics over judged queries, the per-query rankings, and what could not be used."""

    means: dict[str, float] = field(default_factory=dict)
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)
    runs: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    unknown_docs: set[str] = field(default_factory=set)
    unjudged_queries: list[str] = field(default_factory=list)


def evaluate(queries: list[tuple[str, str]], qrels: dict[str, dict[str, int]],
             rank: Callable[[str], list[tuple[str, float]]],
             known: Callable[[str], bool] = lambda _doc: True) -> EvalReport:
    """Score `rank(text)` (documents in the qrels' naming, best first) on every judged query."""
    report = EvalReport()
    functions = dict(zip(METRICS, (ndcg, mrr, precision, recall), strict=True))
    for qid, text in queries:
        judged = qrels.get(qid)
        if not judged or not any(r > 0 for r in judged.values()):
            report.unjudged_queries.append(qid)
            continue
        report.unknown_docs |= {d for d in judged if not known(d)}
        report.runs[qid] = rank(text)[:DEPTH]
        ranked = [doc for doc, _ in report.runs[qid]]
        report.per_query[qid] = {name: f(ranked, judged) for name, f in functions.items()}
    count = max(len(report.per_query), 1)
    report.means = {name: sum(s[name] for s in report.per_query.values()) / count
                    for name in METRICS}
    return report


def write_run(path: Path, runs: dict[str, list[tuple[str, float]]], tag: str = "kb") -> None:
    """A TREC run file: `qid Q0 doc rank score tag`."""
    lines = [f"{qid} Q0 {doc.replace(' ', '_')} {rank} {score:.4f} {tag}"
             for qid, ranked in runs.items() for rank, (doc, score) in enumerate(ranked, 1)]
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
