"""Start-up of the command line: `kb --help`, a cold `kb search` (a new process each time, as a
user types it) and a warm search (the same search again inside one process), on an instance
holding the shipped corpus, made with the real commands (`kb init`, `kb ingest`).

Run `.venv/bin/python -m tests.bench.bench_cli_startup [HOME]` (HOME: an instance folder to
make once and reuse, so that before/after figures compare the same instance), or
`make bench`. kb's modules are byte-compiled first, as pip does for an installed package
(where `PYTHONDONTWRITEBYTECODE` is set, Python would compile them again on every run). Each
command runs once to warm the disk cache, then 10 times; prints the median and the fastest
wall and processor (user + system) milliseconds, and the machine's load. Asserts nothing.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.config import Settings
from kb.instance import open_instance
from kb.search.results import search_documents
from kb.visibility import Reader

ROOT = Path(__file__).resolve().parents[2]
KB = Path(sys.executable).parent / "kb"
QUERY = "économie de la fonctionnalité"
WARM_UP, RUNS = 1, 10
MADE_MARK = "bench-made"


def make_instance(home: Path) -> None:
    """The shipped corpus in `home`, through the commands a user runs (once per folder)."""
    if (home / MADE_MARK).exists():
        return
    for args in (["init"], ["ingest", "--quiet", str(ROOT / "corpus" / "documents")]):
        subprocess.run([str(KB), "--home", str(home), *args], check=True,
                       stdout=subprocess.DEVNULL)
    (home / MADE_MARK).write_text("corpus\n", encoding="utf-8")


def run_command(args: list[str]) -> tuple[float, float]:
    """Wall and processor milliseconds of one `kb` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(KB), *args], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def measure_command(args: list[str]) -> dict[str, float]:
    runs = [run_command(args) for _ in range(WARM_UP + RUNS)][WARM_UP:]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return {"wall": statistics.median(walls), "wall_min": min(walls),
            "cpu": statistics.median(cpus), "cpu_min": min(cpus)}


def measure_warm_search(home: Path) -> dict[str, float]:
    """The same search repeated in one process (what the web application pays)."""
    ctx = open_instance(Settings.for_home(home))
    try:
        walls, cpus = [], []
        for run in range(3 + 20):
            wall, cpu = time.perf_counter(), time.process_time()
            search_documents(ctx, Reader.operator(), QUERY, per_page=10, with_facets=False)
            if run >= 3:
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
    finally:
        ctx.close()
    return {"wall": statistics.median(walls), "wall_min": min(walls),
            "cpu": statistics.median(cpus), "cpu_min": min(cpus)}


def run(home: Path) -> None:
    make_instance(home)
    for package in ("kb", "indexer", "ingest", "webui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    home_args = ["--home", str(home)]
    load = os.getloadavg()
    figures = {
        "kb --help": measure_command(["--help"]),
        f"kb search « {QUERY} » (à froid)": measure_command([*home_args, "search", QUERY]),
        "recherche à chaud (même processus)": measure_warm_search(home),
    }
    print(f"\nDémarrage de la ligne de commande ({RUNS} mesures, charge avant : "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, après : "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cœurs)")
    print(f"{'':<52} {'médiane':>9} {'min':>7} {'CPU méd.':>9} {'CPU min':>8}  (ms)")
    for name, found in figures.items():
        print(f"{name:<52} {found['wall']:>9.0f} {found['wall_min']:>7.0f} "
              f"{found['cpu']:>9.0f} {found['cpu_min']:>8.0f}")


def test_cli_startup_benchmark(tmp_path: Path) -> None:
    run(tmp_path / "instance")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(Path(folder) / "instance")
