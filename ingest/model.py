"""The structure every reader returns, and the one error they raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ReadError(Exception):
    """A file that cannot be read; the message names the cause in French."""

    def __init__(self, reason: str, name: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.name = name

    def __str__(self) -> str:
        return f"{self.name} : {self.reason}" if self.name else self.reason


@dataclass
class Section:
    """A heading (level 1-6, or 0 for none) and the paragraphs under it; PDF sections also
    carry the number of the page they come from."""

    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    page: int | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "heading": self.heading, "level": self.level, "paragraphs": self.paragraphs}
        if self.page is not None:
            data["page"] = self.page
        return data


@dataclass
class ExtractedDocument:
    """What a reader extracted: text kept as sections, plus metadata as found.

    Readers fill `sections`, `page_count`, `warnings` and `metadata` (keys and values as the
    file wrote them); `registry.read_bytes` then fills `title`, `authors`, `date` and
    `language` from that metadata, the first heading and the text."""

    media_type: str
    sections: list[Section] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    language: str | None = None
    page_count: int | None = None
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Plain text, headings on their own lines, paragraphs separated by blank lines."""
        blocks: list[str] = []
        for section in self.sections:
            if section.heading:
                blocks.append(section.heading)
            blocks.extend(p for p in section.paragraphs if p)
        return "\n\n".join(blocks)

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections if s.heading]

    def first_heading(self) -> str | None:
        for section in self.sections:
            if section.heading:
                return section.heading
        return None


@dataclass
class Entry:
    """One document of an input: the input itself, a record or an archive member.

    `suffix` is appended to the input's source key (`""`, `#id` or `/inner/path`); `name`
    is used for type detection, messages and downloads; `error` marks an entry that cannot
    be read while its siblings can."""

    suffix: str
    name: str
    data: bytes = b""
    media_type: str | None = None
    sidecar: dict[str, object] | None = None
    error: str | None = None
