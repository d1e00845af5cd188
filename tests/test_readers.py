"""Readers on real files of each format: text, structure, metadata and clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest import ReadError, detect_type, read_bytes, read_file
from ingest.resolve import resolve_metadata
from tests.filemakers import make_docx, make_image_only_pdf, make_odt, make_pdf


def test_markdown_front_matter_in_french(tmp_path: Path) -> None:
    path = tmp_path / "fiche.md"
    path.write_text(
        "---\ntitre: « Cœur de village »\ntype: Fiche d’expérience\nauteurs:\n  - A. Martin\n"
        "  - B. Durand\ndate: 2021-03-15\nterritoire: PETR du Pays de Langres\n"
        "visibilite: membres\n---\n# Cœur de village\n\n## Contexte\n\nLe **bourg** se vide.\n\n"
        "- premier point\n- second point\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        encoding="utf-8")
    document = read_file(path)
    meta = resolve_metadata(document, "fiches/fiche.md")
    assert meta.title == "« Cœur de village »"
    assert meta.kind == "fiche-experience"
    assert meta.authors == ["A. Martin", "B. Durand"]
    assert meta.date == dt.date(2021, 3, 15)
    assert meta.territory == "PETR du Pays de Langres"
    assert meta.visibility == "membres"
    assert document.headings == ["Cœur de village", "Contexte"]
    assert "Le bourg se vide." in document.text and "**" not in document.text
    assert "• premier point" in document.text and "1 | 2" in document.text


def test_markdown_english_keys_and_invalid_yaml(tmp_path: Path) -> None:
    doc = read_bytes(b"---\ntitle: Toolkit\nkind: tool\nauthor: Jo\ndate: 12/05/2020\n---\n"
                     b"Texte.\n", "x.md")
    meta = resolve_metadata(doc, "x.md")
    assert (meta.title, meta.kind, meta.authors, meta.date) == (
        "Toolkit", "outil", ["Jo"], dt.date(2020, 5, 12))
    with pytest.raises(ReadError) as error:
        read_bytes(b"---\ntitre: [non ferme\n---\ncorps\n", "casse.md")
    assert "casse.md" in str(error.value) and "YAML" in str(error.value)


def test_text_windows_1252_and_free_header() -> None:
    data = "Titre : Économie sociale\nAuteur : Zoé Lœuvre\n\nL’ESS crée des emplois.".encode(
        "cp1252")
    document = read_bytes(data, "ess.txt")
    meta = resolve_metadata(document, "ess.txt")
    assert meta.title == "Économie sociale"
    assert meta.authors == ["Zoé Lœuvre"]
    assert "L’ESS crée des emplois." in document.text
    assert any("cp1252" in w for w in document.warnings)


def test_text_utf16_with_bom() -> None:
    document = read_bytes("Les allié·e·s coopèrent.".encode("utf-16"), "a.txt")
    assert document.text == "Les allié·e·s coopèrent."


def test_pdf_text_metadata_and_folder_kind(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "note.pdf",
                    [["Première page : l'économie", "de la fonctionnalité."],
                     ["Seconde page œuvre commune."]],
                    title="Note EFC", author="Aïcha Benali; Jean Roux", keywords="EFC, ESS")
    document = read_file(path)
    meta = resolve_metadata(document, "propositions/note.pdf")
    assert document.page_count == 2
    assert meta.title == "Note EFC" and meta.kind == "proposition"
    assert meta.authors == ["Aïcha Benali", "Jean Roux"]
    assert "fonctionnalité" in document.text and "œuvre" in document.text


def test_pdf_without_text_is_kept_with_a_warning(tmp_path: Path) -> None:
    document = read_file(make_image_only_pdf(tmp_path / "scan.pdf"))
    assert document.text == ""
    assert "OCR" in " ".join(document.warnings)
    assert document.metadata["title"] == "Scan de la délibération"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("vide.pdf", b"", "fichier vide"),
        ("tronque.pdf", b"%PDF-1.4\n1 0 obj <<", "PDF corrompu"),
        ("faux.docx", b"ceci n'est pas un document Word", "ne correspond pas"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n0000", "ne correspond pas"),
        ("binaire.txt", b"\x00\x01\x02\x03" * 100, "encodage"),
    ],
)
def test_broken_files_get_a_clear_error(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(ReadError) as error:
        read_bytes(data, name)
    assert name in str(error.value)
    assert expected in str(error.value)


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", [["Confidentiel"]], encrypt_password="motdepasse")
    with pytest.raises(ReadError) as error:
        read_file(path)
    assert "mot de passe" in str(error.value)


def test_docx_headings_table_and_properties(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "outil.docx", "Atelier fresque",
                     ["Objectifs de l'atelier.", "Déroulé en trois temps."],
                     headings={1: "Déroulé"}, author="Claire Fontaine",
                     keywords="mise en récit; culture", created=dt.datetime(2023, 1, 9),
                     table=[["Étape", "Durée"], ["Accueil", "15 min"]])
    document = read_file(path)
    meta = resolve_metadata(document, "outils/outil.docx")
    assert detect_type(path.read_bytes(), "outil.docx").endswith("wordprocessingml.document")
    assert meta.title == "Atelier fresque" and meta.kind == "outil"
    assert meta.date == dt.date(2023, 1, 9)
    assert meta.themes == ["mise en récit", "culture"]
    assert "Déroulé" in document.headings
    assert "Accueil | 15 min" in document.text


def test_odt_text_and_meta(tmp_path: Path) -> None:
    path = make_odt(tmp_path / "crte.odt", "Note CRTE",
                    [("h1", "Note CRTE"), ("p", "Le contrat de relance."), ("li", "un point")],
                    author="Mathieu Lebrun", date="2021-02-01T10:00:00", keywords=["CRTE"])
    document = read_file(path)
    meta = resolve_metadata(document, "crte.odt")
    assert (meta.title, meta.authors, meta.date) == (
        "Note CRTE", ["Mathieu Lebrun"], dt.date(2021, 2, 1))
    assert "Le contrat de relance." in document.text and "• un point" in document.text


def test_html_drops_scripts_and_navigation() -> None:
    html = ("<html lang='fr'><head><title>Tiers-lieux</title>"
            "<meta name='author' content='Zoé'></head><body><nav>Menu Accueil</nav>"
            "<main><h1>Tiers-lieux</h1><p>Un lieu <b>partagé</b>.</p>"
            "<script>alert('x')</script></main></body></html>").encode()
    document = read_bytes(html, "page.html")
    assert "alert" not in document.text and "Menu" not in document.text
    assert "Un lieu partagé ." in document.text or "Un lieu partagé." in document.text
    assert document.metadata["authors"] == ["Zoé"]


def test_sidecar_wins_over_embedded_metadata(tmp_path: Path) -> None:
    document = read_bytes(b"---\ntitre: Ancien\nvisibilite: public\n---\ncorps\n", "a.md")
    meta = resolve_metadata(document, "fiches/a.md", sidecar={"titre": "Nouveau",
                                                              "visibilite": "restreint",
                                                              "groupes": ["collectif"]})
    assert (meta.title, meta.visibility, meta.groups) == ("Nouveau", "restreint", ["collectif"])
