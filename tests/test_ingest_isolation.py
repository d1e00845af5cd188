"""Each file is read in a separate process with a time limit: a file that reads too long is
reported and stopped, the batch goes on, and the next file gets a fresh reader."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.isolation import IsolatedReader
from ingest.model import ReadError
from ingest.registry import read_bytes
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document
from tests.databases import MakeSettings
from tests.filemakers import make_pdf

PAGE = [f"Ligne {n} : la transition des territoires demande du temps et des allié·e·s."
        for n in range(45)]


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 pages: more than a second of text extraction."""
    folder = tmp_path_factory.mktemp("long")
    return make_pdf(folder / "rapport-long.pdf", [PAGE] * 300, title="Rapport long")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 pages: the same reading path, without the length that only the time limit needs."""
    folder = tmp_path_factory.mktemp("report")
    return make_pdf(folder / "rapport.pdf", [PAGE] * 30, title="Rapport")


def titles(ctx: KbContext) -> list[str]:
    with ctx.sessions() as session:
        return sorted(session.scalars(select(Document.title)))


def test_a_file_that_reads_too_long_fails_and_the_batch_goes_on(long_pdf: Path,
                                                                 tmp_path: Path,
                                                                 make_settings: MakeSettings
                                                                 ) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "rapport-long.pdf").write_bytes(long_pdf.read_bytes())
    (folder / "note.md").write_text("---\ntitre: Note brève\n---\nUne note.\n",
                                    encoding="utf-8")
    settings = make_settings("instance", read_timeout_s=0.3)
    ctx = open_instance(settings)
    try:
        report = ingest_paths(ctx, [folder])
        outcomes = {o.source_key: (o.status, o.message) for o in report.outcomes}
        assert outcomes == {
            "rapport-long.pdf": ("failed", "lecture interrompue au bout de 0.3 s (fichier "
                                           "trop complexe ou hostile)"),
            "note.md": ("added", ""),
        }
        assert titles(ctx) == ["Note brève"]
    finally:
        ctx.close()
    # With time enough, a fresh reader process reads it.
    ctx = open_instance(dataclasses.replace(settings, read_timeout_s=120))
    try:
        report = ingest_paths(ctx, [folder])
        assert {o.source_key: o.status for o in report.outcomes} == {
            "rapport-long.pdf": "added", "note.md": "unchanged"}
        assert titles(ctx) == ["Note brève", "Rapport long"]
    finally:
        ctx.close()


def test_the_reader_process_answers_like_reading_in_place(report_pdf: Path) -> None:
    reader = IsolatedReader(120)
    try:
        data = report_pdf.read_bytes()
        isolated = reader.read(data, "rapport.pdf")
        assert isolated.text == read_bytes(data, "rapport.pdf").text
        assert isolated.title == "Rapport" and isolated.page_count == 30
        with pytest.raises(ReadError) as error:
            reader.read(data[: len(data) // 3], "tronque.pdf")
        with pytest.raises(ReadError) as in_place:
            read_bytes(data[: len(data) // 3], "tronque.pdf")
        assert str(error.value) == str(in_place.value)
        # A reader process that died is replaced before the next file.
        assert reader._process is not None
        reader._process.kill()
        reader._process.wait()
        assert reader.read(b"Un texte simple.", "simple.txt").text == "Un texte simple."
    finally:
        reader.close()
