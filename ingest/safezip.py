"""ZIP archives opened only after every entry has been checked: paths, links, sizes, ratios."""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib

from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.model import ReadError

_DRIVE = re.compile(r"^[A-Za-z]:")
UNIX = 3


def unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why an entry must not be trusted, or None: absolute or escaping paths, links."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return "chemin absolu"
    if ".." in name.split("/"):
        return "chemin qui sort de l'archive (../)"
    if "\x00" in name:
        return "nom contenant un octet nul"
    if info.create_system == UNIX and stat.S_ISLNK(info.external_attr >> 16):
        return "lien symbolique"
    if info.flag_bits & 0x1:
        return "entrée chiffrée (mot de passe)"
    return None


def check_archive(archive: zipfile.ZipFile, packed_size: int, limits: Limits) -> None:
    """Refuse the whole archive when one entry is hostile or the sizes betray a bomb.

    Declared sizes can be trusted as upper bounds: `zipfile` never returns more bytes than
    an entry declares and fails on a CRC mismatch."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise ReadError(f"archive refusée : trop d'entrées ({len(infos)}, limite "
                        f"{limits.max_members})")
    total = 0
    for info in infos:
        if reason := unsafe_reason(info):
            raise ReadError(f"archive refusée : {reason} « {info.filename[:200]} »")
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise ReadError(f"archive refusée : taux de compression suspect (1:{ratio:.0f}) "
                            f"pour « {info.filename[:200]} », bombe de décompression ?")
    if total > limits.max_archive_bytes:
        raise ReadError(f"archive refusée : {total} octets une fois décompressée (limite "
                        f"{limits.max_archive_bytes}), bombe de décompression ?")
    overall = total / max(packed_size, 1)
    if total > limits.ratio_floor_bytes and overall > limits.max_ratio:
        raise ReadError(f"archive refusée : taux de compression suspect (1:{overall:.0f}), "
                        "bombe de décompression ?")


def open_archive(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """A checked `ZipFile` over `data`; `ReadError` if unreadable or hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(f"archive ZIP illisible ou corrompue ({exc})") from exc
    try:
        check_archive(archive, len(data), limits)
    except ReadError:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise ReadError(f"entrée « {info.filename[:200]} » illisible ({exc})") from exc
