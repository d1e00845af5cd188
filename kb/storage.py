"""Content-addressed store of original files: one file per SHA-256, written atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OriginalStore:
    """Originals kept as they were received, under `originals/ab/cd/<sha256>`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"empreinte invalide : {digest!r}")
        return self.folder / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        digest = sha256(data)
        target = self.path_for(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def read(self, digest: str) -> bytes:
        return self.path_for(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self.path_for(digest).exists()
