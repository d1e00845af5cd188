"""The instance's health, for the host's monitoring: the database answers, and the index in
service is current and keeps up with the changes made to the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from indexer.index.store import IndexState
from kb import db
from kb.context import KbContext
from kb.models import Document, IndexRemoval, utcnow

# A change still waiting for the index after this long means the index is not keeping up.
STALE_AFTER_S = 300


@dataclass(frozen=True)
class Health:
    """What `/sante` reports; nothing in it names a document, a person or a path."""

    database_reachable: bool
    schema_current: bool
    index: IndexState | None
    index_current: bool
    pending: int
    oldest_pending_s: float | None
    checked_at: dt.datetime

    @property
    def status(self) -> str:
        """`ok`; `degraded` (serving, but the index lags or awaits a rebuild); `down`."""
        if not self.database_reachable or self.index is None:
            return "down"
        lagging = self.oldest_pending_s is not None and self.oldest_pending_s > STALE_AFTER_S
        if lagging or not self.index_current or not self.schema_current:
            return "degraded"
        return "ok"


def check_health(ctx: KbContext) -> Health:
    now = utcnow()
    reachable, schema_current, pending, oldest = True, False, 0, None
    try:
        with ctx.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        schema_current = db.current_revision(ctx.engine) == db.newest_revision()
        with ctx.sessions() as session:
            flagged, oldest_change = session.execute(
                select(func.count(Document.id), func.min(Document.updated_at))
                .where(Document.index_pending.is_(True))).one()
            removals, oldest_removal = session.execute(
                select(func.count(IndexRemoval.document_id), func.min(IndexRemoval.removed_at))
            ).one()
        pending = flagged + removals
        starts = [t for t in (oldest_change, oldest_removal) if t is not None]
        oldest = (now - min(starts)).total_seconds() if starts else None
    except SQLAlchemyError:
        reachable = False
    state = ctx.index.state()
    return Health(database_reachable=reachable, schema_current=schema_current, index=state,
                  index_current=state is not None and not ctx.index.needs_rebuild(),
                  pending=pending, oldest_pending_s=oldest, checked_at=now)
