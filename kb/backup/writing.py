"""`kb backup`: the database's content, the originals it refers to, readable copies of the
thesauri and the settings that shape the data, from one snapshot taken while the service
keeps running."""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy import Connection, select, union
from sqlalchemy.orm import Session

from kb import db
from kb.backup.archive import (
    ORIGINALS_DIR,
    TABLES_DIR,
    THESAURI_DIR,
    ArchiveWriter,
    Manifest,
    TableEntry,
)
from kb.backup.tables import data_tables, schema_revision, snapshot, table_rows
from kb.config import Settings
from kb.context import KbContext
from kb.errors import Conflict, InvalidInput
from kb.models import ConceptScheme, Document, Revision, utcnow
from kb.taxonomy.skos_export import scheme_graph


@dataclass
class BackupReport:
    path: Path
    tables: int
    rows: int
    originals: int
    missing_originals: list[str]
    size: int
    seconds: float


def kb_version() -> str:
    try:
        return version("kb-fdt")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "inconnue"


def kept_settings(settings: Settings) -> dict[str, str]:
    """The settings that change how the data is read or decided (not paths or secrets):
    `kb restore` says when the restored instance's differ."""
    return {
        "KB_DEFAULT_VISIBILITY": settings.default_visibility,
        "KB_QUORUM": settings.quorum,
        "KB_MAX_UPLOAD_MB": f"{settings.max_file_bytes / 1024 / 1024:g}",
        "KB_READ_TIMEOUT": f"{settings.read_timeout_s:g}",
    }


def write_backup(ctx: KbContext, path: Path, force: bool = False) -> BackupReport:
    """Write the archive to `path` (never half-written); `force` replaces an existing file."""
    started = time.perf_counter()
    if path.exists() and not force:
        raise Conflict(f"{path} existe déjà (--force pour le remplacer)")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path.parent} : dossier introuvable")
    archive = ArchiveWriter(path)
    try:
        with snapshot(ctx.engine) as connection:
            manifest = Manifest(created_at=utcnow().isoformat(timespec="seconds") + "Z",
                                kb_version=kb_version(),
                                schema_revision=schema_revision(connection) or "",
                                database=connection.dialect.name,
                                settings=kept_settings(ctx.settings))
            _write_tables(connection, archive, manifest)
            _write_originals(ctx, connection, archive, manifest)
            if manifest.schema_revision == db.newest_revision():  # the models fit the base
                _write_thesauri(connection, archive)
        archive.finish(manifest)
    except BaseException:
        archive.abandon()
        raise
    return BackupReport(path, len(manifest.tables), sum(t.rows for t in manifest.tables),
                        sum(1 for n in manifest.files if n.startswith(ORIGINALS_DIR + "/")),
                        manifest.missing_originals, path.stat().st_size,
                        time.perf_counter() - started)


def _write_tables(connection: Connection, archive: ArchiveWriter, manifest: Manifest) -> None:
    """Every table, whatever the schema's version: a base not yet migrated by a newer kb
    (the moment to back it up) is saved as it is."""
    if not manifest.schema_revision:
        raise InvalidInput("la base n'est pas initialisée (lancez « kb init ») : rien à "
                           "sauvegarder")
    if manifest.schema_revision not in db.known_revisions():
        raise InvalidInput(f"la base est au schéma « {manifest.schema_revision} », inconnu de "
                           "cette version de kb : sauvegardez-la avec la version qui la sert")
    for table in data_tables(connection):
        member = f"{TABLES_DIR}/{table.name}.jsonl"
        rows = archive.write_lines(member, table_rows(connection, table))
        manifest.tables.append(TableEntry(table.name, rows, member))


def original_member(digest: str) -> str:
    return f"{ORIGINALS_DIR}/{digest[:2]}/{digest}"


def _write_originals(ctx: KbContext, connection: Connection, archive: ArchiveWriter,
                     manifest: Manifest) -> None:
    """Every original a document or a revision of the snapshot refers to. Originals are
    never deleted and are stored before the row that names them is committed, so each one
    is on disk; one that is not (a damaged disk) is listed, and the backup goes on."""
    digests = connection.scalars(union(select(Revision.content_hash),
                                       select(Document.content_hash)))
    for digest in sorted(digests):
        if not ctx.originals.exists(digest):
            manifest.missing_originals.append(digest)
            continue
        archive.write_bytes(original_member(digest), ctx.originals.read(digest))


def _write_thesauri(connection: Connection, archive: ArchiveWriter) -> None:
    """Each concept scheme as SKOS Turtle, for people and other tools (the restore reads the
    tables)."""
    with Session(bind=connection) as session:
        for scheme in session.scalars(select(ConceptScheme).order_by(ConceptScheme.id)):
            turtle = scheme_graph(session, scheme).serialize(format="turtle")
            archive.write_bytes(f"{THESAURI_DIR}/schema-{scheme.id}.ttl", turtle.encode("utf-8"))
