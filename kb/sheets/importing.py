"""Reading a sheet back from a DOCX file or a stored document: sections found by their headings.

Public surface: `sheet_from_docx(data) -> SheetContent` and `sheet_from_sections(title,
sections) -> SheetContent`; text that fits no heading is returned in `unplaced`, never dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.metadata import fold, parse_date
from ingest.model import ReadError
from ingest.safezip import open_archive
from kb.errors import InvalidInput
from kb.sheets.content import LEGACY_ROLES, SECTIONS, Author, SheetContent

# Heading words (folded, without accents) that introduce each part.
HEADING_WORDS = {
    "context": ("contexte", "le contexte", "contexte et enjeux"),
    "actors": ("acteurs", "les acteurs", "acteurs impliques", "actrices et acteurs",
               "acteur·rice·s", "parties prenantes"),
    "narrative": ("recit", "le recit", "recit de l experience", "deroulement", "l experience"),
    "difficulties": ("difficultes", "les difficultes", "difficultes rencontrees", "obstacles"),
    "lessons": ("enseignements", "les enseignements", "enseignements tires", "lecons",
                "lecons apprises", "lecons tirees", "ce que nous en retenons"),
}
_HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)
_META_LINE = re.compile(r"^\s*([^:\n]{3,40}?)\s*:\s*(.+)$", re.DOTALL)
MAX_HEADING_CHARS = 60
# (kind, text, heading level): kind is "title", "heading", "subheading", "para" or "item".
Event = tuple[str, str, int]


def section_for_heading(text: str) -> str | None:
    """The sheet field a heading introduces (« Récit », « 3. Difficultés »…), or None."""
    words = fold(re.sub(r"^[\dIVX]+[.)]\s*", "", text.strip())).strip(" :.")
    for name, variants in HEADING_WORDS.items():
        if words in variants:
            return name
    return None


def meta_field(label: str) -> str | None:
    """The descriptive field a « Libellé : » line fills, or None."""
    folded = fold(label)
    for prefix, name in (("territ", "territory"), ("date", "experience_date"),
                         ("auteur", "authors"), ("narrat", "narrator"), ("maieut", "maieuticien"),
                         ("theme", "themes"), ("mots cles", "themes")):
        if folded.startswith(prefix):
            return name
    return None


class SheetAssembler:
    """Places a stream of title, heading and paragraph events into a `SheetContent`."""

    def __init__(self) -> None:
        self.content = SheetContent()
        self.current: str | None = None  # field being filled; None before the first heading
        self.lost_heading: str | None = None  # an unknown heading whose text is unplaced
        self.parts: dict[str, list[str]] = {name: [] for name, _ in SECTIONS}

    def feed(self, events: Iterable[Event]) -> SheetContent:
        for kind, text, _level in with_subheadings(list(events)):
            text = text.strip()
            if text:
                getattr(self, f"_{kind}")(text)
        for name, _ in SECTIONS:
            setattr(self.content, name, "\n\n".join(self.parts[name]))
        return self.content

    def _title(self, text: str) -> None:
        if not self.content.title:
            self.content.title = " ".join(text.split())
        else:
            self._para(text)

    def _heading(self, text: str) -> None:
        name = section_for_heading(text)
        self.current, self.lost_heading = name, None if name else text
        if name is None:
            self.content.unplaced.append(text)

    def _subheading(self, text: str) -> None:
        """A heading below the parts' level: kept as a line of the part it is in."""
        if self.current is not None:
            self.parts[self.current].append(text)
        else:
            self._heading(text)

    def _para(self, text: str) -> None:
        if self.current is None and " ".join(text.split()) == self.content.title:
            return  # the title repeated as a paragraph (ODT "Title" style, PDF first line)
        if self.current is not None:
            self.parts[self.current].append(text)
        elif self.lost_heading is None and self._meta(text):
            return
        elif self.lost_heading is None and self.content.title == "" and len(text) < 200:
            self.content.title = text
        else:
            self.content.unplaced.append(text)

    def _item(self, text: str) -> None:
        """A paragraph in a Word list style: a dashed line joined to the list before it."""
        line = f"- {text}"
        part = self.parts[self.current] if self.current else None
        if part and part[-1].split("\n")[-1].startswith("- "):
            part[-1] += "\n" + line
        else:
            self._para(line)

    def _meta(self, text: str) -> bool:
        match = _META_LINE.match(text)
        name = meta_field(match[1]) if match else None
        if match is None or name is None:
            return False
        value = " ".join(match[2].split())
        if name == "experience_date":
            self.content.experience_date = parse_date(value)
            return self.content.experience_date is not None
        if name == "themes":
            self.content.themes = [t.strip() for t in re.split(r"\s*;\s*", value) if t.strip()]
        elif name == "authors":
            self.content.authors.append(Author.parse(value))
        elif name in LEGACY_ROLES:  # sheets written before authors were a list
            self.content.authors.append(Author.parse(value, LEGACY_ROLES[name], legacy=True))
        else:
            setattr(self.content, name, value)
        return True


def with_subheadings(events: list[Event]) -> list[Event]:
    """Headings deeper than the first heading naming a part become subheadings; a short
    paragraph that names a part (« Récit » typed in bold) becomes a heading."""
    levels = [level for kind, text, level in events
              if kind == "heading" and section_for_heading(text) and level]
    base = min(levels) if levels else None
    marked: list[Event] = []
    for kind, text, level in events:
        if kind == "para" and len(text.strip()) <= MAX_HEADING_CHARS \
                and section_for_heading(text):
            kind, level = "heading", base or 0
        elif kind == "heading" and base is not None and level > base \
                and not section_for_heading(text):
            kind = "subheading"
        marked.append((kind, text, level))
    return marked


def _docx_events(document: docx.document.Document) -> Iterator[Event]:
    # Style names looked up once: `Paragraph.style` scans every style on each call.
    names = {style.style_id: style.name or "" for style in document.styles}
    default_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default = (default_style.name or "") if default_style is not None else ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                yield "para", " | ".join(cell.text.strip() for cell in row.cells), 0
            continue
        style_id = block._p.style
        yield _paragraph_event(block, (names.get(style_id, default) if style_id else default))


def _paragraph_event(paragraph: Paragraph, style_name: str) -> Event:
    style = style_name.lower()
    text = paragraph.text
    if style in ("title", "titre"):
        return "title", text, 0
    if match := _HEADING_STYLE.match(style):
        return "heading", text, int(match[1])
    if "list" in style or "liste" in style:
        return "item", text, 0
    return "para", text, 0


def sheet_from_docx(data: bytes) -> SheetContent:
    """A sheet read from a DOCX following the export's headings; `InvalidInput` if unreadable."""
    try:
        open_archive(data).close()  # paths, links, sizes and ratios checked before parsing
        document = docx.Document(io.BytesIO(data))
    except ReadError as exc:
        raise InvalidInput(f"fichier : document Word (DOCX) refusé ({exc.reason})") from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput("fichier : ce n'est pas un document Word (DOCX) lisible") from exc
    content = SheetAssembler().feed(_docx_events(document))
    props = document.core_properties
    if not content.title and props.title:
        content.title = props.title.strip()
    if not content.themes and props.keywords:
        content.themes = [t.strip() for t in re.split(r"[;,]", props.keywords) if t.strip()]
    return content


def sheet_from_sections(title: str, sections: list[dict[str, object]]) -> SheetContent:
    """A sheet read from a stored document's sections (any format the readers know)."""
    events: list[Event] = [("title", title, 0)]
    for section in sections:
        heading = str(section.get("heading") or "")
        if heading and heading != title:
            events.append(("heading", heading, int(section.get("level") or 1)))  # type: ignore[call-overload]
        events.extend(("para", str(p), 0) for p in section.get("paragraphs") or [])  # type: ignore[attr-defined]
    return SheetAssembler().feed(events)
