"""Identity of documents: one document per content, revisions with history, duplicates,
sidecar changes, files that disappeared, originals kept, runs logged, dry runs."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from kb.context import KbContext
from kb.documents.reading import read_original
from kb.indexing.sync import check_index
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document, IngestRun, Revision, SourceRecord
from kb.search.results import search_documents
from kb.visibility import Reader
from tests.databases import MakeSettings
from tests.filemakers import make_image_only_pdf, make_pdf_with_headings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def statuses(report: object) -> dict[str, str]:
    return {o.source_key: o.status for o in report.outcomes}  # type: ignore[attr-defined]


def document_count(ctx: KbContext) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count(Document.id))) or 0


def get_document(ctx: KbContext, key: str) -> Document:
    with ctx.sessions() as session:
        document = session.scalar(select(Document).where(Document.source_key == key))
        assert document is not None, key
        return document


def revisions(ctx: KbContext, key: str) -> list[Revision]:
    with ctx.sessions() as session:
        return list(session.scalars(
            select(Revision).join(Document).where(Document.source_key == key)
            .order_by(Revision.number)))


def search_keys(ctx: KbContext, query: str) -> list[str]:
    page = search_documents(ctx, Reader.operator(), query)
    return [hit.document.source_key for hit in page.hits]


def assert_consistent(ctx: KbContext) -> None:
    drift = check_index(ctx)
    assert not any(drift.values()), drift


def test_same_bytes_from_any_path_are_one_document(ctx: KbContext, tmp_path: Path) -> None:
    text = "# Cantine bio\n\nLes repas de la cantine sont bio.\n"
    write(tmp_path / "a" / "fiches" / "cantine.md", text)
    write(tmp_path / "a" / "zz" / "copie.md", text)
    write(tmp_path / "b" / "ailleurs.md", text)
    first = ingest_paths(ctx, [tmp_path / "a"])
    assert statuses(first) == {"fiches/cantine.md": "added", "zz/copie.md": "duplicate"}
    copy = next(o for o in first.outcomes if o.source_key == "zz/copie.md")
    assert copy.message == "contenu identique à « fiches/cantine.md »"
    assert statuses(ingest_paths(ctx, [tmp_path / "b"])) == {"ailleurs.md": "duplicate"}
    again = ingest_paths(ctx, [tmp_path / "a", tmp_path / "b"])
    assert set(statuses(again).values()) == {"unchanged"}
    assert document_count(ctx) == 1
    assert_consistent(ctx)


def test_changed_file_is_a_new_revision_and_search_shows_the_newest(
        ctx: KbContext, tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "note.md", "# Note\n\nLes haies bocagères.\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    first_hash = get_document(ctx, "note.md").content_hash
    write(path, "# Note\n\nLes mares forestières.\n")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"note.md": "updated"}
    assert report.outcomes[0].message == "nouvelle révision"
    history = revisions(ctx, "note.md")
    assert [r.number for r in history] == [1, 2]
    assert "bocagères" in history[0].text and "forestières" in history[1].text
    assert search_keys(ctx, "mares forestières") == ["note.md"]
    assert search_keys(ctx, "haies bocagères") == []
    document = get_document(ctx, "note.md")
    assert ctx.originals.exists(first_hash)  # the older original is kept too
    download = read_original(ctx, Reader.operator(), document.id)
    assert download.data == path.read_bytes() and download.filename == "note.md"
    assert document_count(ctx) == 1
    assert_consistent(ctx)


def test_reverting_and_old_copies(ctx: KbContext, tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "note.md", "Version un.\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    write(path, "Version deux.\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    write(tmp_path / "docs" / "vieille-copie.md", "Version un.\n")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    old = next(o for o in report.outcomes if o.source_key == "vieille-copie.md")
    assert old.status == "duplicate" and old.message.endswith("(révision 1)")
    write(path, "Version un.\n")
    assert statuses(ingest_paths(ctx, [tmp_path / "docs"]))["note.md"] == "updated"
    assert [r.number for r in revisions(ctx, "note.md")] == [1, 2, 3]
    assert document_count(ctx) == 1


def test_a_copy_that_changes_becomes_its_own_document(ctx: KbContext, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md", "Texte commun.\n")
    copy = write(tmp_path / "docs" / "b.md", "Texte commun.\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    write(copy, "Texte modifié dans la copie.\n")
    assert statuses(ingest_paths(ctx, [tmp_path / "docs"])) == {"a.md": "unchanged",
                                                                "b.md": "added"}
    assert document_count(ctx) == 2
    assert get_document(ctx, "a.md").text == "Texte commun."


def test_sidecar_change_updates_metadata_without_a_revision(
        ctx: KbContext, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "note.md", "---\ntitre: Titre du fichier\n---\nCorps.\n")
    sidecar = write(tmp_path / "docs" / "note.md.meta.yaml", "titre: Titre annexe\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    assert get_document(ctx, "note.md").title == "Titre annexe"
    write(sidecar, "titre: Titre corrigé\nvisibilite: public\n")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"note.md": "updated"}
    assert report.outcomes[0].message == "métadonnées mises à jour"
    document = get_document(ctx, "note.md")
    assert (document.title, document.visibility) == ("Titre corrigé", "public")
    assert len(revisions(ctx, "note.md")) == 1
    assert search_keys(ctx, "corrigé") == ["note.md"]
    assert statuses(ingest_paths(ctx, [tmp_path / "docs"])) == {"note.md": "unchanged"}


def test_disappeared_files_are_reported_never_deleted(ctx: KbContext, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    gone = write(docs / "fiches" / "partie.md", "# Partie\n\nTexte parti.\n")
    write(docs / "reste.md", "# Reste\n\nTexte resté.\n")
    write(docs / "filtre.txt", "Exclu la prochaine fois.\n")
    ingest_paths(ctx, [docs])
    gone.unlink()
    report = ingest_paths(ctx, [docs], exclude=["*.txt"])
    assert [(m.source_key, m.title) for m in report.missing] == [("fiches/partie.md", "Partie")]
    assert document_count(ctx) == 3
    assert search_keys(ctx, "parti") == ["fiches/partie.md"]
    assert ingest_paths(ctx, [tmp_path / "ailleurs"] if False else [docs / "fiches"]).missing == []


def test_jsonl_export_records_revisions_and_removals(ctx: KbContext, tmp_path: Path) -> None:
    def export(*records: dict[str, object]) -> None:
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        write(tmp_path / "docs" / "export.jsonl", "\n".join(lines) + "\n")

    one = {"id": 1, "title": "Haies", "text": "Les haies bocagères.", "type": "outil"}
    two = {"id": 2, "title": "Mares", "text": "Les mares.", "territoire": "Gers"}
    export(one, two, {"id": 3, "text": "Trois."})
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"export.jsonl#1": "added", "export.jsonl#2": "added",
                                "export.jsonl#3": "added"}
    record = get_document(ctx, "export.jsonl#2")
    assert (record.title, record.territory, record.extra["id"]) == ("Mares", "Gers", 2)
    assert json.loads(ctx.originals.read(record.content_hash)) == two
    export(one, {**two, "text": "Les mares temporaires."})
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"export.jsonl#1": "unchanged", "export.jsonl#2": "updated"}
    assert [m.source_key for m in report.missing] == ["export.jsonl#3"]
    assert get_document(ctx, "export.jsonl#1").kind == "outil"
    assert len(revisions(ctx, "export.jsonl#2")) == 2
    assert_consistent(ctx)


def test_zip_members_are_documents_with_folder_kinds(ctx: KbContext, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "docs" / "lot.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("fiches/jardin.md", "# Jardin partagé\n\nLes habitants jardinent.\n")
        zipped.writestr("outils/grille.txt", "Titre : Grille\n\nUne grille d'analyse.\n")
        zipped.writestr("../evil.md", "x")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"lot.zip": "failed"}
    assert "chemin qui sort de l'archive" in report.outcomes[0].message
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("fiches/jardin.md", "# Jardin partagé\n\nLes habitants jardinent.\n")
        zipped.writestr("outils/grille.txt", "Titre : Grille\n\nUne grille d'analyse.\n")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"lot.zip/fiches/jardin.md": "added",
                                "lot.zip/outils/grille.txt": "added"}
    assert get_document(ctx, "lot.zip/fiches/jardin.md").kind == "fiche-experience"
    grille = get_document(ctx, "lot.zip/outils/grille.txt")
    assert (grille.kind, grille.title, grille.original_name) == ("outil", "Grille", "grille.txt")
    assert ctx.originals.read(grille.content_hash).startswith(b"Titre : Grille")
    archive.write_bytes(b"PK\x03\x04 abime")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    assert statuses(report) == {"lot.zip": "failed"} and report.missing == []


def test_bad_files_fail_alone_and_nothing_is_half_written(
        ctx: KbContext, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    note = write(docs / "note.md", "# Note\n\nTexte sain.\n")
    (docs / "vide.txt").write_bytes(b"")
    (docs / "faux.docx").write_bytes(b"pas un docx")
    make_image_only_pdf(docs / "scan.pdf")
    report = ingest_paths(ctx, [docs])
    assert statuses(report) == {"faux.docx": "failed", "note.md": "added",
                                "scan.pdf": "added", "vide.txt": "failed"}
    assert [o.source_key for o in report.needs_ocr] == ["scan.pdf"]
    assert search_keys(ctx, "délibération") == ["scan.pdf"]  # its metadata is searchable
    note.write_bytes(b"\xff\xfe\x00\xd8")  # broken UTF-16: the new version cannot be read
    report = ingest_paths(ctx, [docs])
    assert statuses(report)["note.md"] == "failed"
    assert get_document(ctx, "note.md").text == "Note\n\nTexte sain."
    assert len(revisions(ctx, "note.md")) == 1
    with ctx.sessions() as session:
        record = session.scalar(select(SourceRecord).where(SourceRecord.source_key == "note.md"))
        assert record is not None and record.content_hash == get_document(
            ctx, "note.md").content_hash
    assert_consistent(ctx)


def test_dry_run_writes_nothing(ctx: KbContext, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md", "# A\n\nTexte.\n")
    write(tmp_path / "docs" / "b.md", "# A\n\nTexte.\n")
    (tmp_path / "docs" / "vide.md").write_bytes(b"")
    report = ingest_paths(ctx, [tmp_path / "docs"], dry_run=True)
    assert statuses(report) == {"a.md": "added", "b.md": "duplicate", "vide.md": "failed"}
    assert report.dry_run and report.run_id is None
    assert document_count(ctx) == 0
    assert not ctx.settings.originals_dir.exists() or not any(
        ctx.settings.originals_dir.rglob("*"))
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(IngestRun.id))) == 0


def test_runs_are_logged(ctx: KbContext, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md", "# A\n\nTexte.\n")
    (tmp_path / "docs" / "vide.md").write_bytes(b"")
    report = ingest_paths(ctx, [tmp_path / "docs"])
    with ctx.sessions() as session:
        run = session.get(IngestRun, report.run_id)
        assert run is not None and run.finished_at is not None
        assert run.origin == "commande" and run.counts["added"] == 1
        assert run.failures == [{"source_key": "vide.md", "message": "fichier vide (0 octet)"}]


def test_single_file_takes_its_kind_from_its_folder(ctx: KbContext, tmp_path: Path) -> None:
    path = write(tmp_path / "propositions" / "idee.md", "# Idée\n\nUne proposition.\n")
    ingest_paths(ctx, [path])
    assert get_document(ctx, "idee.md").kind == "proposition"


def test_deleted_document_is_ingested_again(ctx: KbContext, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md", "# A\n\nTexte.\n")
    ingest_paths(ctx, [tmp_path / "docs"])
    with ctx.sessions.begin() as session:
        session.delete(session.scalar(select(Document)))
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(SourceRecord.id))) == 0
    assert statuses(ingest_paths(ctx, [tmp_path / "docs"])) == {"a.md": "added"}


def test_web_edits_survive_a_new_revision(tmp_path: Path, make_settings: MakeSettings) -> None:
    from kb.documents.reading import get_readable_document, update_metadata

    ctx = open_instance(make_settings("instance"))
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "note.md"
    note.write_text("---\ntitre: Titre d'origine\nvisibilite: public\nterritoire: Tulle\n---\n"
                    "Première version.\n", encoding="utf-8")
    doc_id = ingest_paths(ctx, [folder]).outcomes[0].document_id
    assert doc_id is not None
    update_metadata(ctx, Reader.operator(), doc_id,
                    {"title": "Titre revu par le collectif", "visibility": "membres"})
    note.write_text("---\ntitre: Titre d'origine\nvisibilite: public\nterritoire: Brive\n---\n"
                    "Seconde version.\n", encoding="utf-8")
    assert ingest_paths(ctx, [folder]).outcomes[0].status == "updated"
    document = get_readable_document(ctx, Reader.operator(), doc_id)
    assert document.title == "Titre revu par le collectif"
    assert document.visibility == "membres"
    assert document.territory == "Brive" and "Seconde version." in document.text
    ctx.close()


def test_symlink_leading_outside_the_folder_is_reported_not_read(
        tmp_path: Path, make_settings: MakeSettings) -> None:
    secret = tmp_path / "ailleurs.md"
    secret.write_text("Texte hors du dossier.", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "vrai.md").write_text("Un document.", encoding="utf-8")
    (folder / "lien.md").symlink_to(secret)
    ctx = open_instance(make_settings("instance"))
    outcomes = {o.source_key: o for o in ingest_paths(ctx, [folder]).outcomes}
    assert outcomes["vrai.md"].status == "added"
    assert outcomes["lien.md"].status == "failed"
    assert "lien symbolique" in outcomes["lien.md"].message
    assert search_documents(ctx, Reader.operator(), "hors dossier").total == 0
    ctx.close()


def test_a_file_read_by_older_readers_is_read_again(ctx: KbContext, tmp_path: Path) -> None:
    folder = tmp_path / "fiches"
    folder.mkdir()
    make_pdf_with_headings(folder / "fiche.pdf", [[
        ("h1", "Le covoiturage au village"), ("h2", "Contexte"),
        ("p", "Un bourg de 800 habitants sans transport en commun."), ("h2", "Récit"),
        ("p", "Les habitants ont monté un réseau de covoiturage solidaire.")]])
    assert ingest_paths(ctx, [folder]).counts["added"] == 1
    with ctx.sessions.begin() as session:  # as an older reader left it: no headings
        document = session.scalars(select(Document)).one()
        assert [s["heading"] for s in document.sections][1:] == ["Contexte", "Récit"]
        document.sections = [{"heading": "", "level": 0, "paragraphs": ["…"], "page": 1}]
        document.extra = {**document.extra, "reader_version": 1}
    report = ingest_paths(ctx, [folder])
    assert [(o.status, o.message) for o in report.outcomes] == [
        ("updated", "relu avec les lecteurs à jour")]
    with ctx.sessions() as session:
        document = session.scalars(select(Document)).one()
        assert [s["heading"] for s in document.sections][1:] == ["Contexte", "Récit"]
        assert len(document.revisions) == 1  # the same original: no new revision
    assert [o.status for o in ingest_paths(ctx, [folder]).outcomes] == ["unchanged"]
