"""New revisions of a dossier's document: the debate moves to them.

`on_new_revision` listens to ingestion (connected by `kb.instance.open_instance`) and runs
inside its transaction. It is kept apart from the deposit of a revision
(`kb.workflow.revisions`), which needs the whole ingestion stack: every opened instance loads
this module, and a `kb search` should not load readers it never runs.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import Document, Dossier, User
from kb.workflow.store import latest_revision, lock_dossier, record_event, sync_document


def on_new_revision(session: Session, document: Document) -> None:
    """A new revision of `document` arrived (inside the ingestion's transaction): the debate
    moves to it; a validated text becomes `à réviser` and stays doctrine until a decision."""
    dossier_id = session.scalar(select(Dossier.id).where(
        Dossier.open_key == f"doctrine:{document.id}"))
    if dossier_id is None:
        return
    dossier = lock_dossier(session, None, dossier_id)
    before = dossier.state
    dossier.revision_number = latest_revision(session, document.id)
    dossier.round += 1
    if before == "valide":
        dossier.state = "a-reviser"
    elif before == "modifications-demandees":
        dossier.state = "en-debat"
    uploader = _uploader(session, document)
    record_event(session, dossier, uploader, "nouvelle-version", before,
                 f"Version {dossier.revision_number} du document déposée.")
    sync_document(session, dossier)


def _uploader(session: Session, document: Document) -> User | None:
    email = (document.extra or {}).get("uploaded_by")
    if not isinstance(email, str):
        return None
    return session.scalar(select(User).where(User.email == email.strip().lower()))
