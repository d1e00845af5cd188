"""The learned tagger's cost: training, then tagging the whole base, at 1,000 and 10,000
documents with 5,000 accepted tags (5 on each of 1,000 documents).

Documents are generated French texts of about 1,500 words (as in `bench_search`), each with
a stored analysis (label evidence for six doctrine concepts) and an index built, so that
the measure is the learned tagger's own: training (decisions changed); scoring every
document (votes of the neighbours, calibration, from the stored analyses, nothing written);
then `kb tag` with no text changed, which loads the stored model, scores every document
again, stores the suggestions and re-indexes the documents whose tags changed (their
concept labels are searchable). Each phase runs in a fresh process, so that peak memory
(VmHWM) is that phase's own.

Run `.venv/bin/python -m pytest tests/bench/bench_learned_tagger.py -s` (1,000 documents)
or `.venv/bin/python -m tests.bench.bench_learned_tagger 1000 10000` (a few minutes).
Prints a table; asserts nothing but that the model learnt.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.phases import peak_mb, run_phase  # noqa: E402 - needs ROOT on the path

TAGGED_DOCUMENTS = 1000
TAGS_PER_DOCUMENT = 5


def setup_phase(home: str, count: str) -> dict[str, float]:
    """An instance with the doctrine thesaurus, `count` documents, their analyses and
    5,000 accepted tags."""
    from kb.cli.taxonomy import import_shipped_taxonomy
    from kb.config import Settings
    from kb.indexing.sync import rebuild_index
    from kb.instance import open_instance
    from kb.models import Concept, Document, DocumentAnalysis, DocumentTag
    from kb.taxonomy.reading import taxonomy_stamp
    from tests.bench.bench_search import generate

    ctx = open_instance(Settings.for_home(home))
    import_shipped_taxonomy(ctx)
    rng = random.Random(5)
    with ctx.sessions.begin() as session:
        concepts = list(session.execute(select(Concept.uri, Concept.id)).all())
        stamp = taxonomy_stamp(session)
        documents, analyses, tags = [], [], []
        for number, row in enumerate(generate(int(count))):
            documents.append(row)
            found = rng.sample(concepts, 6)
            analyses.append({
                "document_id": row["id"], "content_hash": row["content_hash"],
                "taxonomy_stamp": stamp, "tagger_version": "2", "scoring_stamp": "",
                "language": "fr", "words": 1500, "concepts": [uri for uri, _id in found],
                "evidence": {uri: {"weight": 2.0, "label": uri.rsplit("/", 1)[-1],
                                   "zones": {"body": rng.randint(1, 4)}, "passages": []}
                             for uri, _id in found},
                "entities": {}, "phrases": {}})
            if number < TAGGED_DOCUMENTS:
                # half the accepted tags are concepts its labels named, half are not
                chosen = found[:2] + rng.sample(concepts, TAGS_PER_DOCUMENT - 2)
                tags += [{"document_id": row["id"], "concept_id": concept_id,
                          "origin": "human", "state": "accepted", "passages": [],
                          "zones": {}, "explanation": {}}
                         for _uri, concept_id in dict(chosen).items()]
            if len(documents) == 500:
                _flush(session, documents, analyses, tags, Document, DocumentAnalysis,
                       DocumentTag)
        _flush(session, documents, analyses, tags, Document, DocumentAnalysis, DocumentTag)
    rebuild_index(ctx)
    ctx.close()
    return {"peak_mb": peak_mb()}


def _flush(session, documents, analyses, tags, *models) -> None:  # type: ignore[no-untyped-def]
    for model, rows in zip(models, (documents, analyses, tags), strict=True):
        if rows:
            session.execute(insert(model), rows)
            rows.clear()


def train_phase(home: str) -> dict[str, float]:
    from kb.config import Settings
    from kb.instance import open_instance
    from kb.taxonomy.learning import learned_tagger

    ctx = open_instance(Settings.for_home(home))
    started, cpu = time.perf_counter(), time.process_time()
    state = learned_tagger(ctx)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = sum(p.stat().st_size for p in (Path(home) / "models").iterdir())
    ctx.close()
    assert state.tagger is not None, "the model did not learn"
    return {"seconds": seconds, "cpu": cpu, "documents": state.documents,
            "concepts": state.concepts, "model_mb": size / 2**20, "peak_mb": peak_mb()}


def score_phase(home: str) -> dict[str, float]:
    """Every document scored by the stored model, in chunks, nothing written."""
    from more_itertools import chunked
    from sqlalchemy import select

    from indexer.tagging.label_tagger import evidence_from_records
    from kb.config import Settings
    from kb.instance import open_instance
    from kb.models import Document, DocumentAnalysis
    from kb.taxonomy.learning import learned_tagger, model_text
    from kb.taxonomy.tag_scoring import Scorer

    ctx = open_instance(Settings.for_home(home))
    started, cpu = time.perf_counter(), time.process_time()
    scorer = Scorer.load(ctx, learned_tagger(ctx, train=False))
    with ctx.sessions() as session:
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    scored = suggested = 0
    for chunk in chunked(ids, 200):
        with ctx.sessions() as session:
            rows = session.execute(select(Document, DocumentAnalysis).join(
                DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                .where(Document.id.in_(chunk))).all()
            items = [(d.id, evidence_from_records(a.evidence), model_text(d)) for d, a in rows]
        for candidates, threshold in scorer.rank(items):
            suggested += len(scorer.kept(candidates, threshold))
        scored += len(items)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ctx.close()
    return {"seconds": seconds, "cpu": cpu, "documents": scored, "suggested": suggested,
            "peak_mb": peak_mb()}


def tag_phase(home: str) -> dict[str, float]:
    """`kb tag` with no text changed: the stored model is loaded and every document is
    scored again from its analysis."""
    from kb.config import Settings
    from kb.instance import open_instance
    from kb.taxonomy.tagging import tag_documents

    ctx = open_instance(Settings.for_home(home))
    started, cpu = time.perf_counter(), time.process_time()
    report = tag_documents(ctx, [])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ctx.close()
    assert report.learned is not None and not report.learned.trained
    return {"seconds": seconds, "cpu": cpu, "documents": report.rescored,
            "suggested": report.suggested, "peak_mb": peak_mb()}


PHASES = {"setup": setup_phase, "train": train_phase, "score": score_phase,
          "tag": tag_phase}


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-learned-{count}-") as folder:
        home = str(Path(folder) / "instance")
        run_phase(__file__, "setup", home, str(count))
        train = run_phase(__file__, "train", home)
        score = run_phase(__file__, "score", home)
        tag = run_phase(__file__, "tag", home)
    print(f"{count:>9} {train['documents']:>7.0f} {train['concepts']:>8.0f} "
          f"{train['seconds']:>7.1f} {train['peak_mb']:>7.0f} {train['model_mb']:>7.1f} "
          f"{score['seconds']:>8.1f} {score['documents'] / score['seconds']:>7.0f} "
          f"{score['peak_mb']:>7.0f} {tag['seconds']:>8.1f} {tag['peak_mb']:>7.0f}", flush=True)


def header() -> None:
    print(f"\n{'':>9} {'apprentissage':^39} {'notation seule':^24} {'kb tag':^16}")
    print(f"{'documents':>9} {'docs':>7} {'concepts':>8} {'s':>7} {'pic Mo':>7} {'Mo':>7} "
          f"{'s':>8} {'doc/s':>7} {'pic Mo':>7} {'s':>8} {'pic Mo':>7}", flush=True)


def test_learned_tagger_cost() -> None:
    header()
    measure(1000)


if __name__ == "__main__":
    if sys.argv[1] in PHASES:
        print(json.dumps(PHASES[sys.argv[1]](*sys.argv[2:])))
    else:
        header()
        for size in sys.argv[1:]:
            measure(int(size))
