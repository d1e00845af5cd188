"""Builders of real test files: PDF (reportlab), DOCX (python-docx), ODT (zipfile + XML)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(path: Path, pages: list[list[str]], title: str = "", author: str = "",
             keywords: str = "", encrypt_password: str | None = None) -> Path:
    """A PDF with one text line per list item, one list per page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt_password)
    pdf.setTitle(title)
    pdf.setAuthor(author)
    pdf.setKeywords(keywords)
    for lines in pages:
        text = pdf.beginText(50, 800)
        text.setFont("Helvetica", 11)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_pdf_with_headings(path: Path, pages: list[list[tuple[str, str]]],
                           title: str = "") -> Path:
    """A PDF whose lines are ("h1"|"h2"|"p", text) pairs, one list per page: headings in
    bold, 18 and 14 points, text in 10.5 points, as word processors print them."""
    fonts = {"h1": ("Helvetica-Bold", 18), "h2": ("Helvetica-Bold", 14), "p": ("Helvetica", 10.5)}
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    for lines in pages:
        y = 800.0
        for kind, line in lines:
            font, size = fonts[kind]
            pdf.setFont(font, size)
            pdf.drawString(50, y, line)
            y -= size * 1.5
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_image_only_pdf(path: Path) -> Path:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Scan de la délibération")
    pdf.rect(100, 100, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_docx(path: Path, title: str, paragraphs: list[str], headings: dict[int, str] | None = None,
              author: str = "", keywords: str = "", created: dt.datetime | None = None,
              table: list[list[str]] | None = None) -> Path:
    """A DOCX with a Title paragraph, optional headings before given paragraph indexes,
    an optional table and core properties."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for index, paragraph in enumerate(paragraphs):
        if headings and index in headings:
            document.add_heading(headings[index], level=1)
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    props = document.core_properties
    props.title = title
    props.author = author
    props.keywords = keywords
    if created:
        props.created = created
    document.save(str(path))
    return path


ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def make_odt(path: Path, title: str, blocks: list[tuple[str, str]], author: str = "",
             date: str = "", keywords: list[str] | None = None) -> Path:
    """An ODT text document; `blocks` are ("h1"|"h2"|"p"|"li", text) pairs."""
    body = []
    for kind, text in blocks:
        if kind.startswith("h"):
            body.append(f'<text:h text:outline-level="{kind[1]}">{escape(text)}</text:h>')
        elif kind == "li":
            body.append(f"<text:list><text:list-item><text:p>{escape(text)}</text:p>"
                        "</text:list-item></text:list>")
        else:
            body.append(f"<text:p>{escape(text)}</text:p>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} '
               'office:version="1.3"><office:body><office:text>' + "".join(body)
               + "</office:text></office:body></office:document-content>")
    keyword_xml = "".join(f"<meta:keyword>{escape(k)}</meta:keyword>" for k in keywords or [])
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_NS} '
            f'office:version="1.3"><office:meta><dc:title>{escape(title)}</dc:title>'
            f"<meta:initial-creator>{escape(author)}</meta:initial-creator>"
            f"<meta:creation-date>{date}</meta:creation-date>{keyword_xml}"
            "</office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{ODT_MIMETYPE}"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
    return path


def make_pdf_after_bytes(path: Path, prefix: bytes, lines: list[str], title: str = "") -> Path:
    """A PDF preceded by `prefix` (a mail gateway's or a server's line), as viewers accept."""
    make_pdf(path, [lines], title=title)
    path.write_bytes(prefix + path.read_bytes())
    return path


def make_html(path: Path, body: str, *, lang: str = "", direction: str = "", title: str = "",
              encoding: str = "utf-8", doctype: bool = True) -> Path:
    """An HTML page around `body` (written as is, broken markup included)."""
    attributes = "".join(f' {name}="{value}"' for name, value in (("lang", lang),
                                                                 ("dir", direction)) if value)
    head = (f'<head><meta charset="{encoding}"><title>{title}</title></head>' if title
            else f'<head><meta charset="{encoding}"></head>')
    page = (("<!DOCTYPE html>" if doctype else "") + f"<html{attributes}>{head}<body>{body}"
            "</body></html>")
    path.write_bytes(page.encode(encoding))
    return path
