"""The experience sheets' home page sections: the latest published, and one's own drafts."""

from __future__ import annotations

from kb.documents.listing import latest_documents
from kb.models.sheets import SHEET_STATE_LABELS
from kb.sheets.rules import can_write_sheets
from kb.sheets.writing import sheets_in_progress
from kb.visibility import Reader
from webui.common.context import instance

SHOWN = 5


def latest_section(reader: Reader) -> dict[str, object] | None:
    sheets = latest_documents(instance(), reader, ["fiche-experience"], SHOWN)
    return {"sheets": sheets} if sheets else None


def mine_section(reader: Reader) -> dict[str, object] | None:
    """Drafts and sheets in review the member writes or narrates (the narrator's approval)."""
    sheets = sheets_in_progress(instance(), reader, SHOWN)
    can_write = can_write_sheets(reader)
    if not sheets and not can_write:
        return None
    return {"sheets": sheets, "can_write": can_write, "user_id": reader.user_id,
            "state_labels": SHEET_STATE_LABELS}
