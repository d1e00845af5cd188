"""Files that viewers and browsers accept, and kb reads too: a PDF after a few stray bytes,
HTML with a broken attribute quote or without `<html>`, right-to-left pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.readers.html import LENIENT_WARNING
from ingest.registry import detect_type, read_bytes, read_file
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.search.results import search_documents
from kb.visibility import Reader
from tests.filemakers import make_html, make_pdf_after_bytes

LINES = ["Le bocage de la Hague", "Les haies protègent les sols et abritent la faune."]


@pytest.mark.parametrize("prefix", [
    b"\xef\xbb\xbf", b"\x00\x00\x00\x00", b"X-Mailer: passerelle 2.1\r\n",
    b"Content-Type: application/pdf\r\n\r\n", b"-" * 900,
])
def test_a_pdf_after_stray_bytes_is_read(tmp_path: Path, prefix: bytes) -> None:
    path = make_pdf_after_bytes(tmp_path / "bocage.pdf", prefix, LINES, title="Le bocage")
    assert detect_type(path.read_bytes(), path.name) == "application/pdf"
    document = read_file(path)
    assert document.title == "Le bocage" and "Les haies protègent les sols" in document.text


def test_a_text_that_mentions_a_pdf_header_stays_a_text() -> None:
    data = b"Le format %PDF-1.7 est courant pour les comptes rendus.\n"
    assert detect_type(data, "note.txt") == "text/plain"
    assert detect_type(b"x" * 2000 + b"%PDF-1.7\n%%EOF", "") != "application/pdf"  # too far


@pytest.mark.parametrize(("body", "expected"), [
    ('<p class="intro>Bonjour, voici la cantine du village.</p><p>Elle sert 80 repas.</p>',
     ["Bonjour, voici la cantine du village.", "Elle sert 80 repas."]),
    ("<div id=a\"b\" class='x>Le bocage normand</div><p title=\"a\" \"b\">Les haies vives.</p>",
     ["Le bocage normand", "Les haies vives."]),
])
def test_html_with_a_broken_quote_gives_its_text(tmp_path: Path, body: str,
                                                 expected: list[str]) -> None:
    document = read_file(make_html(tmp_path / "page.html", body))
    assert document.text.split("\n\n") == expected
    assert LENIENT_WARNING in document.warnings


def test_a_sound_page_keeps_its_structure_and_drops_its_menus(tmp_path: Path) -> None:
    body = ('<nav><a href="/">Accueil</a> <a href="/plan">Plan du site et liens nombreux</a>'
            '</nav><main><h1>La cantine</h1><p title="a &gt; b">Elle sert 80 repas.</p></main>'
            "<footer>Mentions légales, contact, plan du site, crédits</footer>")
    document = read_file(make_html(tmp_path / "page.html", body))
    assert document.text == "La cantine\n\nElle sert 80 repas."
    assert document.sections[0].heading == "La cantine" and not document.warnings


def test_a_page_without_html_tag_nor_extension_is_html() -> None:
    data = "<h1>Compte rendu</h1>\n<p>Le conseil a voté le plan.</p>".encode()
    assert detect_type(data, "compte-rendu") == "text/html"
    document = read_bytes(data, "compte-rendu")
    assert document.title == "Compte rendu" and document.text.endswith("voté le plan.")
    assert detect_type(b"<p>Une note.</p>", "note.md") == "text/markdown"  # the suffix says


RTL = {
    "ar": ("مشروع الحديقة المشتركة", "أنشأ سكان الحي \u200fحديقة مشتركة\u200f في وسط المدينة."),
    "he": ("גינה קהילתית", "\u202bתושבי השכונה הקימו גינה קהילתית\u202c במרכז העיר."),
}


@pytest.mark.parametrize(("language", "encoding", "declared"), [
    ("ar", "utf-8", True), ("ar", "windows-1256", False), ("he", "utf-16", True),
    ("he", "utf-8", False),
])
def test_right_to_left_pages_give_their_text(tmp_path: Path, language: str, encoding: str,
                                             declared: bool) -> None:
    title, paragraph = RTL[language]
    path = make_html(tmp_path / "page.html", f"<h1>{title}</h1><p>{paragraph}</p>",
                     lang=language if declared else "", direction="rtl", encoding=encoding)
    document = read_file(path)
    assert document.title == title and document.language == language
    assert "\u200f" not in document.text and "\u202b" not in document.text
    assert paragraph.replace("\u200f", "").replace("\u202b", "").replace("\u202c", "") \
        in document.text


def test_such_files_are_ingested_and_found(ctx: KbContext, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf_after_bytes(folder / "bocage.pdf", b"X-Mailer: passerelle\r\n", LINES)
    make_html(folder / "cantine.html", '<p class="x>La cantine bio du village.</p>')
    make_html(folder / "jardin.html", f"<p>{RTL['ar'][1]}</p>", direction="rtl")
    report = ingest_paths(ctx, [folder])
    assert [o.status for o in report.outcomes] == ["added"] * 3, report.outcomes
    for query in ("haies", "cantine", "حديقة"):
        assert search_documents(ctx, Reader.operator(), query).total == 1, query
