"""Everything an instance needs at run time, built once from `Settings` and passed along."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from indexer.index.store import IndexStore
from kb import db
from kb.config import Settings
from kb.models import Document
from kb.storage import OriginalStore


@dataclass
class KbContext:
    """Settings, database sessions, the index and the originals store of one instance."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    index: IndexStore
    originals: OriginalStore
    # Called inside the ingestion's transaction when a document gets a new revision;
    # `kb.instance.open_instance` connects the domains that react to it.
    revision_listeners: list[Callable[[Session, Document], None]] = field(default_factory=list)

    @classmethod
    def open(cls, settings: Settings, migrate: bool = True) -> KbContext:
        engine = db.make_engine(settings)
        db.check_connection(engine)
        if migrate:
            db.upgrade(engine)
        return cls(
            settings=settings,
            engine=engine,
            sessions=db.make_session_factory(engine),
            index=IndexStore(settings.index_dir),
            originals=OriginalStore(settings.originals_dir),
        )

    def close(self) -> None:
        self.engine.dispose()
