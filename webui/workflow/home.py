"""The workflow's home page sections: the doctrine, and the signed-in member's dossiers."""

from __future__ import annotations

from kb.documents.listing import latest_documents
from kb.visibility import Reader
from kb.workflow.fundamentals import latest_doctrine
from kb.workflow.queries import inbox, my_open_proposals
from webui.common.context import current_user, instance

SHOWN = 5


def doctrine_section(reader: Reader) -> dict[str, object] | None:
    """The latest validated texts; before any validation, the latest founding texts."""
    validated = latest_doctrine(instance(), reader, SHOWN)
    founding = [] if validated else latest_documents(instance(), reader, ["texte-fondateur"],
                                                     SHOWN)
    if not validated and not founding:
        return None
    return {"validated": validated, "founding": founding}


def dossiers_section(reader: Reader) -> dict[str, object] | None:
    """Debates awaiting the member's position, objections answered, dossiers ready for a
    decision (administrators), and their own proposals still open."""
    user = current_user()
    if user is None:
        return None
    box = inbox(instance(), reader)
    proposals = my_open_proposals(instance(), reader, SHOWN)
    in_collective = user.role == "collectif" or "collectif" in user.groups
    if not (in_collective or box.ready or box.my_objections or proposals):
        return None
    return {"box": box, "proposals": proposals, "in_collective": in_collective}
