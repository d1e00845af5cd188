"""Readers on real files of each format: text, structure, metadata and clear errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from ingest.limits import Limits
from ingest.model import ReadError
from ingest.registry import detect_type, read_bytes, read_file
from ingest.resolve import resolve_metadata
from tests.filemakers import (
    make_docx,
    make_image_only_pdf,
    make_odt,
    make_pdf,
    make_pdf_with_headings,
)


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


# --- Normalisation, metadata as people write it ------------------------------------------


def test_french_normalisation_of_extracted_text() -> None:
    raw = ("L\u02bcécologie de la transi-\ntion, le trans\u00ad\nport et l\u2018eau ; "
           "« bonjour\u00a0» dit-il\u202f! \ufb01n du Saint-\nDié \u200bvisible").encode()
    document = read_bytes(raw, "note.txt")
    assert document.text == ("L’écologie de la transition, le transport et l’eau ; "
                             "« bonjour » dit-il ! fin du Saint- Dié visible")


@pytest.mark.parametrize(
    ("front", "kind"),
    [
        ("type: « fiche d'expérience »", "fiche-experience"),
        ("type: Fiche d’expérience", "fiche-experience"),
        ("kind: Fiches d'expérience", "fiche-experience"),
        ("type: Textes fondateurs", "texte-fondateur"),
        ("type: Proposition de changement de modèle", "proposition"),
        ("catégorie: Outils et méthodes", "outil"),
    ],
)
def test_kind_values_as_people_write_them(front: str, kind: str) -> None:
    document = read_bytes(f"---\n{front}\n---\nCorps.\n".encode(), "a.md")
    assert resolve_metadata(document, "a.md").kind == kind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-15", dt.date(2021, 3, 15)), ("15/03/2021", dt.date(2021, 3, 15)),
        ("15 mars 2021", dt.date(2021, 3, 15)), ("le lundi 1er mars 2021", dt.date(2021, 3, 1)),
        ("mars 2021", dt.date(2021, 3, 1)), ("2021", dt.date(2021, 1, 1)),
        ("15.03.2021", dt.date(2021, 3, 15)), ("March 15, 2021", dt.date(2021, 3, 15)),
    ],
)
def test_dates_in_iso_and_french_forms(value: str, expected: dt.date) -> None:
    document = read_bytes(f"---\ndate: {value}\n---\nCorps.\n".encode(), "a.md")
    assert document.date == expected


def test_unreadable_date_and_kind_are_warnings_not_failures() -> None:
    document = read_bytes(b"---\ndate: bientot\ntype: roman\n---\nCorps.\n", "a.md")
    assert document.date is None
    assert any("date" in w for w in document.warnings)
    assert resolve_metadata(document, "a.md").kind == "autre"


def test_text_free_header_with_english_keys_and_single_author() -> None:
    document = read_bytes(b"Title: Water commons\nAuthor: Jo Smith\nKind: tool\n\nBody.", "w.txt")
    meta = resolve_metadata(document, "w.txt")
    assert (meta.title, meta.authors, meta.kind) == ("Water commons", ["Jo Smith"], "outil")
    assert document.text == "Body."


def test_markdown_without_front_matter_reads_a_free_header() -> None:
    document = read_bytes("Titre : Jardins partagés\nAuteurs : A. Roy et B. Lin\n\n# Intro\n\n"
                          "Texte.\n".encode(), "j.md")
    assert (document.title, document.authors) == ("Jardins partagés", ["A. Roy", "B. Lin"])
    assert document.headings == ["Intro"]


def test_priority_sidecar_over_front_matter_over_folder_over_inferred() -> None:
    document = read_bytes(b"---\ntype: outil\n---\n# Premier titre\n\nCorps.\n", "a.md")
    assert resolve_metadata(document, "fiches/a.md").kind == "outil"  # front matter > folder
    bare = read_bytes(b"# Premier titre\n\nCorps.\n", "a.md")
    meta = resolve_metadata(bare, "fiches/a.md")
    assert (meta.kind, meta.title) == ("fiche-experience", "Premier titre")  # folder, inferred
    side = resolve_metadata(document, "fiches/a.md", sidecar={"type": "proposition"})
    assert side.kind == "proposition"
    hinted = resolve_metadata(bare, "a.md", folder_hint="textes-fondateurs/a.md")
    assert hinted.kind == "texte-fondateur"


def test_language_is_guessed_when_not_declared() -> None:
    french = "Les élus de la commune ont décidé que la cantine serait bio et locale. " * 5
    english = "The elected members of the council decided that the canteen would be local. " * 5
    assert read_bytes(french.encode(), "f.txt").language == "fr"
    assert read_bytes(english.encode(), "e.txt").language == "en"


# --- Formats ---------------------------------------------------------------------------


def test_pdf_pages_headers_footers_and_hyphenation(tmp_path: Path) -> None:
    topics = ["l'eau", "l'énergie", "la mobilité", "l'alimentation"]
    pages = [["Fabrique des transitions — Note de doctrine",
              f"Le chapitre sur {topic} décrit la transi-",
              "tion écologique des territoires ruraux.",
              f"Page {number} / 4"] for number, topic in enumerate(topics, start=1)]
    document = read_file(make_pdf(tmp_path / "note.pdf", pages))
    assert [s.page for s in document.sections] == [1, 2, 3, 4]
    assert document.sections[1].paragraphs == [
        "Le chapitre sur l'énergie décrit la transition écologique des territoires ruraux."]
    assert "Note de doctrine" not in document.text and "Page" not in document.text


def test_pdf_sentence_cut_by_a_page_break_is_joined(tmp_path: Path) -> None:
    pages = [["Premier paragraphe complet.", "La coopération entre les communes"],
             ["rurales se poursuit ici.", "Dernier paragraphe."]]
    document = read_file(make_pdf(tmp_path / "suite.pdf", pages))
    assert "La coopération entre les communes rurales se poursuit ici." in document.text


def test_pdf_headings_are_told_by_their_print_size(tmp_path: Path) -> None:
    body = "Le PETR anime la démarche avec les communes et les habitant·es du territoire."
    pages = [
        [("h1", "Se déplacer sans voiture :"), ("h1", "l'autopartage villageois"),
         ("h2", "Contexte"), ("p", body), ("h2", "Acteurs"),
         ("p", "Les cars passent deux fois par jour")],
        [("p", "dans la plupart des villages, et le reste du temps rien."),
         ("h2", "Récit"), ("p", body)],
    ]
    document = read_file(make_pdf_with_headings(tmp_path / "fiche.pdf", pages))
    assert [(s.heading, s.level, s.page) for s in document.sections] == [
        ("Se déplacer sans voiture : l'autopartage villageois", 1, 1), ("Contexte", 2, 1),
        ("Acteurs", 2, 1), ("Récit", 2, 2)]
    assert document.title == "Se déplacer sans voiture : l'autopartage villageois"
    # The page break falls inside the sentence of « Acteurs », which goes on there.
    assert [s.paragraphs for s in document.sections[1:]] == [
        [body], ["Les cars passent deux fois par jour dans la plupart des villages, et le "
                 "reste du temps rien."], [body]]


def test_pdf_printed_large_throughout_has_no_headings(tmp_path: Path) -> None:
    slides = ["Le territoire en chiffres et en cartes", "Les acteurs rencontrés cet hiver",
              "Trois pistes pour la suite du projet"]
    pages = [[("h2", slide), ("h2", f"{slide}, en détail."), ("p", "diapositive")]
             for slide in slides]
    document = read_file(make_pdf_with_headings(tmp_path / "diapos.pdf", pages))
    assert [(s.heading, s.page) for s in document.sections] == [("", 1), ("", 2), ("", 3)]


def test_pdf_protected_against_copy_opens_with_the_empty_password() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=StandardEncryption("", ownerPassword="proprio",
                                                           canCopy=0, canModify=0))
    pdf.drawString(100, 700, "Document protégé contre la copie.")
    pdf.showPage()
    pdf.save()
    assert read_bytes(buffer.getvalue(), "protege.pdf").text == "Document protégé contre la copie."


def test_truncated_pdf_is_a_clear_error(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "t.pdf", [["Texte de la page un."]]).read_bytes()
    with pytest.raises(ReadError) as error:
        read_bytes(data[: len(data) // 2], "tronque.pdf")
    assert "tronque.pdf" in str(error.value) and "PDF corrompu ou tronqué" in str(error.value)


def _add_docx_custom_properties(path: Path, properties: dict[str, str]) -> None:
    """python-docx cannot write custom properties: add the part as Word does."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{k}">'
        f"<vt:lpwstr>{v}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(properties.items(), start=2))
    custom = ('<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
              'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
              'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              f"{items}</Properties>")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["docProps/custom.xml"] = custom.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdCustom" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/custom-properties" '
        b'Target="docProps/custom.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_docx_custom_properties_in_french(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "fiche.docx", "Ressourcerie", ["Le réemploi crée des emplois."])
    _add_docx_custom_properties(path, {"Territoire": "Calvi-Balagne",
                                       "Type": "Fiche d’expérience"})
    meta = resolve_metadata(read_file(path), "fiche.docx")
    assert (meta.territory, meta.kind) == ("Calvi-Balagne", "fiche-experience")
    # python-docx's own stamp (author "python-docx", 2013) is not the document's metadata.
    assert meta.authors == [] and meta.date is None


def test_odt_user_defined_properties(tmp_path: Path) -> None:
    path = make_odt(tmp_path / "note.odt", "Note", [("p", "Texte de la note.")])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["meta.xml"] = parts["meta.xml"].replace(
        b"</office:meta>", b'<meta:user-defined meta:name="Territoire">Pays de Langres'
        b'</meta:user-defined></office:meta>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert resolve_metadata(read_file(path), "note.odt").territory == "Pays de Langres"


def test_html_loose_text_charset_and_hidden_parts() -> None:
    html = ("<html><head><meta charset='windows-1252'><title>Été</title></head><body>"
            "<div role='navigation'>Menu</div><div>Texte libre <em>d'été</em>.</div>"
            "<p hidden>caché</p><!-- commentaire --><section>Suite.</section>"
            "<script>document.write('x')</script></body></html>").encode("cp1252")
    document = read_bytes(html, "page.html")
    assert document.text == "Texte libre d'été.\n\nSuite."
    assert document.title == "Été"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ancien format"),
        ("note.rtf", b"{\\rtf1\\ansi Bonjour}", "RTF"),
        ("tableau.csv", b"a;b\n1;2\n", "extension .csv"),
        ("japonais.txt", "日本語のテキストです。東京は首都です。".encode("shift_jis") * 8,
         "encodage du texte inconnu"),
    ],
)
def test_unsupported_or_unknown_inputs_are_named(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(ReadError) as error:
        read_bytes(data, name)
    assert name in str(error.value) and expected in str(error.value)


def test_spreadsheet_package_is_not_taken_for_an_archive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_type(buffer.getvalue(), "budget.xlsx") == (
        "application/vnd.openxmlformats-officedocument")
    with pytest.raises(ReadError, match="classeur ou présentation"):
        read_bytes(buffer.getvalue(), "budget.xlsx")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "gros.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(ReadError, match="trop volumineux"):
        read_file(path, Limits(max_file_bytes=1024))


def test_html_keeps_an_article_header_but_not_the_site_banner() -> None:
    html = (b"<html><body><header>Bandeau du site</header><article><header><h1>Titre</h1>"
            b"</header><p>Texte.</p></article><footer>Mentions</footer></body></html>")
    document = read_bytes(html, "a.html")
    assert (document.title, document.text) == ("Titre", "Titre\n\nTexte.")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_with_a_user_password_is_refused(tmp_path: Path, algorithm: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(make_pdf(tmp_path / "clair.pdf", [["Confidentiel"]])))
    writer.encrypt(user_password="secret", owner_password="proprio", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadError) as error:
        read_bytes(buffer.getvalue(), "chiffre.pdf")
    assert str(error.value) == "chiffre.pdf : PDF chiffré : mot de passe requis"


def test_theme_with_et_stays_one_value_and_kind_labels_map(tmp_path: Path) -> None:
    from tests.filemakers import make_odt

    path = make_odt(tmp_path / "f.odt", "Titre", [("p", "Texte.")], author="A. Un et B. Deux",
                    keywords=["foncier et urbanisme", "habitat et rénovation"])
    meta = resolve_metadata(read_file(path), "f.odt")
    assert meta.themes == ["foncier et urbanisme", "habitat et rénovation"]
    assert meta.authors == ["A. Un", "B. Deux"]
    doc = read_bytes(b"---\ntitre: T\ntype: Outil et m\xc3\xa9thode\n---\ncorps\n", "t.md")
    assert resolve_metadata(doc, "t.md").kind == "outil"
