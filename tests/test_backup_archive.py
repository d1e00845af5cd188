"""The backup archive and its commands: foreign, damaged or newer archives refused by name
before anything is written; a non-empty instance refused unless forced; a backup never
half-written and taken from one snapshot while others write; archives of older schemas."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from kb import db
from kb.accounts.users import create_user, list_users
from kb.backup.restoring import BOOKKEEPING, restore_backup
from kb.backup.tables import count_rows, data_tables, schema_revision, snapshot, table_rows
from kb.backup.writing import kb_version, write_backup
from kb.cli.main import main
from kb.config import Settings
from kb.context import KbContext
from kb.errors import Conflict, InvalidInput
from kb.ingestion.batches import ingest_paths
from kb.models import Document, Revision, utcnow
from kb.search.results import search_documents
from kb.visibility import Reader
from tests.databases import MakeSettings
from tests.instances import InstanceTemplates, empty_instance
from tests.test_backup import opened

Change = Callable[[str, bytes], bytes | None]


def write_notes(folder: Path, *titles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, title in enumerate(titles):
        (folder / f"note-{number}.md").write_text(
            f"---\ntitre: {title}\nvisibilite: public\n---\nUne note sur les {title.lower()}.\n",
            encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory,
            instance_templates: InstanceTemplates) -> Iterator[Path]:
    """A backup of a small instance: two notes and an account (read only: the tests damage
    copies of it)."""
    folder = tmp_path_factory.mktemp("archive")
    settings = instance_templates.copy(empty_instance, folder)
    with opened(settings) as ctx:
        ingest_paths(ctx, [write_notes(folder / "notes", "Haies bocagères",
                                       "Mares communales")])
        create_user(ctx, "admin@exemple.fr", "un-mot-de-passe-long", "admin", "Admin")
        write_backup(ctx, folder / "sauvegarde.zip")
    yield folder / "sauvegarde.zip"
    instance_templates.release(settings)


@pytest.fixture
def target(make_settings: MakeSettings, tmp_path: Path) -> Settings:
    return make_settings("cible")


def rewrite(path: Path, change: Change, out: Path) -> Path:
    """A copy of the archive where `change(name, data)` replaces (or, returning None,
    drops) members."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                copy.writestr(name, data)
    return out


def with_manifest(**changes: object) -> Change:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **changes}).encode()
    return change


def untouched(settings: Settings) -> bool:
    """Nothing was written: no row (the database may be blank or migrated), no original."""
    engine = db.make_engine(settings)
    with engine.connect() as connection:
        filled = [t.name for t in data_tables(connection)
                  if t.name not in BOOKKEEPING and count_rows(connection, t)]
    engine.dispose()
    return not filled and not any(p.is_file() for p in settings.originals_dir.rglob("*"))


def drop_line(name: str, data: bytes) -> bytes:
    return b"".join(data.splitlines(keepends=True)[1:]) if name == "base/users.jsonl" else data


def edit_title(name: str, data: bytes) -> bytes:
    return data.replace(b"Haies", b"Ronces") if name == "base/documents.jsonl" else data


def not_a_zip(path: Path, out: Path) -> Path:
    out.write_text("bonjour", encoding="utf-8")
    return out


def truncated(path: Path, out: Path) -> Path:
    out.write_bytes(path.read_bytes()[:-300])
    return out


def changed(change: Change) -> Callable[[Path, Path], Path]:
    return lambda path, out: rewrite(path, change, out)


def without(prefix: str) -> Change:
    return lambda name, data: None if name.startswith(prefix) else data


@pytest.mark.parametrize(("damage", "message"), [
    (not_a_zip, "ce n'est pas une sauvegarde kb \\(archive ZIP illisible\\)"),
    (truncated, "archive ZIP illisible"),
    (changed(without("manifest.json")), "manifest.json absent"),
    (changed(with_manifest(format="autre-chose")), "manifest.json d'un autre format"),
    (changed(with_manifest(format_version=2)), "au format 2, .* mettez kb à jour"),
    (changed(with_manifest(schema_revision="9999")), "schéma « 9999 », inconnu"),
    (changed(edit_title), "base/documents.jsonl ne correspond pas à sa somme de contrôle"),
    (changed(drop_line), "base/users.jsonl ne correspond pas à sa somme de contrôle"),
    (changed(without("originaux/")), "archive incomplète, il manque originaux/"),
], ids=["texte", "tronquee", "sans-manifeste", "autre-format", "format-futur", "schema-futur",
        "ligne-modifiee", "ligne-retiree", "original-manquant"])
def test_damaged_or_foreign_archives_are_refused_before_writing(
        archive: Path, target: Settings, tmp_path: Path,
        damage: Callable[[Path, Path], Path], message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as error:
        restore_backup(target, damage(archive, tmp_path / "abimee.zip"))
    assert error.value.message.startswith("abimee.zip : ")
    assert untouched(target)


def test_a_faithful_copy_restores(archive: Path, target: Settings, tmp_path: Path) -> None:
    """The copies above differ from the original only by their damage."""
    copy = rewrite(archive, lambda name, data: data, tmp_path / "copie.zip")
    assert restore_backup(target, copy).rows > 0
    assert titles(target) == ["Haies bocagères", "Mares communales"]


def test_a_foreign_member_is_refused(archive: Path, target: Settings, tmp_path: Path) -> None:
    extra = tmp_path / "etrangere.zip"
    rewrite(archive, lambda n, d: d, extra)
    with zipfile.ZipFile(extra, "a") as added:
        added.writestr("base/intrus.jsonl", "{}\n")
    with pytest.raises(InvalidInput, match="fichier étranger à la sauvegarde : base/intrus"):
        restore_backup(target, extra)


def test_a_non_empty_instance_is_refused_unless_forced(archive: Path, target: Settings,
                                                       tmp_path: Path) -> None:
    with opened(target) as ctx:
        ingest_paths(ctx, [write_notes(tmp_path / "autres", "Cantines bio")])
    with pytest.raises(Conflict, match=r"n'est pas vide \(.*documents : 1.*--force"):
        restore_backup(target, archive)
    assert titles(target) == ["Cantines bio"]
    report = restore_backup(target, archive, force=True)
    assert report.rows > 0 and not report.drift
    assert titles(target) == ["Haies bocagères", "Mares communales"]
    with opened(target) as ctx:
        assert search_documents(ctx, Reader.anonymous(), "cantines").total == 0
        assert search_documents(ctx, Reader.anonymous(), "mares").total == 1


def titles(settings: Settings) -> list[str]:
    with opened(settings) as ctx, ctx.sessions() as session:
        return sorted(session.scalars(select(Document.title)))


def test_the_backup_reads_one_snapshot_while_others_write(ctx: KbContext,
                                                          tmp_path: Path) -> None:
    ingest_paths(ctx, [write_notes(tmp_path / "avant", "Haies bocagères")])
    with snapshot(ctx.engine) as connection:
        tables = {t.name: t for t in data_tables(connection)}
        documents = list(table_rows(connection, tables["documents"]))
        # Another writer commits a document and its revision between two tables' reads.
        ingest_paths(ctx, [write_notes(tmp_path / "pendant", "Mares communales")])
        revisions = list(table_rows(connection, tables["revisions"]))
    assert [d["title"] for d in documents] == ["Haies bocagères"]
    assert [r["document_id"] for r in revisions] == [d["id"] for d in documents]
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(Revision.id))) == 2


def test_a_backup_is_never_half_written(ctx: KbContext, settings: Settings,
                                        tmp_path: Path) -> None:
    existing = tmp_path / "existe.zip"
    existing.write_bytes(b"ancienne sauvegarde")
    with pytest.raises(Conflict, match="existe déjà .*--force"):
        write_backup(ctx, existing)
    assert existing.read_bytes() == b"ancienne sauvegarde"
    write_backup(ctx, existing, force=True)
    assert zipfile.is_zipfile(existing)
    blank = KbContext.open(Settings.for_home(tmp_path / "vide"), migrate=False)
    with pytest.raises(InvalidInput, match="n'est pas initialisée"):
        write_backup(blank, tmp_path / "vide.zip")
    blank.close()
    set_revision(ctx, "9999")  # a base migrated by a newer kb
    try:
        with pytest.raises(InvalidInput, match="schéma « 9999 », inconnu de cette version"):
            write_backup(ctx, tmp_path / "future.zip")
    finally:
        set_revision(ctx, db.newest_revision())
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != "") == ["existe.zip"]


def set_revision(ctx: KbContext, revision: str) -> None:
    with ctx.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_a_base_of_an_older_schema_is_saved_then_restored_up_to_date(
        target: Settings, bare_settings: Settings, tmp_path: Path) -> None:
    """Backing up before `kb init` migrates (the moment to do it): a base at migration 0002,
    accounts only."""
    old = bare_settings
    engine = db.make_engine(old)
    db.upgrade(engine, "0002")
    with engine.begin() as connection:
        users = next(t for t in data_tables(connection) if t.name == "users")
        connection.execute(users.insert(), [{
            "email": "ancienne@exemple.fr", "display_name": "Ancienne", "password_hash": "-",
            "role": "admin", "groups": [], "active": True, "session_version": 1,
            "created_at": utcnow(), "last_login_at": None}])
    engine.dispose()
    ctx = KbContext.open(old, migrate=False)
    write_backup(ctx, tmp_path / "ancienne.zip")
    ctx.close()
    with zipfile.ZipFile(tmp_path / "ancienne.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["schema_revision"] == "0002"
    report = restore_backup(target, tmp_path / "ancienne.zip")
    assert report.rows == 1 and not report.drift
    with opened(target) as ctx:
        assert [u.email for u in list_users(ctx)] == ["ancienne@exemple.fr"]
        assert _revision(ctx) == db.newest_revision()


def _revision(ctx: KbContext) -> str | None:
    with ctx.engine.connect() as connection:
        return schema_revision(connection)


def test_backup_and_restore_commands(ctx: KbContext, settings: Settings, target: Settings,
                                     tmp_path: Path) -> None:
    ingest_paths(ctx, [write_notes(tmp_path / "notes", "Haies bocagères")])
    runner = CliRunner()
    source_env = {"KB_HOME": str(settings.home), "KB_DATABASE_URL": settings.database_url,
                  "KB_QUORUM": "3"}
    target_env = {"KB_HOME": str(target.home), "KB_DATABASE_URL": target.database_url}
    path = tmp_path / "sauvegarde.zip"
    saved = runner.invoke(main, ["backup", str(path)], env=source_env)
    assert saved.exit_code == 0, saved.output
    assert f"Sauvegarde écrite dans {path} : " in saved.output and "1 original(aux)" in saved.output
    checked = runner.invoke(main, ["restore", "--dry-run", str(path)], env=target_env)
    assert checked.exit_code == 0 and "sommes de contrôle vérifiées" in checked.output
    assert untouched(target)
    restored = runner.invoke(main, ["restore", str(path)], env=target_env)
    assert restored.exit_code == 0, restored.output
    assert "Index reconstruit : 1 document(s)." in restored.output
    assert "base et index concordent" in restored.output
    assert "Attention : KB_QUORUM valait « 3 » dans l'instance sauvegardée, « 50% » ici." \
        in restored.output
    again = runner.invoke(main, ["restore", str(path)], env=target_env)
    assert again.exit_code == 1 and "Erreur : l'instance n'est pas vide" in again.output
    searched = runner.invoke(main, ["search", "haies"], env=target_env)
    assert "1 document(s)" in searched.output
    with zipfile.ZipFile(path) as written:
        manifest = json.loads(written.read("manifest.json"))
    assert (manifest["kb_version"], manifest["settings"]["KB_QUORUM"]) == (kb_version(), "3")
