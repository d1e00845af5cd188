"""The backup archive: a ZIP file whose `manifest.json` lists every other member with its
SHA-256 and size, written beside its final name and moved there only when complete."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from kb.errors import InvalidInput

FORMAT = "kb-sauvegarde"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_DIR = "base"
ORIGINALS_DIR = "originaux"
THESAURI_DIR = "thesaurus"
CHUNK = 1024 * 1024


@dataclass
class TableEntry:
    name: str
    rows: int
    file: str


@dataclass
class Manifest:
    """What an archive holds and where it comes from; `files` maps each member to
    `{"sha256": ..., "bytes": ...}`."""

    created_at: str
    kb_version: str
    schema_revision: str
    database: str
    tables: list[TableEntry] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    missing_originals: list[str] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        tables = [TableEntry(**t) for t in data.pop("tables", [])]
        return cls(tables=tables, **data)


class _HashingWriter:
    """Counts and hashes what goes through to the archive member."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)


class ArchiveWriter:
    """Members streamed into a temporary ZIP next to `path`; `finish()` adds the manifest and
    moves the file into place, so that `path` is never a half-written archive."""

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        self.temporary = Path(name)
        self.zip = zipfile.ZipFile(self.temporary, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=6)
        self.files: dict[str, dict[str, Any]] = {}

    def write_lines(self, name: str, records: Iterable[object]) -> int:
        """One JSON document per line; returns the number of lines."""
        count = 0
        with self._open(name) as member:
            out = _HashingWriter(member)
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8") + b"\n")
                count += 1
        self._record(name, out)
        return count

    def write_bytes(self, name: str, data: bytes) -> None:
        with self._open(name) as member:
            out = _HashingWriter(member)
            out.write(data)
        self._record(name, out)

    def _open(self, name: str) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        return self.zip.open(info, "w", force_zip64=True)

    def _record(self, name: str, out: _HashingWriter) -> None:
        self.files[name] = {"sha256": out.digest.hexdigest(), "bytes": out.size}

    def finish(self, manifest: Manifest) -> None:
        manifest.files = self.files
        self.zip.writestr(MANIFEST, manifest.as_json())
        self.zip.close()
        os.replace(self.temporary, self.path)

    def abandon(self) -> None:
        with suppress(Exception):
            self.zip.close()
        self.temporary.unlink(missing_ok=True)


class BackupArchive:
    """An archive opened for reading; every problem is an `InvalidInput` naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise InvalidInput(f"{path} : fichier introuvable")
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise self.error("ce n'est pas une sauvegarde kb (archive ZIP illisible)") from exc
        self.manifest = self._read_manifest()

    def error(self, message: str) -> InvalidInput:
        return InvalidInput(f"{self.path.name} : {message}")

    def _read_manifest(self) -> Manifest:
        try:
            data = json.loads(self.zip.read(MANIFEST))
        except KeyError as exc:
            raise self.error(f"ce n'est pas une sauvegarde kb ({MANIFEST} absent)") from exc
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise self.error(f"{MANIFEST} illisible ou abîmé") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self.error(f"ce n'est pas une sauvegarde kb ({MANIFEST} d'un autre format)")
        version = data.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise self.error(f"sauvegarde au format {version}, cette version de kb lit le "
                             f"format {FORMAT_VERSION} au plus : mettez kb à jour")
        try:
            return Manifest.from_json(data)
        except TypeError as exc:
            raise self.error(f"{MANIFEST} incomplet ou mal formé") from exc

    def verify(self) -> int:
        """Check that every member listed is there, complete and unchanged, and that nothing
        else is; returns the number of members checked."""
        listed = set(self.manifest.files)
        present = {n for n in self.zip.namelist() if n != MANIFEST}
        if missing := sorted(listed - present):
            raise self.error(f"archive incomplète, il manque {', '.join(missing[:5])}")
        if extra := sorted(present - listed):
            raise self.error(f"fichier étranger à la sauvegarde : {', '.join(extra[:5])}")
        for name in sorted(listed):
            self._verify_member(name)
        return len(listed)

    def _verify_member(self, name: str) -> None:
        expected = self.manifest.files[name]
        digest, size = hashlib.sha256(), 0
        try:
            with self.zip.open(name) as member:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise self.error(f"{name} abîmé ({exc})") from exc
        if digest.hexdigest() != expected.get("sha256") or size != expected.get("bytes"):
            raise self.error(f"{name} ne correspond pas à sa somme de contrôle : le fichier a "
                             "été modifié ou abîmé")

    def lines(self, name: str) -> Iterator[dict[str, Any]]:
        """The JSON objects of a JSON Lines member."""
        with self.zip.open(name) as member:
            for number, line in enumerate(member, start=1):
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise self.error(f"{name}, ligne {number} : JSON invalide") from exc
                if not isinstance(record, dict):
                    raise self.error(f"{name}, ligne {number} : objet JSON attendu")
                yield record

    def members(self, folder: str) -> list[str]:
        return sorted(n for n in self.manifest.files if n.startswith(folder + "/"))

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def close(self) -> None:
        self.zip.close()
