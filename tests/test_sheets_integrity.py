"""Experience sheets say what they hold: an empty form is refused naming its fields,
suggesting themes saves nothing, one version number everywhere, and people listed with
their roles in the form, the DOCX/ODT files and the published document."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from html import unescape

import docx
import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from kb import db
from kb.config import Settings
from kb.context import KbContext
from kb.documents.reading import get_readable_document
from kb.errors import InvalidInput
from kb.models import Sheet
from kb.search.results import search_documents
from kb.sheets.content import Author, SheetContent
from kb.sheets.export import sheet_docx, sheet_odt
from kb.sheets.importing import sheet_from_docx
from kb.sheets.rules import MissingFields
from kb.sheets.states import publish, record_approval, submit_for_review
from kb.sheets.writing import create_sheet, get_sheet, save_draft
from kb.visibility import Reader
from tests.conftest import Auth
from tests.test_sheets import PUBLIC, People, content, published_sheet
from tests.test_sheets_web import new_form, sheets_in

pytest_plugins = ("tests.test_sheets",)
PEOPLE = [Author("Josiane Vidal", "élue à l'agriculture"), Author("Maïa Lucien", "maïeuticienne")]
LINE = "Josiane Vidal — élue à l'agriculture ; Maïa Lucien — maïeuticienne"


def test_an_empty_sheet_is_refused_naming_its_fields(ctx: KbContext, people: People) -> None:
    with pytest.raises(MissingFields) as empty:
        create_sheet(ctx, people.maieuticien, SheetContent(), PUBLIC)
    assert empty.value.fields[:3] == ["title", "authors", "context"]
    assert empty.value.message == ("Fiche non enregistrée : à remplir — titre, personnes, "
                                   "contexte, acteurs, récit, difficultés, enseignements.")
    with pytest.raises(MissingFields, match="à remplir — titre.$"):
        create_sheet(ctx, people.maieuticien, content(title="  "), PUBLIC)
    with pytest.raises(InvalidInput, match="le nom manque pour la personne n° 2 "
                                           "\\(rôle « maïeuticienne »\\)"):
        create_sheet(ctx, people.maieuticien,
                     content(authors=[Author("Josiane Vidal"), Author("", "maïeuticienne")]),
                     PUBLIC)
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(Sheet.id))) == 0


def test_people_with_roles_in_files_and_in_the_published_document(ctx: KbContext,
                                                                  people: People) -> None:
    sheet = create_sheet(ctx, people.maieuticien, content(authors=PEOPLE), PUBLIC).sheet
    stored = SheetContent.of(get_sheet(ctx, people.maieuticien, sheet.id))
    assert stored.authors == PEOPLE and stored.narrator == "Josiane Vidal"
    data = sheet_docx(stored, dt.datetime(2024, 1, 1))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Auteur·rice : Josiane Vidal — élue à l'agriculture" in paragraphs
    assert "Auteur·rice : Maïa Lucien — maïeuticienne" in paragraphs
    assert docx.Document(io.BytesIO(data)).core_properties.author == LINE
    assert sheet_from_docx(data).authors == PEOPLE  # read back as written
    odt = zipfile.ZipFile(io.BytesIO(sheet_odt(stored, dt.datetime(2024, 1, 1))))
    assert "Josiane Vidal — élue à l'agriculture" in odt.read("content.xml").decode()
    document_id = published_sheet(ctx, people.maieuticien).document_id
    document = get_readable_document(ctx, Reader.anonymous(), str(document_id))
    assert document.authors == ["Jean Santoni", "Aïcha Benali"]  # names only: facets stay clean
    assert document.extra["auteurs"] == [{"name": "Jean Santoni", "role": ""},
                                         {"name": "Aïcha Benali", "role": "maïeuticienne"}]
    assert document.extra["maieuticien"] == [{"name": "Aïcha Benali", "role": "maïeuticienne"}]
    page = search_documents(ctx, Reader.anonymous(), "", filters={"auteur": ["Jean Santoni"]})
    assert page.total == 1


def test_sheets_written_before_keep_their_people(ctx: KbContext) -> None:
    legacy = SheetContent.from_dict({"title": "Ancienne", "narrator": "Josiane Vidal, élue à "
                                     "l'agriculture", "maieuticien": "Maïa Lucien"})
    assert legacy.authors == [Author("Josiane Vidal", "élue à l'agriculture"),
                              Author("Maïa Lucien", "maïeuticien·ne")]
    old_docx = docx.Document()
    old_docx.add_paragraph("Une fiche d'avant", style="Title")
    old_docx.add_paragraph("Narrateur·rice : Hugo Maréchal")
    old_docx.add_paragraph("Maïeuticien·ne : Aïcha Benali")
    buffer = io.BytesIO()
    old_docx.save(buffer)
    assert sheet_from_docx(buffer.getvalue()).authors == [
        Author("Hugo Maréchal", "narrateur·rice"), Author("Aïcha Benali", "maïeuticien·ne")]


def test_migration_turns_the_two_fields_into_people(bare_settings: Settings) -> None:
    engine = db.make_engine(bare_settings)
    config = db.alembic_config(engine)
    command.upgrade(config, "0015")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (email, display_name, password_hash, role, groups, active, "
            "session_version, created_at, display_name_derived) VALUES ('m@e.fr', 'M', '-', "
            "'maieuticien', '[]', TRUE, 1, '2025-01-01 00:00:00', FALSE)"))
        connection.execute(text(
            "INSERT INTO sheets (id, title, territory, narrator, maieuticien, context, actors, "
            "narrative, difficulties, lessons, themes, unplaced, visibility, groups, state, "
            "version, owner_id, approved_by_name, approval_note, created_at, updated_at) "
            "VALUES ('s1', 'Fiche', '', 'Josiane Vidal, élue à l''agriculture', 'Maïa Lucien', "
            "'', '', '', '', '', '[]', '[]', 'membres', '[]', 'brouillon', 1, 1, '', '', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        authors = connection.execute(text("SELECT authors FROM sheets")).scalar_one()
    # psycopg reads JSON columns into Python values, sqlite3 gives the text.
    authors = json.loads(authors) if isinstance(authors, str) else authors
    assert authors == [{"name": "Josiane Vidal", "role": "élue à l'agriculture"},
                                   {"name": "Maïa Lucien", "role": "maïeuticien·ne"}]
    engine.dispose()


def test_an_empty_form_is_refused_beside_its_fields(client: FlaskClient, auth: Auth,
                                                    app: Flask) -> None:
    auth.login("maieuticien")
    page = client.get("/fiches/nouvelle").get_data(as_text=True)
    assert 'name="authors-1-role" type="text" value="maïeuticien·ne"' in page
    data = {key: "" for key in new_form(client)} | {
        key: value for key, value in new_form(client).items()
        if key in ("csrf_token", "client_key", "version", "visibility", "action")}
    refused = client.post("/fiches/nouvelle", data=data)
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and sheets_in(app) == []
    assert "à remplir — titre, personnes, contexte" in html
    assert re.search(r'id="title-err">À remplir pour enregistrer la fiche.', html)


def test_suggesting_themes_on_a_new_sheet_saves_nothing(client: FlaskClient, auth: Auth,
                                                        app: Flask) -> None:
    auth.login("maieuticien")
    data = new_form(client) | {"action": "suggest"}
    answer = client.post("/fiches/nouvelle", data=data)
    assert answer.status_code == 200 and sheets_in(app) == []
    assert data["narrative"] in unescape(answer.get_data(as_text=True))


def test_one_version_number_everywhere(client: FlaskClient, auth: Auth, app: Flask) -> None:
    auth.login("maieuticien")
    data = new_form(client)
    sheet_id = client.post("/fiches/nouvelle", data=data).location.split("/")[2]
    client.post(f"/fiches/{sheet_id}/modifier", data=dict(data, version="1", lessons="Une."))
    client.post(f"/fiches/{sheet_id}/modifier", data=dict(data, version="1", lessons="Deux."))
    shown = unescape(client.get(f"/fiches/{sheet_id}").get_data(as_text=True))
    assert "version 2" in shown and "n° " not in shown
    listed = re.findall(r'/versions/\d+">([^<]+)</a>', shown)
    assert listed == ["texte gardé à part", "version 2", "version 1"]
    assert "(fondé sur la version 1)" in shown
    html = unescape(client.post(f"/fiches/{sheet_id}/modifier", data=dict(
        data, version="1", lessons="Trois.")).get_data(as_text=True))
    assert "fondé sur la version 1" in html and "révision" not in html


def test_the_published_document_has_the_sheets_version(ctx: KbContext, people: People) -> None:
    who = people.maieuticien
    sheet = create_sheet(ctx, who, content(), PUBLIC).sheet
    for number, lessons in enumerate(("Une leçon.", "Deux leçons."), start=1):
        save_draft(ctx, who, sheet.id, content(lessons=lessons), PUBLIC, number)
    submit_for_review(ctx, who, sheet.id, 3)
    record_approval(ctx, who, sheet.id, 3, "", dt.date(2024, 1, 5))
    assert get_sheet(ctx, who, sheet.id).approved_by_name == "Jean Santoni"  # the first person
    document_id = publish(ctx, who, sheet.id, 3).document_id
    document = get_readable_document(ctx, Reader.anonymous(), str(document_id))
    assert [r.number for r in document.revisions] == [3]
