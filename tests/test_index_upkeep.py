"""Index upkeep: removal records outlive a failed rebuild, one file lock orders the processes
that build, swap and prune generations, and a `kb reindex` racing the web app's start on the
same instance leaves searches answering and the index matching the database."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import check_index, index_pending, rebuild_index
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document
from kb.search.results import search_documents
from kb.visibility import Reader
from tests.test_ingest_kill import KB_MAIN, ROOT, environment, kb
from tests.test_search_index import write_notes
from tests.threads import repeated_meanwhile

OPERATOR = Reader.operator()


def type_count(ctx: KbContext, word: str) -> int:
    """How many documents the index counts for a word, as the type facet adds them up."""
    page = search_documents(ctx, OPERATOR, word)
    facet = next(f for f in page.facets if f.name == "type")
    return sum(value.count for value in facet.values)


def corrupt(ctx: KbContext, doc_id: str, sections: str = "[1]") -> None:
    """Damage a row behind the ORM's back, as a faulty import might (its sections are no
    longer objects): building its index entry fails."""
    with ctx.sessions.begin() as session:
        session.execute(text("UPDATE documents SET sections = :s WHERE id = :i"),
                        {"s": sections, "i": doc_id})


def test_removals_outlive_a_failed_rebuild(ctx: KbContext, tmp_path: Path) -> None:
    assert not ingest_paths(ctx, [write_notes(tmp_path / "notes", 3)]).failed
    with ctx.sessions.begin() as session:
        first, second, _ = sorted(session.scalars(text("SELECT id FROM documents")).all())
        session.delete(session.get(Document, first))
    corrupt(ctx, second)
    with pytest.raises(AttributeError):
        rebuild_index(ctx)
    assert check_index(ctx)["removals"] == [first]  # still queued: the old index has it
    assert len(list(ctx.index.folder.glob("gen-*"))) == 1  # the failed one is gone
    index_pending(ctx)  # what the next change, or `kb check --repair`, does
    assert first not in ctx.index.indexed_ids()
    assert type_count(ctx, "bocage") == 2
    corrupt(ctx, second, "[]")
    rebuild_index(ctx)
    assert all(not ids for ids in check_index(ctx).values())


HOLD_LOCK = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    print(time.time(), flush=True)
"""


def test_a_rebuild_waits_for_another_process_holding_the_lock(ctx: KbContext,
                                                              tmp_path: Path) -> None:
    assert not ingest_paths(ctx, [write_notes(tmp_path / "notes", 3)]).failed
    lock_file = ctx.index.folder / "generations.lock"
    with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock_file), "1.5"],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        rebuild_index(ctx)
        finished = time.time()
        released = float(holder.stdout.readline())
        assert holder.wait(timeout=30) == 0
    assert finished >= released  # it waited, instead of building beside the other one
    assert type_count(ctx, "bocage") == 3


DOCS = 50
WORDS = ("bocage haie mare cantine friche énergie mobilité coopération territoire commune élus "
         "habitants agriculture forêt rivière transition").split()


def long_notes(folder: Path, count: int) -> Path:
    """Documents of 12,000 words: rebuilding takes seconds, so that the two processes'
    builds overlap (without the lock, the first to swap prunes the other's generation); few
    of them, since reading and storing a file costs more than indexing its words."""
    folder.mkdir(parents=True)
    chooser = random.Random(15)
    for number in range(count):
        body = " ".join(chooser.choice(WORDS) for _ in range(12_000))
        (folder / f"note-{number:03d}.md").write_text(
            f"---\ntitre: Bocage {number}\nvisibilite: public\n---\nLe bocage {number}. {body}\n",
            encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api_total(port: int, word: str) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q={word}",
                                    timeout=5) as answer:
            return int(json.load(answer)["total"])
    except OSError:
        return None  # not listening yet


# `kb reindex` once told to go: what precedes the command's first step is done beforehand.
KB_WHEN_TOLD = """
import sys
import kb.cli.index
import kb.indexing.sync
from kb.cli.main import main
print("ready", flush=True)
sys.stdin.readline()
main()
"""


def test_reindex_while_the_web_app_starts(tmp_path: Path) -> None:
    """`kb serve` starts on an instance whose index must be rebuilt (its analysis version
    changed), and `kb reindex` starts while the web app builds: the lock orders them (without
    it, the first to swap would prune the generation the other is writing). Searches of a
    third process answer throughout, the web app answers once up, `kb check` is clean."""
    home = tmp_path / "instance"
    ctx = open_instance(Settings.for_home(home))
    try:
        assert not ingest_paths(ctx, [long_notes(tmp_path / "notes", DOCS)]).failed
        version_file = ctx.index.current_link.resolve() / "kb-index.json"
        version_file.write_text(json.dumps({"schema": 1, "analysis": 1}))
        # A search every 50 ms throughout the builds, without taking a core from them.
        with repeated_meanwhile(lambda: search_documents(ctx, OPERATOR, "bocage").total,
                                pause=0.05) as totals:
            # `kb reindex`, its imports done, waits for the word to go: told as soon as the
            # web app starts building, it asks for the lock within moments, mid-build.
            reindex = subprocess.Popen(
                [sys.executable, "-c", KB_WHEN_TOLD, "reindex"], cwd=ROOT,
                env=environment(Settings.for_home(home)), stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            started = [reindex]
            try:
                assert reindex.stdin is not None and reindex.stdout is not None
                assert reindex.stdout.readline().strip() == "ready"
                port = free_port()
                server = subprocess.Popen(
                    [sys.executable, "-c", KB_MAIN, "serve", "--port", str(port)], cwd=ROOT,
                    env=environment(Settings.for_home(home)), stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
                started.append(server)
                before = ctx.index.current_link.resolve()
                deadline = time.monotonic() + 120
                while not (building := set(ctx.index.folder.glob("gen-*")) - {before}):
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.01)
                reindex.stdin.write("go\n")
                reindex.stdin.flush()
                # The web app was still building when the reindex set off: they overlap.
                assert ctx.index.current_link.resolve() == before and building.pop().exists()
                output, problems = reindex.communicate(timeout=600)
                assert reindex.returncode == 0, problems
                assert f"Index reconstruit : {DOCS} document(s)." in output
                deadline = time.monotonic() + 300
                while (answered := api_total(port, "bocage")) is None:
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.2)
                assert answered == DOCS
            finally:
                for process in started:
                    process.terminate()
                    process.wait(timeout=30)
        assert totals and set(totals) == {DOCS}
        assert len(list(ctx.index.folder.glob("gen-*"))) <= 2
        assert not ctx.index.needs_rebuild()
    finally:
        ctx.close()
    checked = kb(Settings.for_home(home), "check")
    assert checked.exit_code == 0 and "Base et index concordent." in checked.stdout
