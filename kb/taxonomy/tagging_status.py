"""The outcome of the automatic tagging that follows a web upload, kept per document.

The web app tags uploads after answering (spaCy's load must not be waited for): the state
goes from `en-attente` to `en-cours`, then `fait` or `echec` with its error, so that the
document page and `kb check` can tell, and `kb check --repair` can tag again. A state left
`en-attente` or `en-cours` longer than `STALE_AFTER` was interrupted (the server stopped).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import or_, select

from kb.context import KbContext
from kb.models import TaggingStatus, utcnow
from kb.taxonomy.tagging import tag_documents

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(hours=1)


def _set(ctx: KbContext, ids: list[str], state: str, message: str = "") -> None:
    with ctx.sessions.begin() as session:
        for doc_id in ids:
            status = session.get(TaggingStatus, doc_id) or TaggingStatus(document_id=doc_id)
            status.state, status.message, status.updated_at = state, message, utcnow()
            session.add(status)


def queue_tagging(ctx: KbContext, ids: Iterable[str]) -> list[str]:
    """Record that these documents are to be tagged in the background; returns the ids."""
    ids = list(dict.fromkeys(ids))
    _set(ctx, ids, "en-attente")
    return ids


def tag_and_record(ctx: KbContext, ids: list[str]) -> bool:
    """Tag the documents and record the outcome; an error is recorded, never raised."""
    _set(ctx, ids, "en-cours")
    try:
        report = tag_documents(ctx, ids)
    except Exception as exc:  # noqa: BLE001 - recorded for the page and `kb check`
        log.exception("background tagging failed for %s", ", ".join(ids))
        _set(ctx, ids, "echec", f"{type(exc).__name__} : {exc}"[:2000])
        return False
    _set(ctx, ids, "fait", f"{report.suggested} thème(s) proposé(s) pour {report.documents} "
                           "document(s)")
    return True


def tagging_state(ctx: KbContext, doc_id: str) -> TaggingStatus | None:
    with ctx.sessions() as session:
        return session.get(TaggingStatus, doc_id)


def is_interrupted(status: TaggingStatus, now: dt.datetime | None = None) -> bool:
    return status.state in ("en-attente", "en-cours") \
        and (now or utcnow()) - status.updated_at > STALE_AFTER


def tagging_problems(ctx: KbContext) -> list[TaggingStatus]:
    """Documents whose background tagging failed or was interrupted."""
    now = utcnow()
    with ctx.sessions() as session:
        rows = session.scalars(select(TaggingStatus).where(or_(
            TaggingStatus.state == "echec",
            TaggingStatus.updated_at < now - STALE_AFTER)).order_by(TaggingStatus.updated_at))
        return [row for row in rows if row.state == "echec" or is_interrupted(row, now)]


def repair_tagging(ctx: KbContext) -> int:
    """Tag again the documents whose background tagging failed; returns how many remain."""
    problems = [row.document_id for row in tagging_problems(ctx)]
    if problems:
        tag_and_record(ctx, problems)
    return len(tagging_problems(ctx))
