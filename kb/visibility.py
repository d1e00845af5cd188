"""The one visibility rule, applied to every read: pages, downloads, search, API.

A document is `public`, `membres` (any signed-in member) or `restreint` to named groups.
The index stores a document's tokens (`document_tokens`); a reader may see a document when
they share one token (`reader_tokens`); `can_read` applies the same rule in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("allie", "maieuticien", "formateur", "collectif", "admin")
# Each role also makes its holder a member of a group of the same trade.
ROLE_GROUPS = {
    "allie": "allies",
    "maieuticien": "maieuticiens",
    "formateur": "formateurs",
    "collectif": "collectif",
    "admin": "administrateurs",
}
ALL_RESTRICTED = "restreint"


@dataclass(frozen=True)
class Reader:
    """Who is reading: an anonymous visitor, a member with roles and groups, or the operator."""

    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    groups: frozenset[str] = field(default_factory=frozenset)
    sees_everything: bool = False

    @classmethod
    def anonymous(cls) -> Reader:
        return cls()

    @classmethod
    def operator(cls) -> Reader:
        """The command line run by whoever holds the instance's files."""
        return cls(sees_everything=True)

    @property
    def is_member(self) -> bool:
        return self.sees_everything or self.user_id is not None

    @property
    def all_groups(self) -> frozenset[str]:
        return self.groups | {ROLE_GROUPS[r] for r in self.roles if r in ROLE_GROUPS}


def document_tokens(visibility: str, groups: list[str]) -> list[str]:
    if visibility == "public":
        return ["public"]
    if visibility == "restreint":
        return [ALL_RESTRICTED, *(f"groupe:{g.lower()}" for g in groups)]
    return ["membres"]


def reader_tokens(reader: Reader) -> frozenset[str]:
    tokens = {"public"}
    if reader.is_member:
        tokens.add("membres")
        tokens.update(f"groupe:{g.lower()}" for g in reader.all_groups)
    if reader.sees_everything or "admin" in reader.roles:
        tokens.add(ALL_RESTRICTED)
    return frozenset(tokens)


def visibilities_to_check(reader: Reader) -> tuple[str, ...]:
    """The visibility values among which this reader's documents are: a query narrows on
    them, then `can_read` settles the restricted ones (their groups are in a JSON list)."""
    if not reader.is_member:
        return ("public",)
    return ("public", "membres", ALL_RESTRICTED)


def can_read(reader: Reader, visibility: str, groups: list[str]) -> bool:
    return not reader_tokens(reader).isdisjoint(document_tokens(visibility, groups))
