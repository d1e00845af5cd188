"""`kb restore`: an archive checked whole, then loaded into an empty instance on SQLite or
PostgreSQL, its index rebuilt and compared with the database (`kb check`).

Order matters for safety: nothing is written before every checksum is verified; originals
(content-addressed, harmless if unused) come before the database; the rows are loaded in one
transaction, so a failure leaves the instance empty, ready for another try."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, MetaData

from kb import db
from kb.backup.archive import ORIGINALS_DIR, BackupArchive, Manifest
from kb.backup.tables import count_rows, data_tables, insert_rows, reset_sequences
from kb.backup.writing import kept_settings
from kb.config import Settings
from kb.context import KbContext
from kb.errors import Conflict
from kb.indexing.sync import check_index, rebuild_index
from kb.storage import OriginalStore

# Tables an instance fills on its own when opened, before holding any data (the directory's
# scan state): their rows do not make it non-empty; the archive's replace them.
BOOKKEEPING = frozenset({"directory_state"})


@dataclass
class RestoreReport:
    manifest: Manifest
    checked_files: int
    rows: int = 0
    originals: int = 0
    indexed: int = 0
    drift: dict[str, list[str]] = field(default_factory=dict)
    # (setting, value in the archive, value here) for each setting that differs.
    setting_changes: list[tuple[str, str, str]] = field(default_factory=list)


def restore_backup(settings: Settings, path: Path, force: bool = False,
                   dry_run: bool = False) -> RestoreReport:
    """Restore `path` into the instance of `settings`, which must be empty unless `force`
    (then its database is emptied first). With `dry_run`, only check the archive."""
    archive = BackupArchive(path)
    try:
        report = RestoreReport(archive.manifest, archive.verify())
        _check_schema(archive)
        if dry_run:
            return report
        engine = db.make_engine(settings)
        try:
            db.check_connection(engine)
            _empty_target(engine, force)
            report.originals = _restore_originals(archive, OriginalStore(settings.originals_dir))
            db.upgrade(engine, archive.manifest.schema_revision)
            report.rows = _load_tables(engine, archive)
            db.upgrade(engine)  # an archive of an older kb reaches today's schema
        finally:
            engine.dispose()
    finally:
        archive.close()
    _rebuild_index(settings, report)
    here = kept_settings(settings)
    report.setting_changes = [(name, value, here[name])
                              for name, value in report.manifest.settings.items()
                              if name in here and here[name] != value]
    return report


def _check_schema(archive: BackupArchive) -> None:
    revision, known = archive.manifest.schema_revision, db.known_revisions()
    if revision not in known:
        raise archive.error(f"sauvegarde au schéma « {revision} », inconnu de cette version "
                            f"de kb (qui va jusqu'à {known[-1]}) : mettez kb à jour")


def _empty_target(engine: Engine, force: bool) -> None:
    """Refuse an instance holding data unless `force`; then drop every table, so that the
    migrations rebuild the archive's schema from nothing."""
    with engine.begin() as connection:
        filled = {t.name: n for t in data_tables(connection)
                  if t.name not in BOOKKEEPING and (n := count_rows(connection, t))}
        if filled and not force:
            listed = ", ".join(f"{name} : {n}" for name, n in sorted(filled.items()))
            raise Conflict(f"l'instance n'est pas vide ({listed}) ; kb restore remplit une "
                           "instance vide : choisissez-en une autre, ou relancez avec --force "
                           "pour effacer d'abord tout son contenu")
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)


def _restore_originals(archive: BackupArchive, store: OriginalStore) -> int:
    members = archive.members(ORIGINALS_DIR)
    for name in members:
        if store.put(archive.read(name)) != Path(name).name:
            raise archive.error(f"{name} : son contenu ne correspond pas à son nom")
    return len(members)


def _load_tables(engine: Engine, archive: BackupArchive) -> int:
    entries = {entry.name: entry for entry in archive.manifest.tables}
    with engine.begin() as connection:
        tables = data_tables(connection)
        expected = {t.name for t in tables}
        if set(entries) != expected:
            differ = sorted(set(entries) ^ expected)
            raise archive.error(f"les tables de la sauvegarde ne sont pas celles du schéma "
                                f"{archive.manifest.schema_revision} ({', '.join(differ)})")
        total = 0
        for table in tables:
            entry = entries[table.name]
            count = insert_rows(connection, table, archive.lines(entry.file),
                                f"{archive.path.name}, {entry.file}")
            if count != entry.rows:
                raise archive.error(f"{entry.file} : {count} lignes au lieu des "
                                    f"{entry.rows} annoncées")
            total += count
        reset_sequences(connection, tables)
    return total


def _rebuild_index(settings: Settings, report: RestoreReport) -> None:
    ctx = KbContext.open(settings)
    try:
        report.indexed = rebuild_index(ctx)
        report.drift = {k: v for k, v in check_index(ctx).items() if v}
    finally:
        ctx.close()
