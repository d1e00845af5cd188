"""« Mes fiches en cours »: one's own drafts and sheets in review, and those awaiting one's
approval as narrator; never someone else's, never a published one."""

from __future__ import annotations

from kb.context import KbContext
from kb.models import Sheet, User
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.states import publish, record_approval, submit_for_review
from kb.sheets.writing import create_sheet, sheets_in_progress
from kb.visibility import Reader


def _people(ctx: KbContext) -> dict[str, Reader]:
    readers = {}
    with ctx.sessions.begin() as session:
        for name, role in (("auteur", "maieuticien"), ("autre", "maieuticien"),
                           ("narratrice", "allie"), ("admin", "admin")):
            user = User(email=f"{name}@exemple.fr", password_hash="-", role=role,
                        display_name=name, groups=[])
            session.add(user)
            session.flush()
            readers[name] = Reader(user_id=user.id, roles=frozenset({role}))
    return readers


def _sheet(ctx: KbContext, author: Reader, title: str, narrator_id: int | None = None) -> Sheet:
    content = SheetContent(title=title, authors=[Author("Lina")],
                           narrative="Nous avons commencé.")
    return create_sheet(ctx, author, content, SheetSettings("membres", [], narrator_id)).sheet


def test_sheets_in_progress(ctx: KbContext) -> None:
    people = _people(ctx)
    author = people["auteur"]
    draft = _sheet(ctx, author, "Brouillon")
    in_review = _sheet(ctx, author, "En relecture", people["narratrice"].user_id)
    in_review = submit_for_review(ctx, author, in_review.id, in_review.version)
    published = _sheet(ctx, author, "Publiée")
    published = submit_for_review(ctx, author, published.id, published.version)
    published = record_approval(ctx, author, published.id, published.version, "Lina", None)
    publish(ctx, author, published.id, published.version)
    _sheet(ctx, people["autre"], "D'une autre")

    assert [s.title for s in sheets_in_progress(ctx, author)] == ["En relecture", "Brouillon"]
    assert [s.title for s in sheets_in_progress(ctx, author, limit=1)] == ["En relecture"]
    assert [s.id for s in sheets_in_progress(ctx, people["narratrice"])] == [in_review.id]
    # Administrators see every sheet on the sheets page; here, only their own work.
    assert sheets_in_progress(ctx, people["admin"]) == []
    assert sheets_in_progress(ctx, Reader.anonymous()) == []
    assert draft.id in {s.id for s in sheets_in_progress(ctx, author)}
