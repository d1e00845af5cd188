"""`GET /sante`: the instance's health for the host's monitoring, as JSON a visitor may see
(no path, no address, nothing about a document); 503 when the service cannot answer."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify

from kb.indexing.health import STALE_AFTER_S, check_health
from webui.common.context import instance

bp = Blueprint("health", __name__)


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@bp.get("/sante")
def health() -> tuple[Response, int]:
    found = check_health(instance())
    state = found.index
    body = {
        "status": found.status,
        "checked_at": _iso(found.checked_at),
        "database": {"reachable": found.database_reachable,
                     "schema_current": found.schema_current},
        "index": {
            "present": state is not None,
            "generation": state.generation if state else None,
            "commit": state.commit if state else None,
            "built_at": _iso(state.built_at) if state else None,
            "updated_at": _iso(state.updated_at) if state else None,
            "current": found.index_current,
            "pending": found.pending,
            "oldest_pending_seconds": round(found.oldest_pending_s, 1)
            if found.oldest_pending_s is not None else None,
            "stale_after_seconds": STALE_AFTER_S,
        },
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 503 if found.status == "down" else 200
