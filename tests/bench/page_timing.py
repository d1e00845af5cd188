"""Timing of the main pages through the Flask test client, shared by `bench_pages.py` and
its « before » half `before_8e237c2.py`: it needs nothing of kb but an app and the test
accounts, so that it runs unchanged on an older commit."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.conftest import PASSWORD, ROLE_EMAILS, csrf_token

WARM_UP, RUNS = 5, 40
SEEDED_MARK = "bench-seeded"
READERS = ("visiteur", "collectif")


def pages(public_document: str) -> dict[str, str]:
    return {
        "accueil": "/",
        "recherche + facettes": "/recherche?q=territoire&type=fiche-experience",
        "document": f"/documents/{public_document}",
        "thèmes": "/taxonomie/",
    }


@dataclass
class Timing:
    """Milliseconds of one page: median and 95th percentile of the wall time, median of the
    processor time; and the SQL statements one request runs (the same on any machine)."""

    median: float
    p95: float
    cpu: float
    statements: int


def measure(client: FlaskClient, path: str) -> Timing:
    engine = client.application.extensions["kb"].engine
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    walls, cpus = [], []
    for run in range(WARM_UP + RUNS):
        if run == WARM_UP:
            event.listen(engine, "before_cursor_execute", count)
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if run >= WARM_UP:
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    event.remove(engine, "before_cursor_execute", count)
    return Timing(statistics.median(walls), statistics.quantiles(walls, n=20)[18],
                  statistics.median(cpus), round(statements[0] / RUNS))


def signed_in(client: FlaskClient, who: str) -> FlaskClient:
    if who != "visiteur":
        response = client.post("/connexion", data={
            "email": ROLE_EMAILS[who], "password": PASSWORD,
            "csrf_token": csrf_token(client, "/connexion")})
        assert response.status_code == 302, f"connexion de {who} refusée"
    return client


def print_timings(app: Flask, public_document: str) -> None:
    """The table: one line per page and reader."""
    print(f"{'page':<24}{'lecteur':<12}{'médiane ms':>12}{'p95 ms':>10}{'CPU ms':>10}"
          f"{'SQL':>6}")
    for who in READERS:
        client = signed_in(app.test_client(), who)
        for name, path in pages(public_document).items():
            t = measure(client, path)
            print(f"{name:<24}{who:<12}{t.median:>12.1f}{t.p95:>10.1f}{t.cpu:>10.1f}"
                  f"{t.statements:>6}")
