"""An experience sheet as blocks, and as DOCX or ODT files the narrator can read and correct.

The layout is the one `kb.sheets.importing` reads back: a title, « Libellé : valeur » lines
(one « Auteur·rice : nom — rôle » line per person), then one heading per part (Contexte,
Acteurs, Récit, Difficultés, Enseignements).
"""

from __future__ import annotations

import datetime as dt

from kb.exports.blocks import Block, DocMeta, Heading, Para, Run
from kb.exports.docx_writer import build_docx
from kb.exports.odt_writer import build_odt
from kb.sheets.content import (
    AUTHOR_LABEL,
    META_LABELS,
    SECTIONS,
    THEME_SEPARATOR,
    SheetContent,
    authors_line,
    paragraphs,
)

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
SUBJECT = "Fiche d'expérience"


def french_date(value: dt.date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _meta_value(content: SheetContent, name: str) -> str:
    value = getattr(content, name)
    if name == "experience_date":
        return french_date(value) if value else ""
    if name == "themes":
        return THEME_SEPARATOR.join(value)
    return str(value or "")


def sheet_blocks(content: SheetContent) -> list[Block]:
    """Title, descriptive lines, then every part under its heading (even when empty, so
    that the narrator sees where to write)."""
    content = content.normalized()
    blocks: list[Block] = [Heading(1, [Run(content.title or "Fiche sans titre")])]
    blocks += [Para([Run(f"{AUTHOR_LABEL} : ", bold=True), Run(author.label())])
               for author in content.authors]
    for name, label in META_LABELS:
        value = _meta_value(content, name)
        if value:
            blocks.append(Para([Run(f"{label} : ", bold=True), Run(value)]))
    for name, heading in SECTIONS:
        blocks.append(Heading(2, [Run(heading)]))
        blocks.extend(Para([Run(p)]) for p in paragraphs(getattr(content, name)))
    return blocks


def sheet_meta(content: SheetContent, created: dt.datetime) -> DocMeta:
    return DocMeta(title=content.title or "Fiche sans titre", created=created,
                   authors=authors_line(content.authors),
                   keywords=tuple(content.themes), subject=SUBJECT)


def sheet_docx(content: SheetContent, created: dt.datetime) -> bytes:
    """The sheet as DOCX; the same content and date give the same bytes."""
    return build_docx(sheet_blocks(content), sheet_meta(content, created))


def sheet_odt(content: SheetContent, created: dt.datetime) -> bytes:
    return build_odt(sheet_blocks(content), sheet_meta(content, created))
