"""Storage primitives of the workflow: the dossier lock, history events, document status.

Every change to a dossier goes through `lock_dossier` first: its conditional UPDATE of the
version column is the transaction's first write, so SQLite serialises concurrent changes
and a change made from a stale page (an older `version`) fails as one clean `Conflict`.
Events are only ever added; nothing here updates or deletes them.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.indexing.sync import index_pending
from kb.models import Document, Dossier, DossierEvent, Revision, User, utcnow
from kb.visibility import Reader, can_read

MAX_TEXT = 10_000
STALE = ("Le dossier a changé depuis l'affichage de la page (une autre action ou décision "
         "vient d'être enregistrée) : rechargez-la avant de recommencer.")
SYSTEM_NAME = "kb (dépôt d'une nouvelle version)"


def clean_text(value: str | None, field: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field} : obligatoire")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{field} : {MAX_TEXT} caractères au plus")
    return text


def acting_user(session: Session, reader: Reader) -> User:
    """The active account behind `reader`; the workflow's actions always name a person."""
    user = session.get(User, reader.user_id) if reader.user_id is not None else None
    if user is None or not user.active:
        raise Forbidden("Connectez-vous avec un compte actif pour agir sur un dossier.")
    return user


def dossier_visible(session: Session, reader: Reader, dossier: Dossier) -> bool:
    """Members see dossiers; a doctrine dossier also needs its document to be readable."""
    if not reader.is_member:
        return False
    if dossier.document_id is None:
        return dossier.kind != "doctrine" or reader.sees_everything or "admin" in reader.roles
    document = session.get(Document, dossier.document_id)
    return document is not None and can_read(reader, document.visibility, document.groups)


def bump_version(session: Session, dossier_id: str, version: int | None = None) -> int:
    statement = update(Dossier).where(Dossier.id == dossier_id)
    if version is not None:
        statement = statement.where(Dossier.version == version)
    result = session.execute(statement.values(version=Dossier.version + 1, updated_at=utcnow())
                             .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def lock_dossier(session: Session, reader: Reader | None, dossier_id: str,
                 version: int | None = None) -> Dossier:
    """The dossier, write-locked and fresh; `NotFound` if hidden, `Conflict` if stale."""
    changed = bump_version(session, dossier_id, version)
    dossier = session.get(Dossier, dossier_id, populate_existing=True)
    if dossier is None or (reader is not None and not dossier_visible(session, reader, dossier)):
        raise NotFound("Dossier introuvable.")
    if not changed:
        raise Conflict(STALE)
    return dossier


def record_event(session: Session, dossier: Dossier, user: User | None, action: str,
                 from_state: str | None, comment: str = "",
                 data: dict[str, object] | None = None, actor_name: str = "") -> DossierEvent:
    event = DossierEvent(
        dossier_id=dossier.id, at=utcnow(), actor_id=user.id if user else None,
        actor_name=(user.name if user else actor_name or SYSTEM_NAME)[:200], action=action,
        from_state=from_state, to_state=dossier.state, revision_number=dossier.revision_number,
        comment=comment, data=data or {})
    session.add(event)
    return event


def open_dossier(session: Session, dossier: Dossier, user: User) -> Dossier:
    """Add a new dossier and its first event; one open dossier per subject."""
    if session.scalar(select(Dossier.id).where(Dossier.open_key == dossier.open_key)):
        raise Conflict("Un dossier est déjà ouvert pour ce sujet : suivez-le ou rouvrez-le "
                       "plutôt que d'en ouvrir un second.")
    session.add(dossier)
    try:
        session.flush()
    except IntegrityError as exc:  # the same proposal made at the same moment
        raise Conflict("Un dossier vient d'être ouvert pour ce sujet.") from exc
    record_event(session, dossier, user, "proposition", None, dossier.motivation)
    return dossier


def latest_revision(session: Session, doc_id: str) -> int | None:
    """The newest revision number of a document (pending inserts are flushed first)."""
    return session.scalar(select(func.max(Revision.number)).where(Revision.document_id == doc_id))


def doctrine_status(dossier: Dossier) -> str:
    """The document's status for a dossier's state; a validated text stays visible as such
    (`a-reviser`) while it is debated again, until a new decision."""
    if dossier.state == "valide":
        return "doctrine"
    if dossier.state in ("non-retenu", "retire"):
        return "non-retenu" if dossier.state == "non-retenu" else "aucun"
    if dossier.decided_revision is not None:
        return "a-reviser"
    return "propose" if dossier.state == "propose" else "en-debat"


def sync_document(session: Session, dossier: Dossier) -> None:
    """Set the document's doctrine status in the same transaction, flagged for the index."""
    if dossier.kind != "doctrine" or dossier.document_id is None:
        return
    document = session.get(Document, dossier.document_id)
    status = doctrine_status(dossier)
    if document is not None and document.doctrine_status != status:
        document.doctrine_status = status
        document.updated_at = utcnow()
        document.index_pending = True


def reindex(ctx: KbContext, dossier: Dossier) -> None:
    """After commit: push the document's new status to the index (`kb check` repairs)."""
    if dossier.kind == "doctrine" and dossier.document_id is not None:
        index_pending(ctx, [dossier.document_id])
