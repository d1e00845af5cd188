"""Many readers at once: concurrent clients on the production server (waitress) while
`kb ingest` adds 1,000 documents and `kb reindex` then rebuilds the index.

Run `make bench`, or `.venv/bin/python -m tests.bench.bench_load [CLIENTS] [MAX_SECONDS]`
(8 clients, 600 s at most by default). Everything stays on the loopback: a fresh instance
in a temporary folder, `kb serve --production` on a free port of 127.0.0.1, and client
threads that each send one request after another (search page, document page, API search,
API suggestions) until the ingest and the rebuild are done, plus a few seconds. It prints
throughput, p50/p95/p99 latency per kind of request, and errors; it fails on any error, and
if a reader ever sees a document disappear: a search's total that shrinks between two of a
client's calls (documents are only added), or a page of a document already seen that no
longer answers (a half-built index would show both).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
KB = [sys.executable, "-c", "from kb.cli.main import main; main()"]
NEW_DOCUMENTS = 1000
# The word every generated document and most corpus documents hold: its total only grows.
WATCHED = "transition"
QUERIES = ("transition écologique", "tiers-lieux", "cantine bio", "mobilité rurale",
           "coopération", "élus formation", "économie de la fonctionnalité", "eau")
WORDS = ("territoire commune intercommunalité écologique coopération habitants élus "
         "agriculture alimentation mobilité énergie rénovation friche sobriété biodiversité "
         "cantine ressourcerie insertion formation récit diagnostic gouvernance").split()


@dataclass
class Tally:
    """What the clients saw: latencies by kind of request, errors, disappearances."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def write_documents(folder: Path, count: int, seed: int = 11) -> None:
    """Public Markdown notes of about 300 words, each holding the watched word."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for number in range(count):
        words = " ".join(rng.choices(WORDS, k=300))
        (folder / f"note-{number:04}.md").write_text(
            f"---\ntitre: Note {number} sur la {WATCHED}\nvisibilite: public\n"
            f"type: outil\n---\n# Note {number}\n\nLa {WATCHED} du territoire. {words}.\n",
            encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kb(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KB, *args], env={**os.environ, "KB_HOME": str(home)}, cwd=ROOT,
                          capture_output=True, text=True, check=True)


class Reader(threading.Thread):
    """One client: a keep-alive connection, one request after another, until told to stop."""

    def __init__(self, port: int, seed: int, documents: list[str], tally: Tally,
                 stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.rng, self.documents = random.Random(seed), documents
        self.tally, self.stop = tally, stop
        self.watched_total = 0

    def get(self, kind: str, path: str) -> bytes | None:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.tally.add(kind, time.perf_counter() - started, f"{path}: {exc!r}")
            return None
        error = None if response.status == 200 else f"{path}: HTTP {response.status}"
        self.tally.add(kind, time.perf_counter() - started, error)
        return body if error is None else None

    def api_search(self) -> None:
        watched = self.rng.random() < 0.5
        query = WATCHED if watched else self.rng.choice(QUERIES)
        body = self.get("api", f"/api/search?q={quote(query)}&par_page=20")
        if body is None:
            return
        page = json.loads(body)
        if watched:
            if page["total"] < self.watched_total:
                self.tally.errors.append(f"disappeared: « {WATCHED} » {self.watched_total} "
                                         f"-> {page['total']}")
            self.watched_total = page["total"]
        self.documents.extend(r["id"] for r in page["results"][:2])

    def run(self) -> None:
        try:
            self.read_until_stopped()
        except Exception as exc:  # a client that dies is an error, not a quiet thread
            self.tally.errors.append(f"client stopped: {exc!r}")

    def read_until_stopped(self) -> None:
        while not self.stop.is_set():
            choice = self.rng.random()
            if choice < 0.35:
                self.api_search()
            elif choice < 0.6:
                self.get("page", f"/recherche?q={quote(self.rng.choice(QUERIES))}")
            elif choice < 0.9:
                self.get("document", f"/documents/{self.rng.choice(self.documents)}")
            else:
                self.get("suggest",
                         f"/api/search/suggestions?q={quote(self.rng.choice(WORDS)[:4])}")
        self.connection.close()


def wait_healthy(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/sante")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(tally: Tally, clients: int, seconds: float, phases: dict[str, float]) -> None:
    every = [v for values in tally.latencies.values() for v in values]
    print(f"\n{clients} clients, {seconds:.1f} s, {len(every)} requests, "
          f"{len(every) / seconds:.1f} req/s, {len(tally.errors)} error(s); "
          + ", ".join(f"{name} {value:.1f} s" for name, value in phases.items()))
    print(f"{'kind':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, values in sorted(tally.latencies.items()) + [("all", every)]:
        print(f"{kind:<10}{len(values):>9}{statistics.median(values) * 1000:>9.1f}"
              f"{percentile(values, 0.95):>9.1f}{percentile(values, 0.99):>9.1f}"
              f"{max(values) * 1000:>9.1f}")
    for error in tally.errors[:10]:
        print("ERROR", error)


def run(clients: int = 8, max_seconds: float = 600.0) -> Tally:
    with tempfile.TemporaryDirectory(prefix="kb-load-") as folder:
        home, port = Path(folder) / "instance", free_port()
        kb(home, "init")
        kb(home, "ingest", "--quiet", str(ROOT / "corpus" / "documents"))
        write_documents(Path(folder) / "new", NEW_DOCUMENTS)
        server = subprocess.Popen([*KB, "serve", "--production", "--port", str(port)],
                                  env={**os.environ, "KB_HOME": str(home)}, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        tally, stop = Tally(), threading.Event()
        try:
            wait_healthy(port, time.monotonic() + 120)
            seed_page = json.loads(http_get(port, f"/api/search?q={WATCHED}&par_page=50"))
            documents = [r["id"] for r in seed_page["results"]]
            readers = [Reader(port, n, documents, tally, stop) for n in range(clients)]
            started = time.monotonic()
            for reader in readers:
                reader.start()
            phases = writers(home, Path(folder) / "new", started + max_seconds)
            time.sleep(5)  # readers keep going a little after the rebuild's swap
            stop.set()
            for reader in readers:
                reader.join(timeout=90)
            report(tally, clients, time.monotonic() - started, phases)
            final = json.loads(http_get(port, f"/api/search?q={WATCHED}&par_page=1"))["total"]
            print(f"« {WATCHED} » : {seed_page['total']} document(s) before, {final} after")
        finally:
            stop.set()
            server.terminate()
            server.wait(timeout=30)
        return tally


def writers(home: Path, new: Path, deadline: float) -> dict[str, float]:
    """`kb ingest` of the new documents, then `kb reindex`, timed; bounded by `deadline`."""
    phases = {}
    for name, args in (("ingest", ["ingest", "--quiet", str(new)]), ("reindex", ["reindex"])):
        started = time.monotonic()
        subprocess.run([*KB, *args], env={**os.environ, "KB_HOME": str(home)}, cwd=ROOT,
                       capture_output=True, check=True,
                       timeout=max(1.0, deadline - time.monotonic()))
        phases[name] = time.monotonic() - started
    return phases


def http_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    return connection.getresponse().read()


def test_many_readers_during_ingest_and_rebuild() -> None:
    tally = run()
    assert tally.errors == []


if __name__ == "__main__":
    arguments = [float(a) for a in sys.argv[1:3]]
    result = run(int(arguments[0]) if arguments else 8,
                 arguments[1] if len(arguments) > 1 else 600.0)
    sys.exit(1 if result.errors else 0)
