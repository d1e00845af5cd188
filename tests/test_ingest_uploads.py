"""The upload service behind the web form, tested without Flask: names never trusted,
several files at once, form fields winning over the files' metadata."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import select

from kb.context import KbContext
from kb.errors import InvalidInput
from kb.ingestion.batches import ingest_uploads
from kb.ingestion.uploads import safe_upload_name, upload_prefix
from kb.models import Document, IngestRun


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\zoe\\Fiche d’été.docx", "Fiche d’été.docx"),
        ("/tmp/.bashrc", "bashrc"),
        ("a\x00b\u202e.md", "ab.md"),
        ('x<y>:"|?*.txt', "x_y______.txt"),
        ("...", "fichier"),
        ("", "fichier"),
        ("n" * 300 + ".pdf", "n" * 146 + ".pdf"),
    ],
)
def test_upload_names_are_sanitised(raw: str, expected: str) -> None:
    assert safe_upload_name(raw) == expected


def documents(ctx: KbContext) -> dict[str, Document]:
    with ctx.sessions() as session:
        return {d.source_key: d for d in session.scalars(select(Document))}


def test_several_files_with_hostile_names_and_form_fields(ctx: KbContext) -> None:
    files = [
        ("../../fiche.md", b"---\ntype: outil\nvisibilite: public\n---\n# Cantine\n\nBio.\n"),
        ("C:\\temp\\fiche.md", b"# Autre\n\nAutre texte.\n"),
        ("vide.txt", b""),
    ]
    overrides = {"kind": "fiche-experience", "visibility": "membres", "groups": ["allies"],
                 "uploaded_by": "zoe@example.org"}
    report = ingest_uploads(ctx, files, overrides)
    prefix = upload_prefix("zoe@example.org")
    assert [(o.source_key, o.status) for o in report.outcomes] == [
        (f"{prefix}fiche.md", "added"), (f"{prefix}fiche (2).md", "added"),
        (f"{prefix}vide.txt", "failed")]
    assert "zoe" not in prefix and prefix.startswith("televersements/")
    stored = documents(ctx)
    first = stored[f"{prefix}fiche.md"]
    assert (first.kind, first.visibility, first.groups) == ("fiche-experience", "membres",
                                                            ["allies"])
    assert first.original_name == "fiche.md" and first.extra["uploaded_by"] == "zoe@example.org"
    with ctx.sessions() as session:
        run = session.get(IngestRun, report.run_id)
        assert run is not None and (run.origin, run.by) == ("televersement", "zoe@example.org")


def test_uploads_are_scoped_by_uploader(ctx: KbContext) -> None:
    ingest_uploads(ctx, [("note.md", b"# Note de Zoe\n")], {"uploaded_by": "zoe@example.org"})
    again = ingest_uploads(ctx, [("note.md", b"# Note de Zoe, v2\n")],
                           {"uploaded_by": "zoe@example.org"})
    other = ingest_uploads(ctx, [("note.md", b"# Note de Max\n")],
                           {"uploaded_by": "max@example.org"})
    assert [o.status for o in again.outcomes] == ["updated"]
    assert [o.status for o in other.outcomes] == ["added"]
    assert len(documents(ctx)) == 2


def test_upload_of_known_content_is_a_duplicate(ctx: KbContext) -> None:
    ingest_uploads(ctx, [("a.md", b"# Texte\n")], {})
    report = ingest_uploads(ctx, [("b.md", b"# Texte\n")], {"visibility": "public"})
    assert report.outcomes[0].status == "duplicate"
    assert [d.visibility for d in documents(ctx).values()] == ["membres"]


def test_upload_of_an_archive_and_an_oversized_file(ctx: KbContext) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fiches/a.md", "# A\n\nTexte A.\n")
        archive.writestr("b.md", "# B\n\nTexte B.\n")
    small = replace(ctx, settings=replace(ctx.settings, max_file_bytes=len(buffer.getvalue())))
    report = ingest_uploads(small, [("lot.zip", buffer.getvalue()),
                                    ("gros.md", b"#" * (len(buffer.getvalue()) + 1))], {})
    assert [(o.source_key, o.status) for o in report.outcomes] == [
        ("televersements/lot.zip/b.md", "added"), ("televersements/lot.zip/fiches/a.md", "added"),
        ("televersements/gros.md", "failed")]
    assert "trop volumineux" in report.outcomes[2].message
    assert documents(ctx)["televersements/lot.zip/fiches/a.md"].kind == "fiche-experience"


@pytest.mark.parametrize("overrides", [{"kind": "roman"}, {"visibility": "secret"},
                                       {"date": "bientôt"}])
def test_invalid_form_values_are_refused_before_anything_is_stored(
        ctx: KbContext, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        ingest_uploads(ctx, [("a.md", b"# A\n")], overrides)
    assert documents(ctx) == {}
