"""The DOCX, ODT and Markdown writers: readable by our readers, deterministic, escaped."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import sys
import zipfile

import docx
import pytest
from markdown_it import MarkdownIt

from ingest.registry import read_bytes
from kb.exports.blocks import DocMeta, Heading, ListBlock, Para, Run, TableBlock
from kb.exports.docx_writer import build_docx
from kb.exports.markdown_writer import build_markdown, escape_markdown
from kb.exports.odt_writer import build_odt
from tests.conftest import CORPUS

CREATED = dt.datetime(2024, 3, 15, 12, 0)
META = DocMeta(title="Note d'essai", created=CREATED, authors="Aïcha Benali; Hugo Maréchal",
               keywords=("mise en récit", "culture"), subject="Fiche d'expérience")
BLOCKS = [
    Heading(1, [Run("Note d'essai")]),
    Para([Run("Territoire : ", bold=True), Run("Commune de Tulle")]),
    Heading(2, [Run("Contexte")]),
    Para([Run("Première ligne\nseconde ligne, même paragraphe.")]),
    ListBlock(False, 1, [[Para([Run("un")])], [Para([Run("deux")])]]),
    TableBlock([[Run("Poste")], [Run("Montant")]], [[[Run("Compagnie")], [Run("42 000 €")]]]),
    Para([Run("Lien : ", bold=True), Run("https://exemple.fr/doc", link="https://exemple.fr/doc")]),
]


@pytest.mark.parametrize(("builder", "name"), [(build_docx, "x.docx"), (build_odt, "x.odt")])
def test_office_files_read_back(builder, name: str) -> None:  # type: ignore[no-untyped-def]
    data = builder(BLOCKS, META)
    extracted = read_bytes(data, name)
    assert "Contexte" in extracted.headings
    text = extracted.text
    for expected in ("Commune de Tulle", "Première ligne", "même paragraphe", "deux", "42 000 €",
                     "https://exemple.fr/doc"):
        assert expected in text
    assert builder(BLOCKS, META) == data, "same input, same bytes"
    assert builder(BLOCKS, DocMeta(**{**META.__dict__, "title": "Autre"})) != data


def test_docx_properties_and_real_hyperlink() -> None:
    document = docx.Document(io.BytesIO(build_docx(BLOCKS, META)))
    props = document.core_properties
    assert (props.title, props.author, props.keywords) == (
        "Note d'essai", "Aïcha Benali; Hugo Maréchal", "mise en récit; culture")
    assert props.created.replace(tzinfo=None) == CREATED
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [r.target_ref for r in rels] == ["https://exemple.fr/doc"]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[2].style.name == "Heading 1"


def test_odt_is_a_valid_package() -> None:
    data = build_odt(BLOCKS, META)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = archive.read("content.xml").decode()
        meta = archive.read("meta.xml").decode()
    assert 'xlink:href="https://exemple.fr/doc"' in content
    assert "<text:line-break />" in content or "<text:line-break/>" in content
    assert "<dc:title>Note d'essai</dc:title>" in meta


TRICKY = [
    "# pas un titre", "1. pas une liste", "- pas une puce", "> pas une citation",
    "*pas d'emphase* et _pas non plus_", "[pas un lien](http://x)", "<b>pas du HTML</b>",
    "a | b | c", "`pas de code`", "antislash \\ gardé", "+ plus", "2) parenthèse",
    "5 000 € — « guillemets » l'élu·e",
]


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_escaping_keeps_text_as_written(text: str) -> None:
    html = MarkdownIt("commonmark").render(build_markdown([Para([Run(text)])]))
    from html import unescape

    inner = unescape(html.strip().removeprefix("<p>").removesuffix("</p>"))
    assert inner == text
    assert escape_markdown("simple texte") == "simple texte"


def test_markdown_structure() -> None:
    text = build_markdown(BLOCKS)
    assert text.startswith("# Note d'essai\n\n**Territoire :** Commune de Tulle\n\n## Contexte")
    assert "- un\n- deux" in text
    assert "[https://exemple.fr/doc](https://exemple.fr/doc)" in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<strong>Territoire :</strong>" in html and "<table>" in html and "<li>deux</li>" in html


def _build_formats_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_formats", CORPUS / "build_formats.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_formats"] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_script_uses_the_shared_writers_with_identical_output() -> None:
    """corpus/build_formats.py now imports kb.exports: the shipped files are unchanged."""
    build_formats = _build_formats_module()
    checked = 0
    for key, extension in build_formats.FORMATS.items():
        if extension in ("docx", "odt"):
            built = build_formats.BUILDERS[extension](build_formats.read_source(key))
            assert built == (CORPUS / "documents" / f"{key}.{extension}").read_bytes(), key
            checked += 1
    assert checked == 10
