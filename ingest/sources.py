"""Where files come from: folders walked recursively, single files, sidecar metadata."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.model import ReadError

SIDECAR_SUFFIX = ".meta.yaml"


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and its stable key (its path relative to the ingested folder)."""

    path: Path
    source_key: str


def _matches(key: str, patterns: Sequence[str]) -> bool:
    name = key.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(key, p) or fnmatch.fnmatch(name, p) for p in patterns)


def iter_source_files(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[SourceFile]:
    """Every file under `paths` (folders walked recursively, in a stable order), skipping
    hidden files, sidecars and symlinks that lead outside the folder."""
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            for path in sorted(given.rglob("*")):
                relative = path.relative_to(given).as_posix()
                if any(part.startswith(".") for part in path.relative_to(given).parts):
                    continue
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    continue
                if not path.is_file() or relative.endswith(SIDECAR_SUFFIX):
                    continue
                if include and not _matches(relative, include):
                    continue
                if exclude and _matches(relative, exclude):
                    continue
                yield SourceFile(path, relative)
        else:
            yield SourceFile(given, given.name)


def read_sidecar(path: Path) -> dict[str, object] | None:
    """The `NAME.meta.yaml` beside a file, if any."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    alternative = path.with_name(path.stem + SIDECAR_SUFFIX)
    for candidate in (sidecar, alternative):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise ReadError(
                    f"fichier de métadonnées {candidate.name} invalide ({exc})"
                ) from exc
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise ReadError(f"fichier de métadonnées {candidate.name} : dictionnaire attendu")
            return data
    return None
