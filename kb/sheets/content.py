"""The content of an experience sheet: its fields, its people, headings, normal form and
document sections.

The people of a sheet are a list of authors, each a name and an optional role (« Josiane
Vidal — élue à l'agriculture »): the first is the person who tells the experience (and
approves the sheet), the maïeuticien·ne who wrote it down is usually among them."""

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
# Descriptive fields written as « Libellé : valeur » lines under the title (each author on
# a line of their own, « Auteur·rice : nom — rôle »).
AUTHOR_LABEL = "Auteur·rice"
META_LABELS: tuple[tuple[str, str], ...] = (
    ("territory", "Territoire"),
    ("experience_date", "Date de l'expérience"),
    ("themes", "Thèmes"),
)
THEME_SEPARATOR = " ; "
ROLE_SEPARATOR = " — "
# « Nom — rôle », also with an en dash or a hyphen between spaces.
_ROLE_SPLIT = re.compile(r"\s+[—–-]\s+")
# What the older single fields meant, as a role when they gave none.
LEGACY_ROLES = {"narrator": "narrateur·rice", "maieuticien": "maïeuticien·ne"}
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


def one_line(text: object) -> str:
    return " ".join(str(text or "").split())


@dataclass(frozen=True)
class Author:
    """One person of a sheet: a name and, optionally, their role or quality."""

    name: str
    role: str = ""

    def label(self) -> str:
        return self.name + (ROLE_SEPARATOR + self.role if self.role else "")

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}

    @classmethod
    def parse(cls, text: str, default_role: str = "", legacy: bool = False) -> Author:
        """« Nom — rôle » (`legacy`: also « Nom, rôle », as the older single fields held)."""
        text = one_line(text)
        parts = _ROLE_SPLIT.split(text, maxsplit=1)
        if len(parts) == 1 and legacy:
            parts = text.split(", ", 1)
        return cls(parts[0], parts[1] if len(parts) > 1 else default_role)

    @classmethod
    def of(cls, value: object) -> Author:
        if isinstance(value, Author):
            return value
        if isinstance(value, dict):
            return cls(one_line(value.get("name")), one_line(value.get("role")))
        return cls.parse(str(value))


def authors_line(authors: list[Author]) -> str:
    """« Josiane Vidal — élue à l'agriculture ; Maïa Lucien — maïeuticienne »."""
    return THEME_SEPARATOR.join(a.label() for a in authors)


def legacy_authors(narrator: object, maieuticien: object) -> list[Author]:
    """The people of a sheet stored before authors were a list (one narrator, one
    maïeuticien·ne)."""
    return [Author.parse(str(value), LEGACY_ROLES[name], legacy=True)
            for name, value in (("narrator", narrator), ("maieuticien", maieuticien))
            if one_line(value)]


@dataclass
class SheetContent:
    """Everything a narrator reads and may correct: the words of the sheet."""

    title: str = ""
    territory: str = ""
    experience_date: dt.date | None = None
    authors: list[Author] = field(default_factory=list)
    context: str = ""
    actors: str = ""
    narrative: str = ""
    difficulties: str = ""
    lessons: str = ""
    themes: list[str] = field(default_factory=list)
    # Text an import found but could not place under a known heading; never dropped.
    unplaced: list[str] = field(default_factory=list)

    def normalized(self) -> SheetContent:
        lines = {name: one_line(getattr(self, name)) for name in ("title", "territory")}
        texts = {name: normalize_text(getattr(self, name)) for name, _ in SECTIONS}
        people = [Author(one_line(a.name), one_line(a.role)) for a in map(Author.of, self.authors)]
        return SheetContent(**lines, **texts, experience_date=self.experience_date,
                            authors=[a for a in people if a.name or a.role],
                            themes=clean_themes(self.themes),
                            unplaced=[normalize_text(u) for u in self.unplaced if u.strip()])

    @property
    def narrator(self) -> str:
        """The person who tells the experience: the first author."""
        return self.authors[0].name if self.authors else ""

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
        """A content as `as_dict` wrote it, or as revisions kept it before authors were a
        list (`narrator` and `maieuticien`)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        raw_date = values.get("experience_date")
        values["experience_date"] = dt.date.fromisoformat(str(raw_date)) if raw_date else None
        if "authors" in data:
            values["authors"] = [Author.of(a) for a in data["authors"] or []]  # type: ignore[attr-defined]
        else:
            values["authors"] = legacy_authors(data.get("narrator"), data.get("maieuticien"))
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def of(cls, sheet: object) -> SheetContent:
        """The content of anything with the sheet's attributes (a `Sheet` row)."""
        values = {f.name: getattr(sheet, f.name) for f in fields(cls)}
        values["authors"] = [Author.of(a) for a in values["authors"] or []]
        return cls(**values)

    def apply_to(self, sheet: object) -> None:
        for f in fields(self):
            setattr(sheet, f.name, getattr(self, f.name))
        sheet.authors = [Author.of(a).as_dict() for a in self.authors]  # type: ignore[attr-defined]

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
