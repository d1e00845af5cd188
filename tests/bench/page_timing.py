"""Timing of the main pages through the Flask test client, shared by `bench_pages.py` and
its « before » half `before_8e237c2.py`: it needs nothing of kb but an app and the test
accounts, so that it runs unchanged on an older commit."""

from __future__ import annotations

import statistics
import time

from flask import Flask
from flask.testing import FlaskClient

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


def measure(client: FlaskClient, path: str) -> tuple[float, float, float]:
    """Median wall, 95th percentile wall and median processor milliseconds of one page."""
    walls, cpus = [], []
    for run in range(WARM_UP + RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if run >= WARM_UP:
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    p95 = statistics.quantiles(walls, n=20)[18]
    return statistics.median(walls), p95, statistics.median(cpus)


def signed_in(client: FlaskClient, who: str) -> FlaskClient:
    if who != "visiteur":
        response = client.post("/connexion", data={
            "email": ROLE_EMAILS[who], "password": PASSWORD,
            "csrf_token": csrf_token(client, "/connexion")})
        assert response.status_code == 302, f"connexion de {who} refusée"
    return client


def print_timings(app: Flask, public_document: str) -> None:
    """The table: one line per page and reader."""
    print(f"{'page':<24}{'lecteur':<12}{'médiane ms':>12}{'p95 ms':>10}{'CPU ms':>10}")
    for who in READERS:
        client = signed_in(app.test_client(), who)
        for name, path in pages(public_document).items():
            median, p95, cpu = measure(client, path)
            print(f"{name:<24}{who:<12}{median:>12.1f}{p95:>10.1f}{cpu:>10.1f}")
