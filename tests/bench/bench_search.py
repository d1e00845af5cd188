"""Search speed on generated French documents of about 1,500 words: index build rate and
size, then the latency of a few hundred varied queries through the whole service (database
reload, facets, snippets, spelling help), as a visitor and as a member.

Run `.venv/bin/python -m pytest tests/bench/bench_search.py -s` (1,000 documents), or
`.venv/bin/python -m tests.bench.bench_search 1000 10000` for both sizes (the 10,000-document
run takes a few minutes, mostly building the index), then the build time of plain Whoosh
on the same documents. Prints a table; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[2]
WORDS_PER_DOC = 1500
QUERIES = 300
KINDS = ("texte-fondateur", "fiche-experience", "proposition", "outil", "autre")
STATUSES = ("aucun", "propose", "en-debat", "doctrine")
THEMES = ("alimentation durable", "mobilité rurale", "rénovation énergétique", "tiers-lieux",
          "économie de la fonctionnalité", "participation citoyenne", "biodiversité",
          "eau et sécheresse", "insertion", "gouvernance", "mise en récit", "formation des élus",
          "sobriété foncière", "communautés apprenantes", "santé environnementale")


def vocabulary() -> list[str]:
    """Real French words, from the shipped corpus, most frequent first (Zipf-like use)."""
    counts: dict[str, int] = {}
    for path in (ROOT / "corpus").rglob("*.md"):
        for word in re.findall(r"[^\W\d_]{2,}", path.read_text(encoding="utf-8")):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return sorted(counts, key=lambda w: -counts[w])


def generate(count: int, seed: int = 7) -> Iterator[dict[str, object]]:
    """Rows for the documents table: text, sections and metadata of varied documents."""
    rng = random.Random(seed)
    words = vocabulary()
    weights = [1.0 / (rank + 10) for rank in range(len(words))]
    places = [f"{rng.choice(words).capitalize()}-sur-{rng.choice(words).capitalize()}"
              for _ in range(150)]
    people = [f"{rng.choice(words).capitalize()} {rng.choice(words).capitalize()}"
              for _ in range(250)]
    for number in range(count):
        drawn = rng.choices(words, weights, k=WORDS_PER_DOC)
        sections, text_parts = [], []
        for part in range(5):
            chunk = drawn[part * 300:(part + 1) * 300]
            paragraphs = [" ".join(chunk[i:i + 60]).capitalize() + "." for i in range(0, 300, 60)]
            heading = " ".join(rng.choices(words[:2000], k=4)).capitalize()
            sections.append({"heading": heading, "level": 2, "paragraphs": paragraphs})
            text_parts += [heading, *paragraphs]
        visibility = rng.choices(("public", "membres", "restreint"), (5, 4, 1))[0]
        yield {
            "id": f"bench{number:07d}", "source_key": f"bench/doc-{number:07d}.md",
            "title": " ".join(rng.choices(words[:3000], k=rng.randint(5, 10))).capitalize(),
            "kind": rng.choice(KINDS), "authors": rng.sample(people, rng.randint(1, 3)),
            "date": dt.date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            "territory": rng.choice(places), "themes": rng.sample(THEMES, rng.randint(1, 3)),
            "language": "fr", "visibility": visibility,
            "groups": ["collectif"] if visibility == "restreint" else [],
            "doctrine_status": rng.choice(STATUSES), "content_hash": f"{number:064d}",
            "media_type": "text/markdown", "original_name": f"doc-{number}.md",
            "text": "\n\n".join(text_parts), "sections": sections, "page_count": None,
            "warnings": [], "extra": {}, "index_pending": True,
            "created_at": dt.datetime(2025, 1, 1), "updated_at": dt.datetime(2025, 1, 1),
        }


def one_query(shape: int, rng: random.Random, common: list[str], rare: list[str]) -> str:
    """A query of one of ten shapes, from common and rare words."""
    a, b, c, d = rng.choice(common), rng.choice(common), rng.choice(rare), rng.choice(rare)
    typo = c[:2] + c[3] + c[2] + c[4:] if len(c) > 4 else c + "e"
    return (a, c, f"{a} {c}", f"{a} {b} {rng.choice(common)}", f'"{a} {b}"', f"{a} -{b}",
            f"{c} type:fiche annee:{rng.randint(2012, 2025)}", typo, f"{a} {b} {c} {d}",
            f"{c} statut:doctrine")[shape]


def queries(count: int, seed: int = 11) -> list[tuple[str, dict[str, list[str]]]]:
    """Varied queries: common and rare words, several words, phrases, exclusions, filters,
    typos, with URL facet filters on one query in seven."""
    rng = random.Random(seed)
    words = [w for w in vocabulary() if len(w) > 3]
    common, rare = words[:300], words[1000:4000]
    made: list[tuple[str, dict[str, list[str]]]] = []
    for number in range(count):
        text = one_query(number % 10, rng, common, rare)
        filters = {"theme": [rng.choice(THEMES)]} if number % 7 == 0 else {}
        made.append((text, filters))
    return made


def measure(count: int, procs: int) -> dict[str, float]:
    """Build an instance of `count` documents in a temporary folder and time it."""
    with tempfile.TemporaryDirectory(prefix=f"bench-search-{count}-") as home:
        return _measure(Path(home), count, procs)


def _measure(home: Path, count: int, procs: int) -> dict[str, float]:
    from kb.config import Settings
    from kb.indexing.sync import rebuild_index
    from kb.instance import open_instance
    from kb.models import Document
    from kb.search.results import search_documents
    from kb.visibility import Reader

    ctx = open_instance(Settings.for_home(home))
    rows = generate(count)
    with ctx.sessions.begin() as session:
        batch: list[dict[str, object]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 500:
                session.execute(insert(Document), batch)
                batch = []
        if batch:
            session.execute(insert(Document), batch)
    started = time.perf_counter()
    rebuild_index(ctx, procs=procs)
    build = time.perf_counter() - started
    size = sum(f.stat().st_size for f in ctx.index.current_link.resolve().rglob("*"))
    readers = (Reader.anonymous(), Reader(user_id=1, roles=frozenset({"allie"})))
    started = time.perf_counter()
    search_documents(ctx, readers[0], "transition écologique")
    first = time.perf_counter() - started
    wall, cpu = [], []
    for number, (text, filters) in enumerate(queries(QUERIES)):
        started, started_cpu = time.perf_counter(), time.thread_time()
        page = search_documents(ctx, readers[number % 2], text, filters=filters,
                                sort="date" if number % 9 == 0 else "pertinence")
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        assert page.total >= 0
    ctx.close()
    return {"docs": count, "build_s": build, "rate": count / build, "size_mb": size / 2**20,
            "first_ms": first * 1000, **warm_start(home), **summary("wall", wall),
            **summary("cpu", cpu)}


def warm_start(home: Path) -> dict[str, float]:
    """As `kb serve` starts: the time to warm the index in the background, then the first
    search once it is warm."""
    from kb.config import Settings
    from kb.instance import open_instance
    from kb.search.results import search_documents
    from kb.search.warmup import keep_search_warm
    from kb.visibility import Reader

    ctx = open_instance(Settings.for_home(home))  # a new process's view: nothing loaded yet
    started = time.perf_counter()
    keep_search_warm(ctx).join()
    warmed = time.perf_counter() - started
    started = time.perf_counter()
    search_documents(ctx, Reader.anonymous(), "transition écologique")
    first = time.perf_counter() - started
    ctx.close()
    return {"warm_s": warmed, "warm_first_ms": first * 1000}


def plain_whoosh_build(count: int, procs: int) -> float:
    """Seconds for Whoosh used the obvious way to index the same documents: title and text
    with its default `StemmingAnalyzer`, one writer (`procs` processes), one commit."""
    from whoosh import index as whoosh_index

    from tests.bench.bench_quality import plain_whoosh_schema

    documents = [(str(r["id"]), str(r["title"]), str(r["text"])) for r in generate(count)]
    with tempfile.TemporaryDirectory(prefix=f"bench-plain-{count}-") as folder:
        index = whoosh_index.create_in(folder, plain_whoosh_schema())
        started = time.perf_counter()
        writer = index.writer(procs=procs, multisegment=True) if procs > 1 else index.writer()
        for doc_id, title, text in documents:
            writer.add_document(name=doc_id, title=title, body=text)
        writer.commit()
        return time.perf_counter() - started


def summary(name: str, timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {f"{name}_median": statistics.median(timings),
            f"{name}_p95": timings[int(len(timings) * 0.95) - 1], f"{name}_max": timings[-1]}


def report(results: list[dict[str, float]]) -> None:
    print(f"\n{'documents':>9} {'build s':>8} {'docs/s':>7} {'index MB':>8} {'1st ms':>7} "
          f"{'warm s':>6} {'1st w.':>6} {'median':>7} {'p95':>6} {'max':>6} | {'CPU med':>7} "
          f"{'p95':>6} {'max':>6}")
    for r in results:
        print(f"{r['docs']:>9.0f} {r['build_s']:>8.1f} {r['rate']:>7.1f} {r['size_mb']:>8.1f} "
              f"{r['first_ms']:>7.1f} {r['warm_s']:>6.1f} {r['warm_first_ms']:>6.1f} "
              f"{r['wall_median']:>7.1f} {r['wall_p95']:>6.1f} {r['wall_max']:>6.1f} | "
              f"{r['cpu_median']:>7.1f} {r['cpu_p95']:>6.1f} {r['cpu_max']:>6.1f}")
    load = os.getloadavg()[0]
    print(f"({QUERIES} varied queries each, cold caches, facets, snippets and spelling help "
          f"included; times in ms, wall clock then CPU time of the searching thread; « warm s » "
          f"and « 1st w. »: warming the index as `kb serve` does, then the first search; "
          f"{os.cpu_count()} CPU, load average {load:.1f})")


def report_baseline(sizes: list[int], procs: int) -> None:
    for size in sizes:
        print(f"plain Whoosh build of the same {size} documents (title and text, "
              f"StemmingAnalyzer, procs={procs}): {plain_whoosh_build(size, procs):.1f} s")


def test_search_benchmark() -> None:
    procs = min(os.cpu_count() or 1, 2)
    report([measure(1000, procs=procs)])
    report_baseline([1000], procs)


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000]
    procs = min(os.cpu_count() or 1, 2)
    report([measure(size, procs=procs) for size in sizes])
    report_baseline(sizes, procs)
