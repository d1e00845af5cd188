"""The content of an experience sheet: its fields, headings, normal form and document sections."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields

# The five parts of a sheet, in order: field name and the heading that introduces it.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("context", "Contexte"),
    ("actors", "Acteurs"),
    ("narrative", "Récit"),
    ("difficulties", "Difficultés"),
    ("lessons", "Enseignements"),
)
SECTION_HEADINGS = dict(SECTIONS)
# Descriptive fields written as « Libellé : valeur » lines under the title.
META_LABELS: tuple[tuple[str, str], ...] = (
    ("territory", "Territoire"),
    ("experience_date", "Date de l'expérience"),
    ("narrator", "Narrateur·rice"),
    ("maieuticien", "Maïeuticien·ne"),
    ("themes", "Thèmes"),
)
THEME_SEPARATOR = " ; "
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def normalize_text(text: str | None) -> str:
    """Line endings, NFC, trailing spaces and runs of blank lines; every word is kept."""
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n").strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a field (separated by blank lines)."""
    return [p for p in normalize_text(text).split("\n\n") if p.strip()]


def clean_themes(themes: list[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively) themes, in the order given."""
    seen: set[str] = set()
    kept = []
    for theme in themes:
        value = " ".join(str(theme).split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value[:200])
    return kept


@dataclass
class SheetContent:
    """Everything a narrator reads and may correct: the words of the sheet."""

    title: str = ""
    territory: str = ""
    experience_date: dt.date | None = None
    narrator: str = ""
    maieuticien: str = ""
    context: str = ""
    actors: str = ""
    narrative: str = ""
    difficulties: str = ""
    lessons: str = ""
    themes: list[str] = field(default_factory=list)
    # Text an import found but could not place under a known heading; never dropped.
    unplaced: list[str] = field(default_factory=list)

    def normalized(self) -> SheetContent:
        one_line = {name: " ".join(str(getattr(self, name)).split())
                    for name in ("title", "territory", "narrator", "maieuticien")}
        texts = {name: normalize_text(getattr(self, name)) for name, _ in SECTIONS}
        return SheetContent(**one_line, **texts, experience_date=self.experience_date,
                            themes=clean_themes(self.themes),
                            unplaced=[normalize_text(u) for u in self.unplaced if u.strip()])

    def same_words(self, other: SheetContent) -> bool:
        """Same content once normalised (unplaced text aside)."""
        mine, theirs = self.normalized(), other.normalized()
        mine.unplaced = theirs.unplaced = []
        return mine == theirs

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["experience_date"] = self.experience_date.isoformat() \
            if self.experience_date else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SheetContent:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        raw_date = values.get("experience_date")
        values["experience_date"] = dt.date.fromisoformat(str(raw_date)) if raw_date else None
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def of(cls, sheet: object) -> SheetContent:
        """The content of anything with the sheet's attributes (a `Sheet` row)."""
        return cls(**{f.name: getattr(sheet, f.name) for f in fields(cls)})

    def apply_to(self, sheet: object) -> None:
        for f in fields(self):
            setattr(sheet, f.name, getattr(self, f.name))

    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name, _ in SECTIONS)

    def document_sections(self) -> list[dict[str, object]]:
        """Sections as a Document stores them: the title, then each non-empty part, one
        paragraph per line so that lists written with dashes display as lines."""
        sections: list[dict[str, object]] = [{"heading": self.title, "level": 1,
                                              "paragraphs": []}]
        for name, heading in SECTIONS:
            lines = [line for p in paragraphs(getattr(self, name)) for line in p.split("\n")]
            if lines:
                sections.append({"heading": heading, "level": 2, "paragraphs": lines})
        return sections

    def document_text(self) -> str:
        """Plain text as the readers store it: headings and paragraphs, blank-line separated."""
        blocks: list[str] = []
        for section in self.document_sections():
            if section["heading"]:
                blocks.append(str(section["heading"]))
            blocks.extend(str(p) for p in section["paragraphs"])  # type: ignore[attr-defined]
        return "\n\n".join(blocks)
