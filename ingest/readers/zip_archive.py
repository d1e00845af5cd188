"""ZIP archives of documents: each member checked, read in memory, never written to disk."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from ingest.limits import Limits
from ingest.model import Entry, ReadError
from ingest.registry import detect_type
from ingest.safezip import open_archive, read_member
from ingest.sources import SIDECAR_SUFFIX, is_junk, parse_sidecar, sidecar_names


def _skipped(path: PurePosixPath) -> bool:
    return any(is_junk(part) for part in path.parts) or path.name.endswith(SIDECAR_SUFFIX)


def _sidecar(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo],
             inner: PurePosixPath) -> dict[str, object] | None:
    for candidate in sidecar_names(inner.name):
        info = names.get(str(inner.with_name(candidate)))
        if info is not None:
            return parse_sidecar(read_member(archive, info), candidate)
    return None


def zip_members(data: bytes, limits: Limits) -> Iterator[Entry]:
    """One entry per member of the archive, with the sidecar found beside it if any;
    archives inside archives are refused (`ingest.containers.expand` cuts the members)."""
    with open_archive(data, limits) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = {i.filename.replace("\\", "/"): i for i in infos}
        for inner_name, info in sorted(names.items()):
            inner = PurePosixPath(inner_name)
            if _skipped(inner):
                continue
            suffix = f"/{inner_name}"
            if info.file_size > limits.max_file_bytes:
                yield Entry(suffix, inner.name, error=(
                    f"fichier trop volumineux ({info.file_size} octets, limite "
                    f"{limits.max_file_bytes // (1024 * 1024)} Mo)"))
                continue
            try:
                member = read_member(archive, info)
                if member and detect_type(member, inner.name) == "application/zip":
                    raise ReadError("archive dans une archive : non prise en charge")
                sidecar = _sidecar(archive, names, inner)
            except ReadError as exc:
                yield Entry(suffix, inner.name, error=exc.reason)
                continue
            yield Entry(suffix, inner.name, member, sidecar=sidecar)
