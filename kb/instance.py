"""An instance opened with its domains wired together: the composition root of `kb`.

The CLI and the web app open instances here. Domains that react to another domain's change
are connected here, explicitly, instead of importing each other: ingestion announces a new
revision, and the doctrine workflow moves the dossier's debate to it."""

from __future__ import annotations

from kb import db
from kb.config import Settings
from kb.context import KbContext
from kb.errors import NotFound
from kb.people.matching import ensure_scanned, watch_documents
from kb.workflow.new_revisions import on_new_revision


def open_instance(settings: Settings, migrate: bool = True) -> KbContext:
    """The instance of `settings`, migrated unless told otherwise, with its listeners."""
    ctx = KbContext.open(settings, migrate=migrate)
    ctx.revision_listeners.append(on_new_revision)
    # The directory of allies follows the names documents give, in their own transactions.
    watch_documents(ctx.sessions)
    if migrate:
        ensure_scanned(ctx)
    return ctx


def require_instance(settings: Settings) -> None:
    """Refuse to go on where no instance was made (`kb init`), instead of making an empty one."""
    if not db.holds_instance(settings):
        raise NotFound(f"aucune instance dans {settings.home}, lancez « kb init »")
