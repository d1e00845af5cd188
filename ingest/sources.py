"""Where files come from: folders walked recursively, single files, sidecar metadata."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ingest.model import ReadError

SIDECAR_SUFFIX = ".meta.yaml"
# Files that operating systems and office suites leave in folders: never documents.
JUNK_NAMES = {"thumbs.db", "desktop.ini", "__macosx"}
JUNK_PREFIXES = ("~$", ".~lock.", ".")


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest, its stable key and where it was found.

    `source_key` is the path relative to the ingested folder (the name for a single file);
    `root` is the folder (None for a single file); `hint` adds the folder's own name so that
    `kb ingest fiches/` or `kb ingest fiches/x.md` still tells the kind of document."""

    path: Path
    source_key: str
    root: Path | None = None
    # Set when the file must not be read (a link leading outside the folder): reported.
    refusal: str | None = None

    @property
    def hint(self) -> str:
        base = self.root if self.root is not None else self.path.parent
        return f"{base.name}/{self.source_key}" if base.name else self.source_key


def is_junk(name: str) -> bool:
    """Hidden files, lock files and OS droppings, by name."""
    return name.lower() in JUNK_NAMES or name.startswith(JUNK_PREFIXES)


def matches(key: str, patterns: Sequence[str]) -> bool:
    name = PurePosixPath(key).name
    return any(fnmatch.fnmatch(key, p) or fnmatch.fnmatch(name, p) for p in patterns)


def selected(key: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether a relative key passes the include and exclude patterns."""
    if include and not matches(key, include):
        return False
    return not (exclude and matches(key, exclude))


def walk_folder(root: Path, include: Sequence[str] = (),
                exclude: Sequence[str] = ()) -> Iterator[SourceFile]:
    """Files under `root` in a stable order, skipping junk and sidecars; a symlink that leads
    outside the folder is yielded with a refusal (reported, never read); symlinked folders
    are not followed (no loops)."""
    resolved = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not is_junk(d))
        for name in sorted(files):
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if is_junk(name) or name.endswith(SIDECAR_SUFFIX):
                continue
            if not selected(key, include, exclude):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(resolved):
                yield SourceFile(path, key, root,
                                 refusal="lien symbolique vers l'extérieur du dossier, ignoré")
            elif path.is_file():
                yield SourceFile(path, key, root)


def iter_source_files(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[SourceFile]:
    """Every file under `paths`: folders walked recursively, single files as given."""
    for given in paths:
        if given.is_dir():
            yield from walk_folder(given, include, exclude)
        else:
            yield SourceFile(given, given.name)


def parse_sidecar(data: bytes, name: str) -> dict[str, object]:
    """The mapping written in a `NAME.meta.yaml` file."""
    try:
        loaded = yaml.safe_load(data.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReadError(f"fichier de métadonnées {name} invalide ({exc})") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ReadError(f"fichier de métadonnées {name} : dictionnaire clé: valeur attendu")
    return loaded


def sidecar_names(name: str) -> tuple[str, str]:
    """`x.pdf.meta.yaml` and `x.meta.yaml`, the two names a sidecar of `x.pdf` may have."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return name + SIDECAR_SUFFIX, stem + SIDECAR_SUFFIX


def read_sidecar(path: Path) -> dict[str, object] | None:
    """The `NAME.meta.yaml` beside a file, if any."""
    for candidate in sidecar_names(path.name):
        sidecar = path.with_name(candidate)
        if sidecar.is_file():
            return parse_sidecar(sidecar.read_bytes(), sidecar.name)
    return None
