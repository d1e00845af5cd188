"""Size limits that protect the readers from huge or hostile files (archives above all)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a single input may cost; kb builds one from its settings."""

    max_file_bytes: int = 50 * MB
    # An archive may hold several files, but not unboundedly many bytes once unpacked.
    max_archive_bytes: int = 500 * MB
    max_members: int = 10_000
    # Deflate rarely exceeds 1:100 on real documents; bombs reach 1:1000.
    max_ratio: int = 200
    # Ratios are only checked above this size: small repetitive files compress a lot.
    ratio_floor_bytes: int = 1 * MB

    @classmethod
    def for_file_limit(cls, max_file_bytes: int) -> Limits:
        return cls(max_file_bytes=max_file_bytes,
                   max_archive_bytes=max(10 * max_file_bytes, 100 * MB))


DEFAULT_LIMITS = Limits()
