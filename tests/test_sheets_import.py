"""Sheets out to DOCX/ODT and back: same content, headings found, unplaced text reported."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest

from ingest.registry import read_bytes
from kb.accounts.users import create_user, reader_for
from kb.context import KbContext
from kb.errors import InvalidInput
from kb.ingestion.batches import ingest_paths
from kb.sheets.content import Author, SheetContent
from kb.sheets.export import sheet_docx, sheet_odt
from kb.sheets.importing import section_for_heading, sheet_from_docx, sheet_from_sections
from kb.sheets.states import adopt_document, publish, record_approval, submit_for_review
from kb.sheets.writing import get_sheet, save_draft
from kb.visibility import Reader
from tests.conftest import CORPUS
from tests.filemakers import make_docx

CREATED = dt.datetime(2024, 2, 1, 9, 30)
FULL = SheetContent(
    title="Tulle raconte sa transition", territory="Commune de Tulle",
    experience_date=dt.date(2023, 11, 1),
    authors=[Author("Hugo Maréchal", "élu à l'alimentation"),
             Author("Aïcha Benali", "maïeuticienne")],
    context="Tulle, 14 500 habitant·es.\nUne ville encaissée : la vallée de la Corrèze.\n\n"
            "En 2021, « vous faites des trucs » a lancé un habitant.",
    actors="- le maire et deux adjoint·e·s ;\n- la médiathèque Éric-Rohmer ;\n- 40 habitant·es",
    narrative="**1. Collecter.** Une cabine à récits : 312 témoignages.\n\n# pas un titre\n\n"
              "Total : 89 300 €",
    difficulties="La peur de l'instrumentalisation.", lessons="Rester fidèle.\u00a0Toujours !",
    themes=["mise en récit", "participation citoyenne", "culture"])


def test_docx_round_trip_gives_the_same_content() -> None:
    data = sheet_docx(FULL, CREATED)
    back = sheet_from_docx(data)
    assert back.unplaced == []
    assert back.same_words(FULL)
    assert back == FULL.normalized()
    assert sheet_docx(back, CREATED) == data, "and the same file again"


def test_empty_parts_and_fields_round_trip() -> None:
    sparse = SheetContent(title="Fiche courte", authors=[Author("Léa")],
                          narrative="Un seul paragraphe.")
    back = sheet_from_docx(sheet_docx(sparse, CREATED))
    assert back == sparse and back.unplaced == []


def test_odt_export_has_the_sheet_structure() -> None:
    extracted = read_bytes(sheet_odt(FULL, CREATED), "fiche.odt")
    assert extracted.headings == ["Contexte", "Acteurs", "Récit", "Difficultés", "Enseignements"]
    assert "Auteur·rice : Hugo Maréchal — élu à l'alimentation" in extracted.text
    assert "312 témoignages" in extracted.text
    assert extracted.metadata["title"] == "Tulle raconte sa transition"
    # The ODT carries the same sections a stored document would, so it reads back too.
    sections = [s.as_dict() for s in extracted.sections]
    back = sheet_from_sections("Tulle raconte sa transition", sections)
    assert back.unplaced == [] and back.authors == FULL.authors
    assert back.experience_date == dt.date(2023, 11, 1) and back.themes == FULL.themes
    assert "312 témoignages" in back.narrative and back.lessons.startswith("Rester fidèle")


def edited_docx() -> bytes:
    """What a narrator sends back after editing in Word: new heading names, a subheading,
    a Word bullet list, a heading typed in bold body text, and text outside any part."""
    document = docx.Document(io.BytesIO(sheet_docx(FULL, CREATED)))
    body = document.paragraphs
    body[-1].insert_paragraph_before("Nouvelle leçon ajoutée par Hugo.")
    document.add_paragraph("Annexe", style="Heading 1")
    document.add_paragraph("Merci à toute l'équipe municipale.")
    document.paragraphs[1].insert_paragraph_before("Note de relecture : voir avec Aïcha.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_edited_docx_keeps_every_word_and_reports_what_fits_nowhere() -> None:
    back = sheet_from_docx(edited_docx())
    assert "Nouvelle leçon ajoutée par Hugo." in back.lessons
    assert back.unplaced == ["Note de relecture : voir avec Aïcha.", "Annexe",
                             "Merci à toute l'équipe municipale."]
    assert back.narrative == FULL.narrative and back.territory == FULL.territory


def test_headings_are_found_by_name_level_and_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Une fiche écrite à la main", style="Title")
    document.add_paragraph("Territoire : Pays de Lunéville")
    document.add_paragraph("1. Le contexte", style="Heading 2")
    document.add_paragraph("Un pays rural.")
    document.add_paragraph("Acteurs impliqués", style="Heading 2")
    document.add_paragraph("Les élus", style="List Bullet")
    document.add_paragraph("Les entreprises", style="List Bullet")
    document.add_paragraph("Le récit", style="Heading 2")
    document.add_paragraph("Première étape", style="Heading 3")
    document.add_paragraph("On commence.")
    bold = document.add_paragraph()
    bold.add_run("Difficultés").bold = True
    document.add_paragraph("Le temps.")
    document.add_paragraph("Leçons apprises", style="Heading 2")
    document.add_paragraph("Persévérer.")
    buffer = io.BytesIO()
    document.save(buffer)
    back = sheet_from_docx(buffer.getvalue())
    assert back.unplaced == []
    assert (back.title, back.territory) == ("Une fiche écrite à la main", "Pays de Lunéville")
    assert back.actors == "- Les élus\n- Les entreprises"
    assert back.narrative == "Première étape\n\nOn commence."
    assert (back.context, back.difficulties, back.lessons) == (
        "Un pays rural.", "Le temps.", "Persévérer.")


def test_not_a_docx_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="DOCX"):
        sheet_from_docx(b"%PDF-1.7 pas un document Word")


@pytest.fixture
def maieuticien(ctx: KbContext) -> Reader:
    return reader_for(create_user(ctx, "aicha@exemple.fr", "motdepasse-solide", "maieuticien",
                                  "Aïcha"))


def test_ingested_docx_sheet_becomes_the_same_structured_sheet(
        ctx: KbContext, maieuticien: Reader, tmp_path: Path) -> None:
    folder = tmp_path / "sources" / "fiches"
    folder.mkdir(parents=True)
    (folder / "tulle.docx").write_bytes(sheet_docx(FULL, CREATED))
    report = ingest_paths(ctx, [tmp_path / "sources"])
    assert [o.status for o in report.outcomes] == ["added"]
    document_id = str(report.outcomes[0].document_id)
    sheet = adopt_document(ctx, maieuticien, document_id)
    assert SheetContent.of(sheet).same_words(FULL) and sheet.unplaced == []
    assert (sheet.state, sheet.document_id) == ("publiee", document_id)
    assert adopt_document(ctx, maieuticien, document_id).id == sheet.id, "adopted once"
    # Edited and republished, it stays the same document, with a new revision.
    save_draft(ctx, maieuticien, sheet.id, SheetContent(**{**FULL.__dict__,
               "lessons": "Une leçon de plus."}), _settings(sheet), 1)
    submit_for_review(ctx, maieuticien, sheet.id, 2)
    record_approval(ctx, maieuticien, sheet.id, 2, "Hugo Maréchal", None)
    document_after = publish(ctx, maieuticien, sheet.id, 2).document_id
    assert document_after == document_id
    assert get_sheet(ctx, maieuticien, sheet.id).published_version == 2


def _settings(sheet):  # type: ignore[no-untyped-def]
    from kb.sheets.rules import SheetSettings

    return SheetSettings(sheet.visibility, list(sheet.groups), sheet.narrator_user_id)


def _adopt_corpus_file(ctx: KbContext, reader: Reader, tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "sources" / "fiches"
    folder.mkdir(parents=True)
    source = CORPUS / "documents" / "fiches" / name
    (folder / name).write_bytes(source.read_bytes())
    sidecar = source.with_name(source.name.rsplit(".", 1)[0] + ".meta.yaml")
    if sidecar.exists():
        (folder / sidecar.name).write_bytes(sidecar.read_bytes())
    report = ingest_paths(ctx, [tmp_path / "sources"])
    document_id = str(report.outcomes[0].document_id)
    return adopt_document(ctx, reader, document_id), document_id


@pytest.mark.parametrize("name", ["fiche-a-cantines-pat-saint-amand-montrond.docx",
                                  "fiche-a-recits-habitants-tulle.odt",
                                  "fiche-a-cooperation-efc-pays-lunevillois.md"])
def test_corpus_sheets_in_every_format_are_structured(ctx: KbContext, maieuticien: Reader,
                                                      tmp_path: Path, name: str) -> None:
    sheet, _ = _adopt_corpus_file(ctx, maieuticien, tmp_path, name)
    assert sheet.unplaced == []
    for part in ("context", "actors", "narrative", "difficulties", "lessons"):
        assert len(getattr(sheet, part)) > 80, part
    assert sheet.authors and sheet.authors[0]["name"] and sheet.title


@pytest.mark.parametrize("name", ["fiche-a-mobilite-solidaire-vallee-du-loir.pdf",
                                  "fiche-b-ressourcerie-calvi-balagne.docx"])
def test_adopting_a_document_loses_no_paragraph(ctx: KbContext, maieuticien: Reader,
                                                tmp_path: Path, name: str) -> None:
    """Whatever the extraction gave (a PDF may lose its headings), each paragraph lands in
    a part, a descriptive field or the unplaced list."""
    from kb.documents.reading import get_readable_document

    sheet, document_id = _adopt_corpus_file(ctx, maieuticien, tmp_path, name)
    document = get_readable_document(ctx, maieuticien, document_id)
    placed = "\n".join([sheet.title, sheet.territory, *(a["name"] for a in sheet.authors),
                        *(a["role"] for a in sheet.authors),
                        " ; ".join(sheet.themes), *sheet.unplaced,
                        sheet.context, sheet.actors, sheet.narrative, sheet.difficulties,
                        sheet.lessons])
    flat = " ".join(placed.split())
    for section in document.sections:
        for paragraph in section["paragraphs"]:
            words = " ".join(str(paragraph).lstrip("•- ").split())
            if section_for_heading(words):
                continue  # a heading written as a paragraph: it became the structure
            assert words in flat or words.split(" : ", 1)[-1] in flat, paragraph


def test_a_docx_with_other_headings_cannot_hide_text(ctx: KbContext, maieuticien: Reader,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "sources" / "fiches"
    folder.mkdir(parents=True)
    make_docx(folder / "libre.docx", "Une fiche libre", ["Intro hors trame.", "Le récit vrai."],
              headings={0: "Préambule", 1: "Récit"})
    report = ingest_paths(ctx, [tmp_path / "sources"])
    sheet = adopt_document(ctx, maieuticien, str(report.outcomes[0].document_id))
    assert sheet.narrative == "Le récit vrai."
    assert sheet.unplaced == ["Préambule", "Intro hors trame."]


def test_a_decompression_bomb_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="refusé"):
        sheet_from_docx(buffer.getvalue())
