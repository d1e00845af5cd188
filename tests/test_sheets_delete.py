"""Deleting a sheet: only a draft never published, only by its author (or an administrator),
after a confirmation on the page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kb.accounts.users import reader_for
from kb.errors import Conflict, NotFound
from kb.models import Sheet, SheetRevision, User
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.states import publish, record_approval, submit_for_review
from kb.sheets.writing import create_sheet, delete_draft
from tests.conftest import Auth, csrf_token


def _sheet(app: Flask, accounts: dict[str, int], title: str) -> str:
    ctx = app.extensions["kb"]
    with ctx.sessions() as session:
        author = reader_for(session.get(User, accounts["maieuticien"]))
    content = SheetContent(title=title, authors=[Author("Lina")], narrative="Nous avons commencé.")
    return create_sheet(ctx, author, content, SheetSettings("public")).sheet.id


def test_a_draft_is_deleted_after_confirmation(app: Flask, client: FlaskClient, auth: Auth,
                                              accounts: dict[str, int]) -> None:
    sheet_id = _sheet(app, accounts, "Le jardin du collège")
    auth.login("maieuticien")
    page = client.get(f"/fiches/{sheet_id}").get_data(as_text=True)
    zone = page.split('class="danger-zone"', 1)[1]
    assert zone.index("<summary>Supprimer cette fiche…</summary>") < zone.index("/supprimer")
    response = client.post(f"/fiches/{sheet_id}/supprimer", data={
        "csrf_token": csrf_token(client, f"/fiches/{sheet_id}"), "version": "1"})
    assert response.location == "/fiches/"
    assert "Brouillon « Le jardin du collège » supprimé." in client.get("/fiches/").get_data(
        as_text=True).replace("&#39;", "'")
    with app.extensions["kb"].sessions() as session:
        assert session.get(Sheet, sheet_id) is None
        assert session.scalar(select(func.count()).select_from(SheetRevision)) == 0


def test_only_the_author_deletes_and_never_a_published_sheet(app: Flask,
                                                            accounts: dict[str, int]) -> None:
    ctx = app.extensions["kb"]
    sheet_id = _sheet(app, accounts, "La ressourcerie")
    with ctx.sessions() as session:
        author, other = (reader_for(session.get(User, accounts[r]))
                         for r in ("maieuticien", "allie"))
    with pytest.raises(NotFound):  # not even shown to another member
        delete_draft(ctx, other, sheet_id)
    sheet = submit_for_review(ctx, author, sheet_id, 1)
    sheet = record_approval(ctx, author, sheet_id, sheet.version, "Lina", None)
    publish(ctx, author, sheet_id, sheet.version)
    with pytest.raises(Conflict, match="déjà publiée"):
        delete_draft(ctx, author, sheet_id)
    with ctx.sessions() as session:
        assert session.get(Sheet, sheet_id) is not None
