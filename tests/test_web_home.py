"""The home page as a portal: one search box, what the base holds (counts by kind linked to
the filtered search, doctrine, latest sheets, themes) and, for a signed-in member, their own
work; every list as the reader may see it."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kb.accounts.users import reader_for
from kb.catalogues.catalogue import create_catalogue
from kb.ingestion.batches import ingest_paths
from kb.models import Document, User
from kb.sheets.content import SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.writing import create_sheet
from kb.workflow.dossiers import act, propose_document
from tests.conftest import Auth


def page(client: FlaskClient) -> str:
    return html.unescape(client.get("/").get_data(as_text=True))


def section(text: str, heading_id: str) -> str:
    return text.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_visitors_see_what_the_base_holds_and_only_public_documents(corpus_app: Flask) -> None:
    client = corpus_app.test_client()
    text = page(client)
    assert text.count('role="search"') == 1
    kinds = dict(re.findall(r'type=([a-z-]+)&amp;tri=date"><span class="kind-count">(\d+)',
                            client.get("/").get_data(as_text=True)))
    assert set(kinds) == {"texte-fondateur", "fiche-experience", "proposition", "outil"}
    for kind, count in kinds.items():
        found = client.get(f"/recherche?type={kind}").get_data(as_text=True)
        assert f"{count} document" in found
    ctx = corpus_app.extensions["kb"]
    with ctx.sessions() as session:
        hidden = session.scalars(select(Document.title).where(
            Document.kind == "fiche-experience", Document.visibility != "public")).all()
    assert hidden
    sheets = section(text, "home-sheets")
    assert sheets.count("<li>") == 5
    assert not any(title in text for title in hidden)
    assert "Mon espace" not in text
    assert "Aucun texte n'a encore été validé" in section(text, "home-doctrine")


def test_members_see_their_own_work_first(app: Flask, client: FlaskClient, auth: Auth,
                                          accounts: dict[str, int], tmp_path: Path) -> None:
    ctx = app.extensions["kb"]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.md").write_text("---\ntitre: Note sur les communs\ntype: texte-fondateur\n"
                                    "visibilite: membres\n---\nLes communs.\n", encoding="utf-8")
    doc_id = ingest_paths(ctx, [folder]).outcomes[0].document_id
    with ctx.sessions() as session:
        readers = {role: reader_for(session.get(User, uid)) for role, uid in accounts.items()}
    create_sheet(ctx, readers["maieuticien"], SheetContent(title="Le jardin du collège"),
                 SheetSettings())
    dossier = propose_document(ctx, readers["allie"], doc_id, "Notre position commune.")
    act(ctx, readers["admin"], dossier.id, "ouvrir-debat")
    create_catalogue(ctx, readers["formateur"], {"title": "Journée ESS"})

    expected = {
        "maieuticien": ("home-my-sheets", "Le jardin du collège"),
        "collectif": ("home-dossiers", "Note sur les communs"),
        "allie": ("home-dossiers", "Note sur les communs"),  # their own proposal
        "formateur": ("home-catalogues", "Journée ESS"),
    }
    for role, (heading, title) in expected.items():
        auth.login(role)
        text = page(client)
        mine = text.split('id="home-mine"', 1)[1]
        assert title in section(mine, heading), role
        assert text.index('id="home-mine"') < text.index('id="home-kinds"')
        auth.logout()
    auth.login("collectif")
    assert "En attente de ma position" in section(page(client), "home-dossiers")
    auth.logout()
    auth.login("formateur")
    assert "home-my-sheets" not in page(client)
    assert "Note sur les communs" in section(page(client), "home-doctrine")  # a founding text
    auth.logout()
    assert "Note sur les communs" not in page(client)
