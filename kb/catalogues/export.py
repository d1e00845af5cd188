"""A catalogue as a training handout: DOCX or Markdown, from what one reader may see.

The caller passes a `CatalogueView` (already filtered by the visibility rule) and a function
giving each document's address, so that exports never list a resource the reader may not
read and this module knows nothing of the web.
"""

from __future__ import annotations

from collections.abc import Callable

from kb.catalogues.catalogue import CatalogueView, ItemView
from kb.exports.blocks import Block, DocMeta, Heading, Para, Run
from kb.exports.docx_writer import build_docx
from kb.exports.markdown_writer import build_markdown
from kb.models import KIND_LABELS, utcnow

LinkFor = Callable[[str], str]
SUBJECT = "Catalogue de ressources"


def _label_line(label: str, value: str) -> Para:
    return Para([Run(f"{label} : ", bold=True), Run(value)])


def _note_paragraphs(note: str) -> list[str]:
    return [p.strip() for p in note.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _item_blocks(item: ItemView, link_for: LinkFor) -> list[Block]:
    document = item.document
    details = KIND_LABELS.get(document.kind, document.kind)
    if document.authors:
        details += " — " + ", ".join(document.authors)
    if document.date:
        details += f" — {document.date.year}"
    blocks: list[Block] = [Heading(3, [Run(document.title)]),
                           Para([Run(details, italic=True)])]
    blocks.extend(Para([Run(p)]) for p in _note_paragraphs(item.note))
    url = link_for(document.id)
    blocks.append(Para([Run("Lien : ", bold=True), Run(url, link=url)]))
    return blocks


def catalogue_blocks(view: CatalogueView, link_for: LinkFor) -> list[Block]:
    """Title, audience, purpose and duration, then each non-empty section and its resources."""
    catalogue = view.catalogue
    blocks: list[Block] = [Heading(1, [Run(catalogue.title)])]
    for label, value in (("Public visé", catalogue.audience), ("Durée", catalogue.duration),
                         ("Composé par", view.owner_name)):
        if value:
            blocks.append(_label_line(label, value))
    if catalogue.purpose:
        blocks.append(Heading(2, [Run("Objectif")]))
        blocks.extend(Para([Run(p)]) for p in _note_paragraphs(catalogue.purpose))
    for section in view.sections:
        if not section.items:
            continue
        blocks.append(Heading(2, [Run(section.title)]))
        for item in section.items:
            blocks.extend(_item_blocks(item, link_for))
    if view.count == 0:
        blocks.append(Para([Run("Ce catalogue ne contient encore aucune ressource.")]))
    return blocks


def catalogue_docx(view: CatalogueView, link_for: LinkFor) -> bytes:
    meta = DocMeta(title=view.catalogue.title, created=utcnow(), authors=view.owner_name,
                   subject=SUBJECT)
    return build_docx(catalogue_blocks(view, link_for), meta)


def catalogue_markdown(view: CatalogueView, link_for: LinkFor) -> str:
    return build_markdown(catalogue_blocks(view, link_for))
