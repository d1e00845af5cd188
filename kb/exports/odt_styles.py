"""The `styles.xml` of written ODT files: A4 page, body text, headings, lists, tables."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kb.exports.odf_xml import ODF_VERSION, el, q


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
