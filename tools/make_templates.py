"""Write the default Word templates (resources/templates/*.docx) with python-docx and docxtpl tags.

Run from the repository root:  python tools/make_templates.py
The templates are committed; the coordinator may copy one, edit it in Word and choose it in the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "resources" / "templates"

FONT = "Arial"
GREEN = "2E6B30"
GREEN_RGB = RGBColor(0x2E, 0x6B, 0x30)
LIGHT = "E8F1E4"
PALE = "F5F8F3"
GREY_RGB = RGBColor(0x55, 0x55, 0x55)
TEXT_RGB = RGBColor(0x22, 0x22, 0x22)
ORANGE_RGB = RGBColor(0xC4, 0x5A, 0x00)
TABLE_STYLE = "Tableau Bons Jours"


# --- low-level helpers --------------------------------------------------------------------------


def _set(element, tag: str, **attrs) -> OxmlElement:
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        element.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    return child


THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _fonts(rpr, name: str = FONT) -> None:
    """rFonts naming the font for every script, without theme attributes: in ECMA-376 a theme
    attribute (asciiTheme="majorHAnsi"…) wins over the explicit name, so Word showed Calibri and
    LibreOffice DejaVu Sans instead of Arial."""
    fonts = _set(rpr, "w:rFonts")
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), name)


def _no_theme_fonts(document, name: str = FONT) -> None:
    """Every style and the document defaults name the font outright; the theme's fonts become it too
    (a style the coordinator adds in Word from the theme then gets it as well); the font table gives
    Arial's family and metric-compatible substitute for a computer without it."""
    styles_element = document.styles.element
    for rfonts in styles_element.iter(qn("w:rFonts")):
        if any(rfonts.get(qn(f"w:{attr}")) is not None for attr in THEME_FONT_ATTRS):
            _fonts(rfonts.getparent(), name)
    for lang in styles_element.iter(qn("w:lang")):
        if lang.getparent().getparent().tag == qn("w:rPrDefault"):
            lang.set(qn("w:val"), "fr-FR")
            lang.set(qn("w:eastAsia"), "fr-FR")
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    a_ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            from lxml import etree

            theme = etree.fromstring(rel.target_part.blob)
            for collection in ("majorFont", "minorFont"):
                for latin in theme.iter(f"{a_ns}{collection}"):
                    latin.find(f"{a_ns}latin").set("typeface", name)
            rel.target_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            from lxml import etree

            table = etree.fromstring(rel.target_part.blob)
            if not any(f.get(qn("w:name")) == name for f in table.iter(qn("w:font"))):
                font = etree.SubElement(table, qn("w:font"))
                font.set(qn("w:name"), name)
                for tag, value in (("w:altName", "Liberation Sans"), ("w:panose1", "020B0604020202020204"),
                                   ("w:charset", "00"), ("w:family", "swiss"), ("w:pitch", "variable")):
                    child = etree.SubElement(font, qn(tag))
                    child.set(qn("w:val"), value)
                rel.target_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8",
                                                        standalone=True)


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def cell_borders(cell, **sides) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side, (size, color) in sides.items():
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single" if size else "nil")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:color"), color)
        borders.append(element)
    tcpr.append(borders)


def row_props(row, header: bool = False, cant_split: bool = True) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def paragraph_border(paragraph, side: str = "bottom", color: str = GREEN, size: int = 8) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    element = OxmlElement(f"w:{side}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "4")
    element.set(qn("w:color"), color)
    borders.append(element)
    ppr.append(borders)


def add_field(paragraph, instruction: str, placeholder: str = "1", size: float | None = None):
    def run_with(element):
        run = paragraph.add_run()
        if size:
            run.font.size = Pt(size)
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    text_run = paragraph.add_run(placeholder)
    if size:
        text_run.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def para(container, text: str = "", style: str | None = None, *, bold: bool = False, size: float | None = None,
         color: RGBColor | None = None, align=None, space_after: float | None = None,
         space_before: float | None = None, keep_next: bool = False, italic: bool = False):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    if space_before is not None:
        paragraph.paragraph_format.space_before = Pt(space_before)
    if keep_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a {%p ... %} tag: docxtpl removes it when rendering."""
    paragraph = container.add_paragraph(text)
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def runs(paragraph, *parts: tuple[str, dict]) -> None:
    for text, fmt in parts:
        run = paragraph.add_run(text)
        run.bold = fmt.get("bold")
        run.italic = fmt.get("italic")
        if fmt.get("size"):
            run.font.size = Pt(fmt["size"])
        if fmt.get("color") is not None:
            run.font.color.rgb = fmt["color"]


def cell_text(cell, text: str, *, bold: bool = False, size: float | None = None, color: RGBColor | None = None,
              align=None, keep_next: bool = False, italic: bool = False):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if keep_next:
        paragraph.paragraph_format.keep_with_next = True
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    return paragraph


def widths(table, *cms: float) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), cms):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, cms):
            cell.width = Cm(width)


def header_row(table, labels: list[str]) -> None:
    row = table.rows[0]
    row_props(row, header=True)
    for cell, label in zip(row.cells, labels):
        shade(cell, GREEN)
        cell_text(cell, label, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), size=9.5, keep_next=True)


def loop_row(table, text: str) -> None:
    """A row whose first cell holds a {%tr ... %} tag: docxtpl replaces the whole row by the tag."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(text)


# --- document set-up ----------------------------------------------------------------------------


def new_document(title: str, subject: str):
    document = Document()
    core = document.core_properties
    core.title = title
    core.subject = subject
    core.author = "Bons Jours"
    core.language = "fr-FR"
    core.comments = "Modèle docxtpl rempli par Bons Jours (voir la liste des variables dans l’application)."
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    _styles(document)
    _no_theme_fonts(document)
    # Word 2010's copy of the styles (440 kB): optional, and every generated document paid for writing it.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[rel_id]
    return document


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.font.color.rgb = TEXT_RGB
    _fonts(normal.element.get_or_add_rPr())
    _set(normal.element.get_or_add_rPr(), "w:lang", val="fr-FR", eastAsia="fr-FR")
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, color, before, after in (
        ("Title", 26, GREEN_RGB, 0, 4),
        ("Subtitle", 13, GREY_RGB, 0, 12),
        ("Heading 1", 15, GREEN_RGB, 16, 6),
        ("Heading 2", 12, GREEN_RGB, 10, 4),
        ("Heading 3", 10.5, TEXT_RGB, 8, 2),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = color
        style.font.bold = name.startswith("Heading") or name == "Title"
        style.font.italic = False
        _fonts(style.element.get_or_add_rPr())
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = True
    # The built-in Title has a blue bottom border and theme fonts: replace them.
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    heading1 = styles["Heading 1"]
    ppr = heading1.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "2"), ("color", GREEN)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)
    for name in ("List Bullet",):
        style = styles[name]
        style.font.name = FONT
        style.paragraph_format.space_after = Pt(2)
    small = styles.add_style("Petit texte", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = styles["Normal"]
    small.font.size = Pt(8.5)
    small.font.color.rgb = GREY_RGB
    cell = styles.add_style("Texte de tableau", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    _table_style(document)


def _table_style(document) -> None:
    style = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    style.font.size = Pt(9)
    tblpr = style.element.get_or_add_tblPr() if hasattr(style.element, "get_or_add_tblPr") else None
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "B5C9AE")
        borders.append(element)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tblpr.append(margins)


def table(document_or_cell, rows: int, cols: int, *col_widths: float):
    result = document_or_cell.add_table(rows=rows, cols=cols)
    result.style = TABLE_STYLE
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    if col_widths:
        widths(result, *col_widths)
    return result


def _clear_style_tabs(paragraph) -> None:
    """The built-in Header/Footer styles stop at 8,25 and 16,5 cm: clear them so one right tab applies."""
    from docx.shared import Twips

    for position in (4680, 9360):
        paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)


def header_footer(document, left: str, right: str, footer_left: str, first_page_blank: bool = False) -> None:
    section = document.sections[0]
    if first_page_blank:
        section.different_first_page_header_footer = True
    usable = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    _clear_style_tabs(header)
    header.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    runs(header, (left, {"size": 8.5, "color": GREEN_RGB, "bold": True}), ("\t", {}),
         (right, {"size": 8.5, "color": GREY_RGB}))
    paragraph_border(header, "bottom", GREEN, 6)
    footer = section.footer.paragraphs[0]
    _clear_style_tabs(footer)
    footer.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    paragraph_border(footer, "top", "B5C9AE", 4)
    runs(footer, (footer_left, {"size": 8, "color": GREY_RGB}), ("\tPage ", {"size": 8, "color": GREY_RGB}))
    add_field(footer, "PAGE", "1", 8)
    runs(footer, (" / ", {"size": 8, "color": GREY_RGB}))
    add_field(footer, "NUMPAGES", "1", 8)


def banner(document, label: str, title: str, subtitle: str, width: float = 17.0, title_size: float = 22):
    """A full-width green band with the document kind, its title and subtitle."""
    band = table(document, 1, 1, width)
    cell = band.rows[0].cells[0]
    shade(cell, GREEN)
    cell_borders(cell, top=(0, GREEN), left=(0, GREEN), bottom=(0, GREEN), right=(0, GREEN))
    cell_text(cell, label, bold=True, size=9, color=RGBColor(0xD8, 0xEA, 0xD0))
    p = cell.add_paragraph()
    runs(p, (title, {"bold": True, "size": title_size, "color": RGBColor(0xFF, 0xFF, 0xFF)}))
    p.paragraph_format.space_after = Pt(2)
    p = cell.add_paragraph()
    runs(p, (subtitle, {"size": 11.5, "color": RGBColor(0xFF, 0xFF, 0xFF)}))
    p.paragraph_format.space_after = Pt(6)
    return band


# --- press kit ----------------------------------------------------------------------------------


def fixed_header(document, left: str, right: str, footer_left: str) -> None:
    """Header as a one-row table of exact height: a long name is cut by the cell, never wraps onto the
    banner; the contexts also shorten it (header_name, 48 characters at most)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    header_footer(document, "", "", footer_left)
    section = document.sections[0]
    header = section.header
    first = header.paragraphs[0]
    band = header.add_table(1, 2, Cm(17.0))
    band.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(band, 6.5, 10.5)
    row = band.rows[0]
    row.height = Cm(0.55)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    for cell in row.cells:
        cell_borders(cell, top=(0, "FFFFFF"), left=(0, "FFFFFF"), right=(0, "FFFFFF"), bottom=(6, GREEN))
    cell_text(row.cells[0], left, bold=True, size=8.5, color=GREEN_RGB)
    cell_text(row.cells[1], right, size=8.5, color=GREY_RGB, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # The table replaces the tab-separated paragraph header_footer() wrote.
    first._p.getparent().remove(first._p)
    tail = header.add_paragraph()
    tail.paragraph_format.space_after = Pt(0)
    _set(tail._p.get_or_add_pPr(), "w:spacing", line="20", lineRule="exact")


def press_kit() -> Document:
    document = new_document("Dossier de presse", "Les bons jours de l'occasion — dossier de presse public")
    fixed_header(document, "{{ operation_title }} — {{ edition.name }}", "Dossier de presse — {{ scope.header_name }}",
                 "Département de {{ departement_name }} · {{ operation_title }}")
    banner(document, "DOSSIER DE PRESSE", "{{ operation_title }}",
           "{{ edition.days_text }} dans les boutiques solidaires de {{ departement_name }}")
    tag(document, "{%p if scope.is_local %}")
    p = para(document, "", space_before=8, space_after=4)
    runs(p, ("Édition locale : ", {"color": GREY_RGB}), ("{{ scope.name }}", {"bold": True}))
    tag(document, "{%p endif %}")

    para(document, "L'opération", "Heading 1")
    para(document, "{{ operation_presentation }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(document, "Les principes de l'évènement :", keep_next=True, space_before=4)
    tag(document, "{%p for aim in operation_aims %}")
    para(document, "{{ aim }}", "List Bullet")
    tag(document, "{%p endfor %}")

    para(document, "L'édition {{ edition.name }}", "Heading 1")
    tag(document, "{%p if edition.theme %}")
    p = para(document, "")
    runs(p, ("Thème : ", {"bold": True}), ("{{ edition.theme }}", {"italic": True}))
    tag(document, "{%p endif %}")
    para(document, "Les boutiques solidaires du département ouvrent leurs portes {{ edition.days_short }} et "
                   "proposent des animations : musique, jeux, promotions, café offert, ateliers… "
                   "Les animateurs de prévention des déchets des collectivités y tiennent des stands.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    figures = table(document, 2, 4, 4.25, 4.25, 4.25, 4.25)
    numbers = ["{{ figures.shops_count }}", "{{ figures.territories_count }}", "{{ figures.communes_count }}",
               "{{ figures.event_days_count }}"]
    labels = ["boutiques solidaires participantes", "territoires (EPCI) concernés", "communes",
              "jours d'animations"]
    for cell, number in zip(figures.rows[0].cells, numbers):
        shade(cell, LIGHT)
        cell_text(cell, number, bold=True, size=22, color=GREEN_RGB, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    for cell, label in zip(figures.rows[1].cells, labels):
        shade(cell, LIGHT)
        cell_text(cell, label, size=8.5, color=GREY_RGB, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in figures.rows:
        row_props(row)
    tag(document, "{%p if figures.previous_text %}")
    para(document, "Pour mémoire, l'édition précédente : {{ figures.previous_text }}.", "Petit texte",
         space_before=4)
    tag(document, "{%p endif %}")

    para(document, "Les boutiques participantes dans {{ scope_text }}", "Heading 1")
    para(document, "{{ figures.local_shops_count }} boutique{% if figures.local_shops_count > 1 %}s{% endif %} "
                   "vous accueille{% if figures.local_shops_count > 1 %}nt{% endif %} {{ edition.days_short }} :",
         keep_next=True)
    tag(document, "{%p if has_map %}")
    map_paragraph = para(document, "{{ map_image }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    map_paragraph.paragraph_format.keep_with_next = True
    tag(document, "{%p endif %}")
    shops = table(document, 1, 3, 6.2, 4.3, 6.5)
    header_row(shops, ["Boutique", "Horaires les jours de l'évènement", "Animations"])
    loop_row(shops, "{%tr for shop in shops %}")
    row = shops.add_row()
    row_props(row)
    p = cell_text(row.cells[0], "{{ shop.name }}", bold=True, size=9.5)
    p2 = row.cells[0].add_paragraph(style="Texte de tableau")
    runs(p2, ("{{ shop.address }}\n{{ shop.postal_code }} {{ shop.commune }}", {"size": 8.5}))
    p3 = row.cells[0].add_paragraph(style="Texte de tableau")
    runs(p3, ("{{ shop.contact_text }}", {"size": 8.5, "color": GREY_RGB}))
    cell_text(row.cells[1], "{{ shop.event_hours_text }}", size=8.5)
    cell_text(row.cells[2], "{{ shop.animations_text }}", size=8.5)
    loop_row(shops, "{%tr endfor %}")

    para(document, "Contacts", "Heading 1")
    para(document, "Contact presse", "Heading 2")
    tag(document, "{%p if press_contact %}")
    p = para(document, "")
    runs(p, ("{{ press_contact.name }}", {"bold": True}),
         ("{% if press_contact.function %}, {{ press_contact.function }}{% endif %}", {}),
         ("{% if press_contact.organisation %} — {{ press_contact.organisation }}{% endif %}", {"color": GREY_RGB}))
    para(document, "Tél. {{ press_contact.phone }} · {{ press_contact.email }}")
    tag(document, "{%p else %}")
    para(document, "{{ departement_contact }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if animator %}")
    para(document, "Animation prévention des déchets sur {{ scope_text }}", "Heading 2")
    p = para(document, "")
    runs(p, ("{{ animator.name }}", {"bold": True}), ("{% if animator.function %}, {{ animator.function }}{% endif %}", {}),
         ("{% if animator.organisation %} — {{ animator.organisation }}{% endif %}", {"color": GREY_RGB}))
    para(document, "{% if animator.phone %}Tél. {{ animator.phone }}{% endif %}"
                   "{% if animator.phone and animator.email %} · {% endif %}{{ animator.email }}")
    tag(document, "{%p if animators|length > 1 %}")
    para(document, "Autres animateurs de prévention sur la zone :", "Petit texte")
    tag(document, "{%p for person in animators[1:] %}")
    para(document, "{{ person.text }}", "List Bullet")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if local_press %}")
    para(document, "La presse partenaire", "Heading 2")
    tag(document, "{%p for paper in local_press %}")
    para(document, "{{ paper.text }}", "List Bullet")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")

    para(document, "Les partenaires de l'édition", "Heading 1")
    para(document, "Une opération du Département de {{ departement_name }}, avec :", keep_next=True)
    tag(document, "{%p for group in partner_groups %}")
    para(document, "{{ group.title }}", "Heading 2")
    para(document, "{{ group.names_text }}.")
    tag(document, "{%p endfor %}")
    para(document, "Document établi le {{ generated_on_text }} par le Département de {{ departement_name }}.",
         "Petit texte", space_before=10)
    return document


def role_sheet() -> Document:
    document = new_document("Fiche rôle", "Les bons jours de l'occasion — votre rôle dans l'édition")
    fixed_header(document, "{{ operation_title }} — {{ edition.name }}", "Fiche rôle — {{ partner.header_name }}",
                 "Document interne · Département de {{ departement_name }} · {{ operation_title }}")
    banner(document, "FICHE RÔLE — DOCUMENT INTERNE", "{{ partner.name }}",
           "Votre rôle dans « {{ operation_title }} », {{ edition.days_text }}")

    para(document, "Vos rôles dans l'édition", "Heading 1")
    tag(document, "{%p if roles %}")
    roles = table(document, 1, 3, 5.0, 9.0, 3.0)
    header_row(roles, ["Rôle", "Ce qui est attendu", "État"])
    loop_row(roles, "{%tr for role in roles %}")
    row = roles.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ role.name }}", bold=True, size=9)
    cell_text(row.cells[1], "{{ role.description }}", size=9)
    cell_text(row.cells[2], "{{ role.status }}", size=8.5, color=GREY_RGB)
    loop_row(roles, "{%tr endfor %}")
    tag(document, "{%p else %}")
    para(document, "{{ roles_text|capitalize }}.")
    tag(document, "{%p endif %}")

    para(document, "Vos tâches et jalons", "Heading 1")
    tag(document, "{%p if tasks %}")
    tasks = table(document, 1, 2, 9.5, 7.5)
    header_row(tasks, ["Tâche", "Quand"])
    loop_row(tasks, "{%tr for task in tasks %}")
    row = tasks.add_row()
    row_props(row)
    cell_text(row.cells[0], "{% if task.milestone %}◆ {% endif %}{{ task.title }}", size=9)
    cell_text(row.cells[1], "{{ task.when_text }}", size=8.5)
    loop_row(tasks, "{%tr endfor %}")
    tag(document, "{%p else %}")
    para(document, "Aucune tâche du rétroplanning ne vous est confiée.", "Petit texte")
    tag(document, "{%p endif %}")

    tag(document, "{%p if meetings %}")
    para(document, "Les réunions où vous êtes invités", "Heading 1")
    tag(document, "{%p for meeting in meetings %}")
    para(document, "{{ meeting.date_text }} : {{ meeting.subject }}", "List Bullet")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")

    tag(document, "{%p if lent %}")
    para(document, "Le matériel prêté ou livré", "Heading 1")
    lent = table(document, 1, 4, 6.0, 4.5, 3.25, 3.25)
    header_row(lent, ["Objet", "Pour", "Livraison", "Reprise"])
    loop_row(lent, "{%tr for item in lent %}")
    row = lent.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ item.what }}", size=9)
    cell_text(row.cells[1], "{{ item.to }}", size=8.5)
    cell_text(row.cells[2], "{{ item.delivery_text }}", size=8.5)
    cell_text(row.cells[3], "{{ item.pickup_text }}", size=8.5)
    loop_row(lent, "{%tr endfor %}")
    tag(document, "{%p endif %}")

    tag(document, "{%p if rounds %}")
    para(document, "Vos tournées de livraison et de reprise", "Heading 1")
    rounds = table(document, 1, 4, 5.0, 6.0, 3.0, 3.0)
    header_row(rounds, ["Jour", "Territoire", "Arrêts", "Déposer / reprendre"])
    loop_row(rounds, "{%tr for round in rounds %}")
    row = rounds.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ round.day_text }}", size=9)
    cell_text(row.cells[1], "{{ round.territory }}", size=9)
    cell_text(row.cells[2], "{{ round.stops_count }}", size=9)
    cell_text(row.cells[3], "{{ round.drop_count }} / {{ round.pick_count }}", size=9)
    loop_row(rounds, "{%tr endfor %}")
    para(document, "Le détail de chaque tournée : les fiches de tournée (onglet Documents).", "Petit texte")
    tag(document, "{%p endif %}")

    tag(document, "{%p if shops %}")
    para(document, "Vos boutiques qui participent", "Heading 1")
    shops = table(document, 1, 3, 6.2, 4.3, 6.5)
    header_row(shops, ["Boutique", "Horaires les jours de l'évènement", "Animations"])
    loop_row(shops, "{%tr for shop in shops %}")
    row = shops.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ shop.name }}", bold=True, size=9.5)
    p2 = row.cells[0].add_paragraph(style="Texte de tableau")
    runs(p2, ("{{ shop.commune }}{% if shop.animator_text %} · animation : {{ shop.animator_text }}{% endif %}",
              {"size": 8.5, "color": GREY_RGB}))
    cell_text(row.cells[1], "{{ shop.event_hours_text }}", size=8.5)
    cell_text(row.cells[2], "{{ shop.animations_text }}", size=8.5)
    loop_row(shops, "{%tr endfor %}")
    tag(document, "{%p endif %}")

    para(document, "Qui appeler", "Heading 1")
    p = para(document, "")
    runs(p, ("Coordination de l'opération : ", {"bold": True}), ("{{ departement_contact }}", {}))
    tag(document, "{%p if press_contact %}")
    p = para(document, "")
    runs(p, ("Contact presse : ", {"bold": True}), ("{{ press_contact.text }}", {}))
    tag(document, "{%p endif %}")
    tag(document, "{%p for person in contacts %}")
    p = para(document, "")
    runs(p, ("Animation prévention : ", {"bold": True}), ("{{ person.text }}", {}))
    tag(document, "{%p endfor %}")
    para(document, "Fiche établie le {{ generated_on_text }} pour {{ partner.name }}"
                   "{% if partner.contact_name %} (à l'attention de {{ partner.contact_name }}){% endif %}.",
         "Petit texte", space_before=10)
    return document


# --- directory ----------------------------------------------------------------------------------


def bookmark(paragraph, bookmark_id: str, name: str) -> None:
    """A bookmark around the paragraph's content (id and name may be Jinja tags, filled per commune)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), bookmark_id)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), bookmark_id)
    ppr = paragraph._p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def update_fields_on_open(document) -> None:
    """Word recomputes the fields (the index's page numbers) when it opens the file; LibreOffice always does."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    # CT_Settings is a sequence: updateFields comes before these.
    for later in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                  "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping"):
        found = settings.find(qn(later))
        if found is not None:
            found.addprevious(element)
            return
    settings.append(element)


PAGES = {
    # format: (width, height, side margin, top, bottom, header/footer distance, body size)
    "a5": (14.8, 21.0, 1.4, 1.7, 1.5, 0.7, 8.5),
    "a4": (21.0, 29.7, 2.0, 2.3, 2.0, 1.0, 10.0),
}


def directory(page: str = "a5") -> Document:
    """The « petit annuaire »: cover (map, dates), how-to page, territories then communes, index of the
    communes with page numbers, back cover. A5 booklet by default; the same in A4."""
    width, height, side, top, bottom, distance, body = PAGES[page]
    small = page == "a5"
    document = new_document("Annuaire des boutiques solidaires", "Boutiques solidaires de l'occasion")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = Cm(side)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.header_distance = section.footer_distance = Cm(distance)
    usable = width - 2 * side
    styles = document.styles
    styles["Normal"].font.size = Pt(body)
    if small:
        for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 10.5), ("Heading 3", 9.5)):
            styles[name].font.size = Pt(size)
        styles["Petit texte"].font.size = Pt(7.5)
    update_fields_on_open(document)
    header_footer(document, "{{ title }}", "{{ edition.name }}", "Département de {{ departement_name }}",
                  first_page_blank=True)

    # Cover page: no header or footer (different first page): logo, title band, map, dates.
    tag(document, "{%p if has_logo %}")
    para(document, "{{ logo_image }}", align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6)
    tag(document, "{%p else %}")
    para(document, "", space_after=18 if small else 40)
    tag(document, "{%p endif %}")
    banner(document, "DÉPARTEMENT DE {{ departement_name|upper }}", "{{ title }}", "{{ subtitle }}",
           width=usable, title_size=17 if small else 22)
    tag(document, "{%p if has_map %}")
    map_paragraph = para(document, "{{ map_image }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=8)
    map_paragraph.paragraph_format.keep_with_next = True
    para(document, "Les boutiques de l'annuaire, par réseau ; cerclées de noir, celles qui participent aux bons jours "
         "de l'occasion.",
         "Petit texte", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "{%p else %}")
    para(document, "", space_after=80 if small else 120)
    tag(document, "{%p endif %}")
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=10 if small else 24)
    runs(p, ("{{ operation_title }}", {"size": 13 if small else 16, "bold": True, "color": ORANGE_RGB}))
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    runs(p, ("{{ edition.days_text|capitalize }}", {"size": 11 if small else 13, "bold": True, "color": GREEN_RGB}))
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=4)
    runs(p, ("{{ counts.shops|pluriel('boutique solidaire', 'boutiques solidaires') }} pour donner une deuxième "
             "vie aux objets", {"size": 9.5 if small else 11, "color": GREY_RGB}))

    # How-to page.
    intro = para(document, "Mode d'emploi", "Heading 1")
    intro.paragraph_format.page_break_before = True
    para(document, "Cet annuaire recense les {{ counts.shops|pluriel('boutique solidaire', 'boutiques solidaires') }} "
                   "de l'occasion de {{ departement_name }}, gérées par des structures de l'économie sociale et "
                   "solidaire. Vous y trouverez meubles, vêtements, vaisselle, livres, jouets… à petits prix, et vos "
                   "achats soutiennent des emplois d'insertion et des projets solidaires.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(document, "Comment le lire", "Heading 3")
    for text in (
        "Les boutiques sont classées par territoire, puis par commune.",
        "Pour trouver une commune, voyez l'index à la fin de l'annuaire : il donne sa page.",
        "Chaque fiche donne l'adresse, les horaires habituels, ce qu'on y trouve et comment joindre la boutique.",
    ):
        para(document, text, "List Bullet")
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_before=4)
    runs(p, ("★ ", {"bold": True, "color": ORANGE_RGB}),
         ("{{ counts.participating|pluriel('boutique marquée', 'boutiques marquées') }} « Les bons jours de "
          "l'occasion »", {"bold": True, "color": ORANGE_RGB}),
         (" vous accueillent {{ edition.days_short }} avec des animations : musique, jeux, promotions, café "
          "offert…", {}))
    para(document, "Territoires", "Heading 3")
    summary = table(document, 1, 2, usable - 2.6, 2.6)
    header_row(summary, ["Territoire", "Boutiques"])
    loop_row(summary, "{%tr for t in territories %}")
    row = summary.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ t.name }}", size=body)
    cell_text(row.cells[1], "{{ t.shops_count }}", size=body, align=WD_ALIGN_PARAGRAPH.CENTER)
    loop_row(summary, "{%tr endfor %}")
    para(document, "Informations données sous réserve de modification : appelez la boutique avant de vous "
                   "déplacer. Annuaire établi le {{ generated_on_text }}.", "Petit texte", space_before=8)

    # Territories, then communes (each with its bookmark for the index), then the shops' cards.
    tag(document, "{%p for territory in territories %}")
    heading = para(document, "{{ territory.name }}", "Heading 1")
    heading.paragraph_format.page_break_before = True
    tag(document, "{%p for commune in territory.communes %}")
    commune = para(document, "{{ commune.name }}{% if commune.postal_code %} ({{ commune.postal_code }}){% endif %}",
                   "Heading 2")
    bookmark(commune, "{{ commune.bookmark_id }}", "{{ commune.anchor }}")
    tag(document, "{%p for shop in commune.shops %}")
    label_width = 2.3 if small else 3.2
    card = table(document, 1, 2, label_width, usable - label_width)
    top_row = card.rows[0]
    row_props(top_row)
    merged = top_row.cells[0].merge(top_row.cells[1])
    shade(merged, LIGHT)
    p = cell_text(merged, "{{ shop.name }}", bold=True, size=body + 1, color=GREEN_RGB, keep_next=True)
    runs(p, ("{% if shop.participates %}  ★ Les bons jours de l'occasion{% endif %}",
             {"bold": True, "size": body - 1, "color": ORANGE_RGB}))
    for label, value in (
        ("Adresse", "{{ shop.address }}{% if shop.address %}, {% endif %}{{ shop.postal_code }} {{ shop.commune }}"),
        ("Horaires", "{{ shop.hours_text }}"),
        ("Produits", "{{ shop.products_text }}"),
        ("Réseau", "{{ shop.network }}{% if shop.legal_form %} · {{ shop.legal_form }}{% endif %}"),
        ("Contact", "{{ shop.contact_text }}"),
    ):
        row = card.add_row()
        row_props(row)
        cell_text(row.cells[0], label, size=body - 1, color=GREY_RGB, keep_next=True)
        cell_text(row.cells[1], value, size=body, keep_next=True)
    loop_row(card, "{%tr if shop.participates and shop.animations %}")
    row = card.add_row()
    row_props(row)
    cell_text(row.cells[0], "Les bons jours", size=body - 1, color=ORANGE_RGB, bold=True, keep_next=True)
    cell_text(row.cells[1], "{{ shop.animations_text }}", size=body, keep_next=False)
    loop_row(card, "{%tr endif %}")
    para(document, "", space_after=2)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endfor %}")

    # Index of the communes: a PAGEREF field to each commune's bookmark, after a dotted leader.
    index_heading = para(document, "Index des communes", "Heading 1")
    index_heading.paragraph_format.page_break_before = True
    tag(document, "{%p for c in communes_index %}")
    entry = para(document, "", space_after=1)
    entry.paragraph_format.tab_stops.add_tab_stop(Cm(usable), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    runs(entry, ("{{ c.name }}", {"bold": True}), (" — {{ c.territory }}", {"size": body - 1.5, "color": GREY_RGB}),
         ("\t", {}))
    add_field(entry, "PAGEREF {{ c.anchor }} \\h", "?")
    tag(document, "{%p endfor %}")

    # Back cover, in its own section: no header or footer on it.
    from docx.enum.section import WD_SECTION

    back = document.add_section(WD_SECTION.NEW_PAGE)
    back.different_first_page_header_footer = True
    para(document, "", space_after=120 if small else 200)
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    runs(p, ("{{ operation_title }}", {"size": 14 if small else 18, "bold": True, "color": ORANGE_RGB}))
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    runs(p, ("{{ edition.days_text|capitalize }}", {"size": 11 if small else 13, "bold": True, "color": GREEN_RGB}))
    para(document, "dans les boutiques solidaires marquées ★", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "{%p if web_page %}")
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=18)
    runs(p, ("Toutes les boutiques et leur carte : ", {"color": GREY_RGB}), ("{{ web_page }}", {"bold": True}))
    tag(document, "{%p endif %}")
    p = para(document, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=30)
    runs(p, ("Département de {{ departement_name }}", {"bold": True, "size": 12 if small else 14,
                                                       "color": GREEN_RGB}))
    tag(document, "{%p if departement_contact %}")
    para(document, "Contact : {{ departement_contact }}", "Petit texte", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "{%p endif %}")
    para(document, "Ne pas jeter sur la voie publique. Donnez-le plutôt à un voisin !", "Petit texte",
         align=WD_ALIGN_PARAGRAPH.CENTER, space_before=24)
    return document


# --- review report ------------------------------------------------------------------------------


def bilan() -> Document:
    document = new_document("Bilan de l'édition", "Les bons jours de l'occasion — bilan")
    header_footer(document, "{{ operation_title }} — bilan {{ edition.name }}", "Département de {{ departement_name }}",
                  "Bilan établi le {{ generated_on_text }}")
    banner(document, "BILAN DE L'ÉDITION", "{{ operation_title }} — {{ edition.name }}", "{{ edition.days_text }}")

    para(document, "Chiffres clés", "Heading 1")
    key = table(document, 1, 2, 11.0, 6.0)
    header_row(key, ["Indicateur", "{{ edition.name }}"])
    for label, value in (
        ("Boutiques participantes", "{{ totals.shops }}"),
        ("Territoires concernés", "{{ totals.territories }}"),
        ("Animations prévues", "{{ totals.animations }}"),
        ("Visiteurs ({{ totals.visitors_known_text }})", "{{ totals.visitors_text }}"),
        ("Ventes déclarées", "{{ totals.sales_text }}"),
        ("Articles de presse", "{{ press_articles_text }}"),
        ("Annuaires distribués", "{{ booklets_text }}"),
        ("Dépenses TTC (hors frais généraux)", "{{ budget.total_ttc_text }}"),
    ):
        row = key.add_row()
        row_props(row)
        cell_text(row.cells[0], label, size=9)
        cell_text(row.cells[1], value, size=9, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)

    tag(document, "{%p if has_previous %}")
    para(document, "Comparaison avec l'édition {{ previous.name }}", "Heading 1")
    para(document, "Édition précédente : {{ previous.days_text }}.", "Petit texte", keep_next=True)
    comparison = table(document, 1, 4, 6.0, 3.6, 3.6, 3.8)
    header_row(comparison, ["Indicateur", "{{ previous.name }}", "{{ edition.name }}", "Évolution"])
    loop_row(comparison, "{%tr for c in comparison %}")
    row = comparison.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ c.label }}", size=9)
    cell_text(row.cells[1], "{{ c.previous }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[2], "{{ c.current }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    cell_text(row.cells[3], "{{ c.change }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    loop_row(comparison, "{%tr endfor %}")
    tag(document, "{%p else %}")
    para(document, "Comparaison avec les éditions précédentes", "Heading 1")
    para(document, "{{ first_edition_text }}")
    tag(document, "{%p endif %}")

    para(document, "Participation des boutiques", "Heading 1")
    # « Visiteurs » in bold 9.5 pt needs 2.2 cm with the cell margins (1.7 cm broke it as « Visiteur / s »).
    parts = table(document, 1, 5, 4.6, 2.7, 5.2, 2.2, 2.3)
    header_row(parts, ["Boutique", "Commune", "Animations", "Visiteurs", "Ventes"])
    loop_row(parts, "{%tr for p in participations %}")
    row = parts.add_row()
    row_props(row)
    p = cell_text(row.cells[0], "{{ p.shop }}", size=9, bold=True)
    runs(p, ("{% if p.status != 'confirmée' %} ({{ p.status }}){% endif %}", {"size": 8, "color": GREY_RGB}))
    cell_text(row.cells[1], "{{ p.commune }}", size=8.5)
    cell_text(row.cells[2], "{{ p.animations_text }}{% if p.animations_held %}\nRéalisées : {{ p.animations_held }}"
                            "{% endif %}", size=8)
    cell_text(row.cells[3], "{{ p.visitors_text }}", size=8.5, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[4], "{{ p.sales_text }}", size=8.5, align=WD_ALIGN_PARAGRAPH.RIGHT)
    loop_row(parts, "{%tr endfor %}")

    para(document, "Budget", "Heading 1")
    tag(document, "{%p if budget.has_lines %}")
    budget = table(document, 1, 4, 7.4, 3.4, 3.4, 2.8)
    header_row(budget, ["Catégorie", "Total HT", "Total TTC", "Part"])
    loop_row(budget, "{%tr for c in budget.categories %}")
    row = budget.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ c.name|capitalize }}", size=9)
    cell_text(row.cells[1], "{{ c.ht_text }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[2], "{{ c.ttc_text }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[3], "{{ c.share_text }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    loop_row(budget, "{%tr endfor %}")
    row = budget.add_row()
    row_props(row)
    for cell in row.cells:
        shade(cell, LIGHT)
    cell_text(row.cells[0], "Total", size=9, bold=True)
    cell_text(row.cells[1], "{{ budget.total_ht_text }}", size=9, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[2], "{{ budget.total_ttc_text }}", size=9, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(row.cells[3], "100 %", size=9, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p = para(document, "", space_before=6)
    runs(p, ("Enveloppe de l'édition : ", {}), ("{{ budget.envelope_text }}", {"bold": True}),
         ("{% if budget.remaining_text %} — engagé, facturé ou payé : {{ budget.spent_text }} ; reste "
          "{{ budget.remaining_text }} ({{ budget.used_text }} consommés){% endif %}.", {}))
    tag(document, "{%p if budget.overheads_text %}")
    para(document, "Frais généraux valorisés, hors total (salaires des agents, véhicules) : {{ budget.overheads_text }}.",
         "Petit texte")
    tag(document, "{%p endif %}")
    tag(document, "{%p for chart in charts %}")
    para(document, "{{ chart.image }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=8, keep_next=True)
    para(document, "{{ chart.caption }}", "Petit texte", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "{%p endfor %}")
    tag(document, "{%p else %}")
    para(document, "Aucune dépense n'est enregistrée pour cette édition (enveloppe : {{ budget.envelope_text }}).")
    tag(document, "{%p endif %}")

    para(document, "Résultats qualitatifs", "Heading 1")
    # Left-aligned: these texts hold line breaks, and a justified line ending in a break is stretched.
    para(document, "{% if qualitative_results %}{{ qualitative_results }}{% else %}À compléter.{% endif %}",
         align=WD_ALIGN_PARAGRAPH.LEFT)
    para(document, "Recommandations", "Heading 1")
    para(document, "{% if recommendations %}{{ recommendations }}{% else %}À compléter.{% endif %}",
         align=WD_ALIGN_PARAGRAPH.LEFT)
    return document


# --- delivery sheet -----------------------------------------------------------------------------


def delivery_sheet() -> Document:
    document = new_document("Fiche de tournée", "Livraisons et reprises du matériel")
    header_footer(document, "Fiche de tournée — {{ operation_title }} {{ edition.name }}",
                  "{{ round.day_text }} — {{ round.territory }}",
                  "Département de {{ departement_name }} · Équipe logistique")
    banner(document, "FICHE DE TOURNÉE — {{ round.kind_text|upper }}", "{{ round.day_text }}",
           "{{ round.territory }}")
    # What to load, counted the driver's way (« 4 jeux, 140 affiches »), not in « lignes ».
    info = table(document, 2, 4, 2.0, 6.0, 4.5, 4.5)
    for cell, label in zip(info.rows[0].cells, ["Arrêts", "À déposer", "À reprendre", "Chauffeurs prévus"]):
        shade(cell, LIGHT)
        cell_text(cell, label, size=8.5, color=GREY_RGB)
    for cell, value in zip(info.rows[1].cells, ["{{ round.stops_count }}", "{{ round.drop_text }}",
                                                 "{{ round.pick_text }}", "{{ round.carriers_text }}"]):
        cell_text(cell, value, size=10, bold=True)
    for row in info.rows:
        row_props(row)
    para(document, "Véhicule : ______________________     Départ du hangar : ____ h ____     "
                   "Retour : ____ h ____", space_before=8, space_after=4)

    # A stop is never split across pages: its heading, address, hours, every row of its table and the
    # label row of its signature line keep with the next paragraph, and no row can split; only the
    # signature's writing space ends the chain.
    tag(document, "{%p for stop in stops %}")
    title = para(document, "{{ stop.number }}. {{ stop.name }}", "Heading 2")
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.keep_together = True
    p = para(document, "", keep_next=True, space_after=2)
    runs(p, ("{% if stop.address or stop.commune %}{{ stop.address }}{% if stop.address %}, {% endif %}"
              "{{ stop.postal_code }} {{ stop.commune }}{% else %}Adresse non renseignée : appeler le destinataire"
              "{% endif %}", {"bold": True}),
         ("{% if stop.phone %} — Tél. {{ stop.phone }}{% endif %}{% if stop.contact %}"
          " ({{ stop.contact }}){% endif %}", {}))
    p = para(document, "", keep_next=True, space_after=4)
    runs(p, ("{% if stop.hours_text %}{{ stop.hours_text|capitalize }}{% else %}Horaires : voir avec le "
             "destinataire{% endif %}", {"size": 9, "color": GREY_RGB}))
    lines = table(document, 1, 4, 2.6, 9.6, 2.8, 2.0)
    header_row(lines, ["Action", "Matériel", "Quantité", "Fait"])
    loop_row(lines, "{%tr for line in stop.lines %}")
    row = lines.add_row()
    row_props(row)
    cell_text(row.cells[0], "{{ line.action }}", size=9, bold=True, keep_next=True)
    p = cell_text(row.cells[1], "{{ line.what }}", size=9, keep_next=True)
    runs(p, ("{% if line.notes %} — {{ line.notes }}{% endif %}", {"size": 8, "color": GREY_RGB}))
    cell_text(row.cells[2], "{{ line.quantity_text }}", size=9, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_next=True)
    cell_text(row.cells[3], "☐", size=11, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    loop_row(lines, "{%tr endfor %}")
    sign = table(document, 1, 3, 6.5, 6.5, 4.0)
    for cell, label in zip(sign.rows[0].cells, ["Nom de la personne présente", "Signature", "Heure"]):
        cell_borders(cell, top=(0, "FFFFFF"), left=(0, "FFFFFF"), right=(0, "FFFFFF"), bottom=(4, "777777"))
        cell_text(cell, label, size=8, color=GREY_RGB, keep_next=True)
        spacer = cell.add_paragraph()
        spacer.paragraph_format.space_after = Pt(14)
    row_props(sign.rows[0])
    para(document, "", space_after=6)
    tag(document, "{%p endfor %}")

    end_title = para(document, "Fin de tournée", "Heading 2", space_before=14)
    end_title.paragraph_format.keep_with_next = True
    end = table(document, 1, 3, 6.5, 6.5, 4.0)
    for cell, label in zip(end.rows[0].cells, ["Chauffeur (nom)", "Signature", "Retour au hangar (date, heure)"]):
        cell_borders(cell, top=(0, "FFFFFF"), left=(0, "FFFFFF"), right=(0, "FFFFFF"), bottom=(4, "777777"))
        cell_text(cell, label, size=8, color=GREY_RGB, keep_next=True)
        spacer = cell.add_paragraph()
        spacer.paragraph_format.space_after = Pt(16)
    row_props(end.rows[0])
    para(document, "Signaler tout objet manquant ou abîmé à l'équipe logistique. Contact : {{ departement_contact }}.",
         "Petit texte", space_before=8)
    return document


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("dossier_presse.docx", press_kit),
        ("fiche_role.docx", role_sheet),
        ("annuaire.docx", directory),
        ("annuaire_a4.docx", lambda: directory("a4")),
        ("bilan.docx", bilan),
        ("fiche_livraison.docx", delivery_sheet),
    ):
        build().save(str(OUT / name))
        print(f"écrit : {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
