"""A new revision deposited by the proposer, in answer to requested changes: stored through
ingestion, whose listener (`kb.workflow.new_revisions`) moves the debate to it."""

from __future__ import annotations

from sqlalchemy import select

from ingest.model import ReadError
from kb.context import KbContext
from kb.errors import InvalidInput, NotFound, TooLarge
from kb.indexing.sync import index_pending
from kb.ingestion.store import Candidate, StoreOptions, store_entry
from kb.models import Document, Dossier, SourceRecord
from kb.visibility import Reader
from kb.workflow.store import acting_user, dossier_visible, latest_revision
from kb.workflow.transitions import check_transition


def submit_revision(ctx: KbContext, reader: Reader, dossier_id: str, filename: str,
                    data: bytes) -> int:
    """Store `data` as the document's next revision through ingestion, which moves the
    debate to it (`on_new_revision`); returns the new revision number."""
    if len(data) > ctx.settings.max_file_bytes:
        raise TooLarge(f"{filename} : fichier trop volumineux")
    with ctx.sessions.begin() as session:
        user = acting_user(session, reader)
        dossier = session.get(Dossier, dossier_id)
        if dossier is None or not dossier_visible(session, reader, dossier):
            raise NotFound("Dossier introuvable.")
        check_transition("deposer-version", dossier, user)
        document = session.get(Document, dossier.document_id or "")
        if document is None:
            raise NotFound("Le document de ce dossier n'existe plus.")
        record = session.scalar(select(SourceRecord).where(
            SourceRecord.source_key == document.source_key))
        # Curated metadata and access rules survive the new file.
        keep = {"auteurs": document.authors, "themes": document.themes,
                "territoire": document.territory or ""}
        overrides = {"visibilite": document.visibility, "type": document.kind,
                     "groupes": document.groups, "uploaded_by": user.email}
        candidate = Candidate(
            document.source_key, filename, data, record.root if record else None,
            record.path if record else document.source_key, document.source_key,
            sidecar={k: v for k, v in keep.items() if v} or None, overrides=overrides)
        try:
            outcome = store_entry(session, ctx, candidate, StoreOptions())
        except ReadError as exc:
            raise InvalidInput(f"{filename} : {exc.reason}") from exc
        if outcome.status != "updated" or outcome.message != "nouvelle révision":
            raise InvalidInput(f"{filename} : identique à la version en débat, rien à déposer")
        number = latest_revision(session, document.id) or 1
        doc_id = document.id
    index_pending(ctx, [doc_id])
    return number
