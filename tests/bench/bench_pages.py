"""Server time of the pages people open most: home, search with facets, a document page,
as a visitor and as a signed-in member of the collective, on the seeded corpus instance
(`tests/seed.py`: shipped corpus and taxonomy, doctrine, sheets, a catalogue).

Run `.venv/bin/python -m tests.bench.bench_pages [HOME]` (HOME: an instance folder to seed
once and reuse between runs, so that before/after figures compare the same instance), or
`make bench`. Each page is requested through the Flask test client 5 times to warm up, then
40 times; prints the median wall and processor milliseconds. Asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

from kb.config import Settings
from kb.instance import open_instance
from tests.conftest import PASSWORD, ROLE_EMAILS, csrf_token
from tests.seed import seed_instance

WARM_UP, RUNS = 5, 40
SEEDED_MARK = "bench-seeded"


def pages(public_document: str) -> dict[str, str]:
    return {
        "accueil": "/",
        "recherche + facettes": "/recherche?q=territoire&type=fiche-experience",
        "document": f"/documents/{public_document}",
    }


def measure(client: FlaskClient, path: str) -> tuple[float, float]:
    """Median (wall, processor) milliseconds of one page."""
    walls, cpus = [], []
    for run in range(WARM_UP + RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if run >= WARM_UP:
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def seeded_home(home: Path) -> str:
    """Seed the instance once; returns the public document's id."""
    mark = home / SEEDED_MARK
    if not mark.exists():
        ctx = open_instance(Settings.for_home(home))
        seeded = seed_instance(ctx)
        ctx.close()
        mark.write_text(seeded.public_document, encoding="utf-8")
    return mark.read_text(encoding="utf-8").strip()


def run(home: Path) -> None:
    from webui.app import create_app

    document = seeded_home(home)
    app = create_app(Settings.for_home(home))
    print(f"{'page':<24}{'lecteur':<12}{'médiane ms':>12}{'CPU ms':>10}")
    for who in ("visiteur", "collectif"):
        client = app.test_client()
        if who != "visiteur":
            client.post("/connexion", data={"email": ROLE_EMAILS[who], "password": PASSWORD,
                                            "csrf_token": csrf_token(client, "/connexion")})
        for name, path in pages(document).items():
            wall, cpu = measure(client, path)
            print(f"{name:<24}{who:<12}{wall:>12.1f}{cpu:>10.1f}")
    app.extensions["kb_tasks"].shutdown()
    app.extensions["kb"].close()


def test_pages_benchmark(tmp_path: Path) -> None:
    run(tmp_path / "instance")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(Path(folder) / "instance")
