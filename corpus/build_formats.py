"""Build the DOCX, PDF and ODT documents of the corpus (and their sidecars) from corpus/sources."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import docx
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

# Which documents ship in which format: "<kind folder>/<slug>" -> output extension.
FORMATS: dict[str, str] = {
    "fiches/fiche-a-cantines-pat-saint-amand-montrond": "docx",
    "fiches/fiche-b-ressourcerie-calvi-balagne": "docx",
    "propositions/tiers-lieux-infrastructures-de-la-transition": "docx",
    "outils/world-cafe-communautes-apprenantes": "docx",
    "textes-fondateurs/communautes-apprenantes": "docx",
    "textes-fondateurs/investissement-immateriel": "pdf",
    "propositions/droit-a-la-mobilite-durable-dans-les-territoires-ruraux": "pdf",
    "fiches/fiche-a-mobilite-solidaire-vallee-du-loir": "pdf",
    "outils/grille-auto-evaluation-quatre-objectifs-charte": "pdf",
    "fiches/fiche-b-centrale-villageoise-mellionnec": "pdf",
    "textes-fondateurs/note-position-crte": "odt",
    "propositions/assemblees-citoyennes-territoriales-permanentes": "odt",
    "fiches/fiche-a-recits-habitants-tulle": "odt",
    "outils/jeu-de-role-conseil-communautaire-2040": "odt",
    "fiches/fiche-b-sante-environnementale-roubaix-epeule": "odt",
}

CORPUS = Path(__file__).resolve().parent
SOURCES = CORPUS / "sources"
DOCUMENTS = CORPUS / "documents"
OUTPUT_FORMATS = ("docx", "pdf", "odt")
SIDECAR_KEYS = ("territoire", "visibilite", "groupes", "narrateur", "maieuticien")
# Same labels as kb.models.KIND_LABELS (copied so the script runs without the application).
KIND_LABELS = {
    "texte-fondateur": "Texte fondateur",
    "fiche-experience": "Fiche d'expérience",
    "proposition": "Proposition de changement de modèle",
    "outil": "Outil et méthode",
}
CREATOR = "Fabrique des transitions"
LANGUAGE = "fr"
# Time of day given to the front-matter dates (noon UTC stays on the same day everywhere).
NOON = dt.time(12, 0)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Run:
    """A piece of text with simple emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = list[Run]


@dataclass
class Heading:
    level: int  # 1 = document title (`#`), 2 = `##`, 3 = `###`
    runs: Inline


@dataclass
class Para:
    runs: Inline


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list[list[Block]] = field(default_factory=list)


@dataclass
class TableBlock:
    header: list[Inline]
    rows: list[list[Inline]]


Block = Heading | Para | ListBlock | TableBlock


@dataclass
class Source:
    """One Markdown source: where it goes, its front matter and its body."""

    key: str  # "<kind folder>/<slug>"
    meta: dict[str, object]
    blocks: list[Block]

    @property
    def title(self) -> str:
        return str(self.meta["titre"])

    @property
    def authors(self) -> str:
        return "; ".join(str(a) for a in self.meta.get("auteurs") or [])

    @property
    def keywords(self) -> list[str]:
        return [str(t) for t in self.meta.get("themes") or []]

    @property
    def created(self) -> dt.datetime:
        date = self.meta["date"]
        if not isinstance(date, dt.date):
            date = dt.date.fromisoformat(str(date))
        return dt.datetime.combine(date, NOON)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[str(self.meta["type"])]


def plain(runs: Inline) -> str:
    return "".join(run.text for run in runs)


# --------------------------------------------------------------------------- Markdown


def read_source(key: str) -> Source:
    text = (SOURCES / f"{key}.md").read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{key}.md : front matter YAML absent")
    meta = yaml.safe_load(match[1])
    markdown = MarkdownIt("commonmark").enable("table")
    tree = SyntaxTreeNode(markdown.parse(match[2]))
    return Source(key, meta, blocks_of(tree.children))


def blocks_of(nodes: list[SyntaxTreeNode]) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        if node.type == "heading":
            blocks.append(Heading(int(node.tag[1]), inline_of(node.children[0])))
        elif node.type == "paragraph":
            blocks.append(Para(inline_of(node.children[0])))
        elif node.type in ("bullet_list", "ordered_list"):
            blocks.append(list_of(node))
        elif node.type == "table":
            blocks.append(table_of(node))
        elif node.children:
            blocks.extend(blocks_of(node.children))
    return blocks


def list_of(node: SyntaxTreeNode) -> ListBlock:
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    items = [blocks_of(item.children) for item in node.children]
    return ListBlock(node.type == "ordered_list", start, items)


def table_of(node: SyntaxTreeNode) -> TableBlock:
    rows = [row for section in node.children for row in section.children]
    cells = [[inline_of(cell.children[0]) if cell.children else [] for cell in row.children]
             for row in rows]
    return TableBlock(cells[0], cells[1:])


def inline_of(node: SyntaxTreeNode, bold: bool = False, italic: bool = False) -> Inline:
    runs: Inline = []
    for child in node.children:
        if child.type in ("text", "code_inline") and child.content:
            runs.append(Run(child.content, bold, italic))
        elif child.type == "softbreak":
            runs.append(Run(" ", bold, italic))
        elif child.type == "hardbreak":
            runs.append(Run("\n", bold, italic))
        else:  # strong, em, link and any other container
            runs.extend(inline_of(child, bold or child.type == "strong",
                                  italic or child.type == "em"))
    return runs


# --------------------------------------------------------------------------- packaging


def fixed_zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A ZIP with fixed timestamps; a `mimetype` entry is stored uncompressed."""
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def rezip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a ZIP (as saved by python-docx) with fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return fixed_zip(entries, when)


def column_weights(table: TableBlock) -> list[float]:
    """Relative column widths from the length of the cells (long text, long words)."""
    columns = list(zip(*([table.header] + table.rows), strict=True))
    weights = []
    for cells in columns:
        texts = [plain(cell) for cell in cells]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest_cell = max((len(t) for t in texts), default=1)
        weights.append(max(min(longest_cell, 40), longest_word + 4, 12))
    total = sum(weights)
    return [w / total for w in weights]


# --------------------------------------------------------------------------- DOCX

DOCX_HEADINGS = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}


def build_docx(source: Source) -> bytes:
    document = docx.Document()
    set_docx_language(document, "fr-FR")
    set_docx_properties(document, source)
    for block in source.blocks:
        add_docx_block(document, block, level=1)
    buffer = io.BytesIO()
    document.save(buffer)
    return rezip(buffer.getvalue(), source.created)


def set_docx_properties(document: docx.document.Document, source: Source) -> None:
    props = document.core_properties
    props.title = source.title
    props.author = source.authors
    props.last_modified_by = source.authors.split("; ")[0]
    props.created = props.modified = source.created
    props.keywords = "; ".join(source.keywords)
    props.language = LANGUAGE
    props.category = source.kind_label
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
        added = paragraph.add_run(run.text)  # "\n" becomes a line break
        added.bold = run.bold or None
        added.italic = run.italic or None


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


# --------------------------------------------------------------------------- PDF

SUBSCRIPTS = {chr(0x2080 + d): str(d) for d in range(10)}
PDF_REPLACEMENTS = {"\u202f": "\u00a0"}  # narrow no-break space is not in WinAnsi


def pdf_styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("Corps", parent=sheet["BodyText"], fontName="Helvetica",
                          fontSize=10.5, leading=14, spaceAfter=6)
    return {
        "title": ParagraphStyle("Titre", parent=sheet["Title"], fontName="Helvetica-Bold",
                                fontSize=18, leading=22, spaceAfter=14),
        "h2": ParagraphStyle("Titre1", parent=sheet["Heading2"], fontName="Helvetica-Bold",
                             fontSize=14, leading=17, spaceBefore=12, spaceAfter=6,
                             keepWithNext=1),
        "h3": ParagraphStyle("Titre2", parent=sheet["Heading3"], fontName="Helvetica-Bold",
                             fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
                             keepWithNext=1),
        "body": body,
        "item": ParagraphStyle("Puce", parent=body, spaceAfter=3),
        "cell": ParagraphStyle("Cellule", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "head": ParagraphStyle("EnTete", parent=body, fontName="Helvetica-Bold", fontSize=8.5,
                               leading=10.5, spaceAfter=0),
    }


def pdf_markup(runs: Inline) -> str:
    """Runs as reportlab paragraph markup (escaped, <b>/<i>, subscript digits as <sub>)."""
    parts = []
    for run in runs:
        text = escape(run.text)
        for char, replacement in PDF_REPLACEMENTS.items():
            text = text.replace(char, replacement)
        for char, digit in SUBSCRIPTS.items():
            text = text.replace(char, f"<sub>{digit}</sub>")
        text = text.replace("\n", "<br/>")
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


class FolioDocTemplate(SimpleDocTemplate):
    """A page template that ends each page with « — N — » and pins the document dates."""

    def __init__(self, buffer: io.BytesIO, created: dt.datetime, **kwargs: object) -> None:
        super().__init__(buffer, **kwargs)
        self.stamp = created.strftime("D:%Y%m%d%H%M%S+00'00'")

    def afterPage(self) -> None:  # noqa: N802 - reportlab hook name
        canvas: Canvas = self.canv
        canvas.setDateFormatter(lambda *_: self.stamp)
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"— {self.page} —")
        canvas.restoreState()


def build_pdf(source: Source) -> bytes:
    styles = pdf_styles()
    buffer = io.BytesIO()
    template = FolioDocTemplate(
        buffer, source.created, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm,
        topMargin=2 * cm, bottomMargin=2.2 * cm, title=source.title, author=source.authors,
        subject=source.kind_label, keywords="; ".join(source.keywords), creator=CREATOR,
        lang=LANGUAGE, invariant=1,
    )
    template.build([f for block in source.blocks for f in pdf_flowables(block, styles, 1)])
    return buffer.getvalue()


def pdf_flowables(block: Block, styles: dict[str, ParagraphStyle], level: int) -> list[Flowable]:
    if isinstance(block, Heading):
        style = {1: "title", 2: "h2"}.get(block.level, "h3")
        return [Paragraph(pdf_markup(block.runs), styles[style])]
    if isinstance(block, Para):
        return [Paragraph(pdf_markup(block.runs), styles["item" if level > 1 else "body"])]
    if isinstance(block, ListBlock):
        return [pdf_list(block, styles, level), Spacer(1, 4)]
    return [pdf_table(block, styles), Spacer(1, 8)]


def pdf_list(block: ListBlock, styles: dict[str, ParagraphStyle], level: int) -> ListFlowable:
    items = [
        ListItem([f for child in item for f in pdf_flowables(child, styles, level + 1)])
        for item in block.items
    ]
    if block.ordered:
        return ListFlowable(items, bulletType="1", start=block.start, bulletFormat="%s.",
                            leftIndent=18, bulletFontName="Helvetica", bulletFontSize=10.5)
    bullet = "•" if level == 1 else "–"
    return ListFlowable(items, bulletType="bullet", start=bullet, leftIndent=14,
                        bulletFontName="Helvetica", bulletFontSize=10.5)


def pdf_table(block: TableBlock, styles: dict[str, ParagraphStyle]) -> Table:
    width = A4[0] - 4.4 * cm
    data = [[Paragraph(pdf_markup(cell), styles["head"]) for cell in block.header]]
    data += [[Paragraph(pdf_markup(cell), styles["cell"]) for cell in row] for row in block.rows]
    table = Table(data, colWidths=[w * width for w in column_weights(block)], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


# --------------------------------------------------------------------------- ODT

ODF_VERSION = "1.2"
ODT_MEDIA_TYPE = "application/vnd.oasis.opendocument.text"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
ODT_HEADINGS = {2: ("Heading_20_1", 1), 3: ("Heading_20_2", 2), 4: ("Heading_20_3", 3)}
SPAN_STYLES = {(True, False): "T_Gras", (False, True): "T_Italique", (True, True): "T_GrasItalique"}
TABLE_WIDTH_CM = 17.0


def q(name: str) -> str:
    """`prefix:local` as an ElementTree qualified name."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def el(parent: ET.Element | None, name: str, attrs: dict[str, str] | None = None,
       text: str | None = None) -> ET.Element:
    attrib = {q(k): v for k, v in (attrs or {}).items()}
    node = ET.Element(q(name), attrib) if parent is None else ET.SubElement(parent, q(name), attrib)
    node.text = text
    return node


def xml_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def build_odt(source: Source) -> bytes:
    entries = [
        ("mimetype", ODT_MEDIA_TYPE.encode("ascii")),
        ("META-INF/manifest.xml", xml_bytes(odt_manifest())),
        ("content.xml", xml_bytes(odt_content(source))),
        ("styles.xml", xml_bytes(odt_styles())),
        ("meta.xml", xml_bytes(odt_meta(source))),
    ]
    return fixed_zip(entries, source.created)


def odt_manifest() -> ET.Element:
    root = el(None, "manifest:manifest", {"manifest:version": ODF_VERSION})
    el(root, "manifest:file-entry", {"manifest:full-path": "/", "manifest:version": ODF_VERSION,
                                     "manifest:media-type": ODT_MEDIA_TYPE})
    for name in ("content.xml", "styles.xml", "meta.xml"):
        el(root, "manifest:file-entry", {"manifest:full-path": name,
                                         "manifest:media-type": "text/xml"})
    return root


def odt_meta(source: Source) -> ET.Element:
    root = el(None, "office:document-meta", {"office:version": ODF_VERSION})
    meta = el(root, "office:meta")
    created = source.created.isoformat()
    el(meta, "meta:generator", text=f"{CREATOR} (corpus/build_formats.py)")
    el(meta, "dc:title", text=source.title)
    el(meta, "dc:subject", text=source.kind_label)
    for keyword in source.keywords:
        el(meta, "meta:keyword", text=keyword)
    el(meta, "meta:initial-creator", text=source.authors)
    el(meta, "dc:creator", text=source.authors)
    el(meta, "meta:creation-date", text=created)
    el(meta, "dc:date", text=created)
    el(meta, "dc:language", text=LANGUAGE)
    return root


def odt_styles() -> ET.Element:
    root = el(None, "office:document-styles", {"office:version": ODF_VERSION})
    styles = el(root, "office:styles")
    default = el(styles, "style:default-style", {"style:family": "paragraph"})
    el(default, "style:text-properties", {"fo:font-size": "11pt", "fo:language": "fr",
                                          "fo:country": "FR"})
    odt_paragraph_style(styles, "Standard", None, {})
    odt_paragraph_style(styles, "Text_20_body", "Standard", {}, "Text body",
                        {"fo:margin-bottom": "0.2cm"})
    odt_paragraph_style(styles, "Heading", "Standard", {"fo:font-weight": "bold"}, None,
                        {"fo:margin-top": "0.4cm", "fo:margin-bottom": "0.2cm",
                         "fo:keep-with-next": "always"})
    odt_paragraph_style(styles, "Title", "Heading", {"fo:font-size": "20pt"}, None,
                        {"fo:text-align": "center"})
    for level, size in ((1, "16pt"), (2, "13pt"), (3, "12pt")):
        style = odt_paragraph_style(styles, f"Heading_20_{level}", "Heading",
                                    {"fo:font-size": size}, f"Heading {level}")
        style.set(q("style:default-outline-level"), str(level))
    odt_paragraph_style(styles, "List_20_Contents", "Standard", {}, "List Contents")
    odt_paragraph_style(styles, "Table_20_Contents", "Standard", {}, "Table Contents")
    odt_paragraph_style(styles, "Table_20_Heading", "Table_20_Contents",
                        {"fo:font-weight": "bold"}, "Table Heading")
    odt_list_style(styles, "L_Puces", numbered=False)
    odt_list_style(styles, "L_Numeros", numbered=True)
    automatic = el(root, "office:automatic-styles")
    layout = el(automatic, "style:page-layout", {"style:name": "pm1"})
    el(layout, "style:page-layout-properties", {
        "fo:page-width": "21cm", "fo:page-height": "29.7cm", "fo:margin-top": "2cm",
        "fo:margin-bottom": "2cm", "fo:margin-left": "2cm", "fo:margin-right": "2cm"})
    masters = el(root, "office:master-styles")
    el(masters, "style:master-page", {"style:name": "Standard", "style:page-layout-name": "pm1"})
    return root


def odt_paragraph_style(parent: ET.Element, name: str, parent_name: str | None,
                        text_props: dict[str, str], display: str | None = None,
                        paragraph_props: dict[str, str] | None = None) -> ET.Element:
    attrs = {"style:name": name, "style:family": "paragraph"}
    if display:
        attrs["style:display-name"] = display
    if parent_name:
        attrs["style:parent-style-name"] = parent_name
    style = el(parent, "style:style", attrs)
    if paragraph_props:
        el(style, "style:paragraph-properties", paragraph_props)
    if text_props:
        el(style, "style:text-properties", text_props)
    return style


def odt_list_style(parent: ET.Element, name: str, numbered: bool) -> None:
    """Numbered lists number their first level and put bullets below it."""
    style = el(parent, "text:list-style", {"style:name": name})
    for level in range(1, 4):
        attrs = {"text:level": str(level)}
        if numbered and level == 1:
            attrs |= {"style:num-format": "1", "style:num-suffix": "."}
            level_style = el(style, "text:list-level-style-number", attrs)
        else:
            attrs["text:bullet-char"] = "•" if level == 1 else "–"
            level_style = el(style, "text:list-level-style-bullet", attrs)
        el(level_style, "style:list-level-properties", {
            "text:space-before": f"{0.6 * (level - 1):.1f}cm", "text:min-label-width": "0.6cm"})


def odt_content(source: Source) -> ET.Element:
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
    for block in source.blocks:
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
    """Append runs as mixed content: plain text, <text:span> and <text:line-break/>."""
    for run in runs:
        style = SPAN_STYLES.get((run.bold, run.italic))
        target = el(paragraph, "text:span", {"text:style-name": style}) if style else paragraph
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


# --------------------------------------------------------------------------- main

BUILDERS = {"docx": build_docx, "pdf": build_pdf, "odt": build_odt}


def sidecar(source: Source) -> str:
    data = {key: source.meta[key] for key in SIDECAR_KEYS if source.meta.get(key)}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def build(key: str, extension: str) -> Path:
    source = read_source(key)
    target = DOCUMENTS / f"{key}.{extension}"
    target.parent.mkdir(parents=True, exist_ok=True)
    for other in OUTPUT_FORMATS:  # a document changing format leaves no stale copy
        if other != extension:
            (DOCUMENTS / f"{key}.{other}").unlink(missing_ok=True)
    target.write_bytes(BUILDERS[extension](source))
    (DOCUMENTS / f"{key}.meta.yaml").write_text(sidecar(source), encoding="utf-8")
    if (DOCUMENTS / f"{key}.md").exists():
        print(f"attention : {key}.md existe aussi dans documents/ (doublon)", file=sys.stderr)
    return target


def main() -> int:
    for key, extension in FORMATS.items():
        target = build(key, extension)
        print(f"{target.relative_to(CORPUS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
