"""ODT writer with the standard library: blocks to an OpenDocument text file.

Public surface: `build_odt(blocks, meta) -> bytes`. Styles are named like LibreOffice's
(Heading 1, Text body…) so that the file opens with familiar styles; the same input gives
the same bytes.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kb.exports.blocks import (
    Block,
    DocMeta,
    Heading,
    Inline,
    ListBlock,
    Para,
    TableBlock,
    column_weights,
    fixed_zip,
)
from kb.exports.odf_xml import ODF_VERSION, el, q, xml_bytes
from kb.exports.odt_styles import odt_styles

ODT_MEDIA_TYPE = "application/vnd.oasis.opendocument.text"
ODT_HEADINGS = {2: ("Heading_20_1", 1), 3: ("Heading_20_2", 2), 4: ("Heading_20_3", 3)}
SPAN_STYLES = {(True, False): "T_Gras", (False, True): "T_Italique", (True, True): "T_GrasItalique"}
TABLE_WIDTH_CM = 17.0


def build_odt(blocks: list[Block], meta: DocMeta) -> bytes:
    entries = [
        ("mimetype", ODT_MEDIA_TYPE.encode("ascii")),
        ("META-INF/manifest.xml", xml_bytes(odt_manifest())),
        ("content.xml", xml_bytes(odt_content(blocks))),
        ("styles.xml", xml_bytes(odt_styles())),
        ("meta.xml", xml_bytes(odt_meta(meta))),
    ]
    return fixed_zip(entries, meta.created)


def odt_manifest() -> ET.Element:
    root = el(None, "manifest:manifest", {"manifest:version": ODF_VERSION})
    el(root, "manifest:file-entry", {"manifest:full-path": "/", "manifest:version": ODF_VERSION,
                                     "manifest:media-type": ODT_MEDIA_TYPE})
    for name in ("content.xml", "styles.xml", "meta.xml"):
        el(root, "manifest:file-entry", {"manifest:full-path": name,
                                         "manifest:media-type": "text/xml"})
    return root


def odt_meta(meta: DocMeta) -> ET.Element:
    root = el(None, "office:document-meta", {"office:version": ODF_VERSION})
    node = el(root, "office:meta")
    created = meta.created.isoformat()
    el(node, "meta:generator", text=meta.generator)
    el(node, "dc:title", text=meta.title)
    el(node, "dc:subject", text=meta.subject)
    for keyword in meta.keywords:
        el(node, "meta:keyword", text=keyword)
    el(node, "meta:initial-creator", text=meta.authors)
    el(node, "dc:creator", text=meta.authors)
    el(node, "meta:creation-date", text=created)
    el(node, "dc:date", text=created)
    el(node, "dc:language", text=meta.language)
    return root


def odt_content(blocks: list[Block]) -> ET.Element:
    root = el(None, "office:document-content", {"office:version": ODF_VERSION})
    automatic = el(root, "office:automatic-styles")
    for (bold, italic), name in SPAN_STYLES.items():
        style = el(automatic, "style:style", {"style:name": name, "style:family": "text"})
        props = {"fo:font-weight": "bold"} if bold else {}
        if italic:
            props["fo:font-style"] = "italic"
        el(style, "style:text-properties", props)
    cell = el(automatic, "style:style", {"style:name": "Cellule", "style:family": "table-cell"})
    el(cell, "style:table-cell-properties", {"fo:border": "0.5pt solid #808080",
                                             "fo:padding": "0.1cm"})
    body = el(el(root, "office:body"), "office:text")
    for block in blocks:
        odt_block(body, block, automatic)
    return root


def odt_block(parent: ET.Element, block: Block, automatic: ET.Element,
              in_list: bool = False) -> None:
    """Append one block; `automatic` receives the styles a table needs."""
    if isinstance(block, Heading):
        if block.level == 1:
            odt_runs(el(parent, "text:p", {"text:style-name": "Title"}), block.runs)
        else:
            style, level = ODT_HEADINGS[min(block.level, 4)]
            odt_runs(el(parent, "text:h", {"text:style-name": style,
                                           "text:outline-level": str(level)}), block.runs)
    elif isinstance(block, Para):
        style = "List_20_Contents" if in_list else "Text_20_body"
        odt_runs(el(parent, "text:p", {"text:style-name": style}), block.runs)
    elif isinstance(block, ListBlock):
        odt_list(parent, block, automatic, nested=in_list)
    else:
        tables = sum(1 for s in automatic if s.get(q("style:family")) == "table")
        name = f"Tableau{tables + 1}"
        odt_table_styles(automatic, name, block)
        odt_table(parent, block, name)


def odt_list(parent: ET.Element, block: ListBlock, automatic: ET.Element, nested: bool) -> None:
    attrs = {} if nested else {"text:style-name": "L_Numeros" if block.ordered else "L_Puces"}
    node = el(parent, "text:list", attrs)
    for index, item in enumerate(block.items):
        item_attrs = {"text:start-value": str(block.start)} if index == 0 and block.start != 1 \
            else {}
        list_item = el(node, "text:list-item", item_attrs)
        for child in item:
            odt_block(list_item, child, automatic, in_list=True)


def odt_runs(paragraph: ET.Element, runs: Inline) -> None:
    """Append runs as mixed content: plain text, <text:span>, <text:a>, <text:line-break/>."""
    for run in runs:
        style = SPAN_STYLES.get((run.bold, run.italic))
        target = el(paragraph, "text:span", {"text:style-name": style}) if style else paragraph
        if run.link:
            target = el(target, "text:a", {"xlink:type": "simple", "xlink:href": run.link})
        for index, line in enumerate(run.text.split("\n")):
            if index:
                el(target, "text:line-break")
            append_text(target, line)


def append_text(node: ET.Element, text: str) -> None:
    if len(node):
        node[-1].tail = (node[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


def odt_table_styles(automatic: ET.Element, name: str, block: TableBlock) -> None:
    style = el(automatic, "style:style", {"style:name": name, "style:family": "table"})
    el(style, "style:table-properties", {"style:width": f"{TABLE_WIDTH_CM}cm",
                                         "table:align": "margins"})
    for index, weight in enumerate(column_weights(block)):
        column = el(automatic, "style:style", {"style:name": f"{name}.{chr(65 + index)}",
                                               "style:family": "table-column"})
        el(column, "style:table-column-properties", {
            "style:column-width": f"{weight * TABLE_WIDTH_CM:.2f}cm",
            "style:rel-column-width": f"{round(weight * 65535)}*"})


def odt_table(parent: ET.Element, block: TableBlock, name: str) -> None:
    table = el(parent, "table:table", {"table:name": name, "table:style-name": name})
    for index in range(len(block.header)):
        el(table, "table:table-column", {"table:style-name": f"{name}.{chr(65 + index)}"})
    header = el(table, "table:table-header-rows")
    odt_table_row(header, block.header, "Table_20_Heading")
    for row in block.rows:
        odt_table_row(table, row, "Table_20_Contents")


def odt_table_row(parent: ET.Element, cells: list[Inline], paragraph_style: str) -> None:
    row = el(parent, "table:table-row")
    for runs in cells:
        cell = el(row, "table:table-cell", {"table:style-name": "Cellule",
                                            "office:value-type": "string"})
        odt_runs(el(cell, "text:p", {"text:style-name": paragraph_style}), runs)
