"""Build the DOCX, PDF and ODT documents of the corpus (and their sidecars) from corpus/sources."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
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

from kb.exports.blocks import (
    Block,
    DocMeta,
    Heading,
    Inline,
    ListBlock,
    Para,
    Run,
    TableBlock,
    column_weights,
)
from kb.exports.docx_writer import build_docx as docx_from_blocks
from kb.exports.odt_writer import build_odt as odt_from_blocks

# The DOCX and ODT writers are the application's own (kb.exports), shared with its exports.
from kb.models.documents import KIND_LABELS

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
CREATOR = "Fabrique des transitions"
LANGUAGE = "fr"
# Time of day given to the front-matter dates (noon UTC stays on the same day everywhere).
NOON = dt.time(12, 0)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


# --------------------------------------------------------------------------- model


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


# --------------------------------------------------------------------------- DOCX and ODT


def doc_meta(source: Source) -> DocMeta:
    return DocMeta(title=source.title, created=source.created, authors=source.authors,
                   keywords=tuple(source.keywords), subject=source.kind_label,
                   language=LANGUAGE, generator=f"{CREATOR} (corpus/build_formats.py)")


def build_docx(source: Source) -> bytes:
    return docx_from_blocks(source.blocks, doc_meta(source))


def build_odt(source: Source) -> bytes:
    return odt_from_blocks(source.blocks, doc_meta(source))


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
