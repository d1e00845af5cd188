"""`GET /sante`: database reachable, index generation and freshness, safe for a visitor."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from indexer.index.store import IndexState
from kb.context import KbContext
from kb.indexing.health import STALE_AFTER_S, Health
from kb.indexing.sync import rebuild_index
from kb.ingestion.batches import ingest_paths
from kb.models import Document, utcnow


def ingest_note(ctx: KbContext, folder: Path) -> None:
    folder.mkdir()
    (folder / "note.txt").write_text("Titre : Note\n\nLes haies champêtres.\n", encoding="utf-8")
    assert not ingest_paths(ctx, [folder]).failed


def test_a_fresh_instance_is_healthy(client: FlaskClient) -> None:
    response = client.get("/sante")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"reachable": True, "schema_current": True}
    index = body["index"]
    assert index["present"] and index["current"] and index["generation"] == 1
    assert index["pending"] == 0 and index["oldest_pending_seconds"] is None
    assert response.headers["Cache-Control"] == "no-store"


def test_generation_commits_and_lagging_changes(app: Flask, client: FlaskClient,
                                                 tmp_path: Path) -> None:
    ctx: KbContext = app.extensions["kb"]
    before = client.get("/sante").get_json()["index"]
    ingest_note(ctx, tmp_path / "docs")
    after = client.get("/sante").get_json()["index"]
    assert after["commit"] > before["commit"] and after["updated_at"] >= before["updated_at"]
    old = utcnow() - dt.timedelta(seconds=STALE_AFTER_S + 60)
    with ctx.sessions.begin() as session:  # a change the index has not taken for too long
        session.execute(update(Document).values(index_pending=True, updated_at=old))
    body = client.get("/sante").get_json()
    assert body["status"] == "degraded"
    assert body["index"]["pending"] == 1
    assert body["index"]["oldest_pending_seconds"] > STALE_AFTER_S
    rebuild_index(ctx)
    body = client.get("/sante").get_json()
    assert body["status"] == "ok" and body["index"]["generation"] == 2
    assert body["index"]["pending"] == 0


def test_without_index_the_service_is_down(app: Flask, client: FlaskClient) -> None:
    ctx: KbContext = app.extensions["kb"]
    shutil.rmtree(ctx.settings.index_dir)
    response = client.get("/sante")
    assert response.status_code == 503
    assert response.get_json()["status"] == "down"


def test_nothing_private_is_told(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    ctx: KbContext = app.extensions["kb"]
    ingest_note(ctx, tmp_path / "docs")
    text = json.dumps(client.get("/sante").get_json())
    for secret in (str(tmp_path), "sqlite", "note", "Note", "@", app.config["SECRET_KEY"]):
        assert secret not in text


def test_status_rule() -> None:
    now = utcnow()
    no_index = Health(database_reachable=True, schema_current=True, index=None,
                      index_current=False, pending=0, oldest_pending_s=None, checked_at=now)
    assert no_index.status == "down"
    state = IndexState(1, 1, dt.datetime.now(dt.UTC), dt.datetime.now(dt.UTC))
    up = Health(True, True, state, True, 2, 10.0, now)
    assert up.status == "ok"
    assert Health(False, False, state, True, 0, None, now).status == "down"
    assert Health(True, False, state, True, 0, None, now).status == "degraded"
    assert Health(True, True, state, False, 0, None, now).status == "degraded"
    assert Health(True, True, state, True, 1, STALE_AFTER_S + 1.0, now).status == "degraded"
