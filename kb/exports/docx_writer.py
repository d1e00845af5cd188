"""DOCX writer (python-docx): blocks to a Word file with real heading, list and table styles.

Public surface: `build_docx(blocks, meta) -> bytes`. The same blocks and `meta.created` give
the same bytes (fixed ZIP timestamps), so a file's SHA-256 only changes with its content.
"""

from __future__ import annotations

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from kb.exports.blocks import (
    Block,
    DocMeta,
    Heading,
    Inline,
    ListBlock,
    Para,
    TableBlock,
    rezip,
)

DOCX_HEADINGS = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
HYPERLINK_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink")


def build_docx(blocks: list[Block], meta: DocMeta) -> bytes:
    document = docx.Document()
    set_docx_language(document, f"{meta.language}-{meta.language.upper()}")
    set_docx_properties(document, meta)
    for block in blocks:
        add_docx_block(document, block, level=1)
    buffer = io.BytesIO()
    document.save(buffer)
    return rezip(buffer.getvalue(), meta.created)


def set_docx_properties(document: docx.document.Document, meta: DocMeta) -> None:
    props = document.core_properties
    props.title = meta.title
    props.author = meta.authors
    props.last_modified_by = meta.authors.split("; ")[0]
    props.created = props.modified = meta.created
    props.keywords = "; ".join(meta.keywords)
    props.language = meta.language
    props.category = meta.subject
    props.comments = ""
    props.revision = 1


def set_docx_language(document: docx.document.Document, tag: str) -> None:
    """Default proofing language of the document (docDefaults)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)


def add_docx_block(document: docx.document.Document, block: Block, level: int) -> None:
    if isinstance(block, Heading):
        add_docx_runs(document.add_paragraph(style=DOCX_HEADINGS[min(block.level, 4)]),
                      block.runs)
    elif isinstance(block, Para):
        style = "List Continue" if level > 1 else None
        add_docx_runs(document.add_paragraph(style=style), block.runs)
    elif isinstance(block, ListBlock):
        add_docx_list(document, block, level)
    else:
        add_docx_table(document, block)


def add_docx_runs(paragraph: DocxParagraph, runs: Inline) -> None:
    for run in runs:
        if run.link:
            add_hyperlink(paragraph, run.text, run.link)
            continue
        added = paragraph.add_run(run.text)  # "\n" becomes a line break
        added.bold = run.bold or None
        added.italic = run.italic or None


def add_hyperlink(paragraph: DocxParagraph, text: str, url: str) -> None:
    """A clickable link (python-docx has no API for it: w:hyperlink with a relationship)."""
    rel_id = paragraph.part.relate_to(url, HYPERLINK_TYPE, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([style, underline])
    run.append(properties)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def add_docx_list(document: docx.document.Document, block: ListBlock, level: int) -> None:
    depth = min(level, 3)
    base = "List Number" if block.ordered else "List Bullet"
    style = base if depth == 1 else f"{base} {depth}"
    num_id = restarted_numbering(document, style, block.start) if block.ordered else None
    for item in block.items:
        first = True
        for child in item:
            if first and isinstance(child, Para):
                paragraph = document.add_paragraph(style=style)
                add_docx_runs(paragraph, child.runs)
                if num_id is not None:
                    set_num_id(paragraph, num_id)
                first = False
            else:
                add_docx_block(document, child, level + 1)


def restarted_numbering(document: docx.document.Document, style: str, start: int) -> int:
    """A new w:num on the style's numbering definition, restarting at `start`."""
    numbering = document.part.numbering_part.element
    style_num_id = document.styles[style].element.pPr.numPr.numId.val
    abstract_id = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num_id)
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def set_num_id(paragraph: DocxParagraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def add_docx_table(document: docx.document.Document, block: TableBlock) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    for row, cells in zip(table.rows, [block.header] + block.rows, strict=True):
        for cell, runs in zip(row.cells, cells, strict=True):
            add_docx_runs(cell.paragraphs[0], runs)
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    mark_header_row(table)
    document.add_paragraph()  # Word needs a paragraph between a table and what follows


def mark_header_row(table: DocxTable) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
