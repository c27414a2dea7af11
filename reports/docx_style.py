"""A Word document in the official layout of GB/T 9704-2012 (党政机关公文格式), with its fonts declared.

- A4; margins top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm: a 156 × 225 mm text block.
- Body 3号 (16 pt) 仿宋_GB2312, 22 lines a page (`w:docGrid` type "lines", pitch 579 twips = 225 mm / 22)
  of 28 characters. The 28 characters come from a character spacing of -0.25 pt on the body style rather
  than from a character grid: with `linesAndChars` LibreOffice puts every 16 pt character on two grid cells
  (14 a line), while Word, WPS and LibreOffice all honour character spacing the same way.
- Title 2号 (22 pt) 方正小标宋简体; first-level headings 黑体, second-level 楷体_GB2312, third level 仿宋.
- Page numbers 4号 (14 pt) 宋体 as "— 1 —", odd pages right and even pages left with one character of
  space, none on the cover (a section of its own; the body section starts again at 1).

The servers this runs on have none of these fonts; Word and WPS on users' machines do. Each is declared by
its official name on the styles and runs (`w:eastAsia` included: python-docx's `font.name` sets only the
Latin fonts, and the default template points the East Asian font at the theme, which wins, so the theme
attributes are removed), and in the font table with a fallback (`w:altName`, e.g. 仿宋_GB2312 → 仿宋). For
PDF rendering on a server, `reports/fonts.conf` maps them to Noto Serif / Sans CJK (see reports/pdf.py).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from reports.docx_package import freeze, package_bytes

# The official font names (East Asian) and what Word and WPS fall back to when one is missing.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEI_FONT: "SimHei", SONG_FONT: "SimSun"}
LATIN_FONT = "Times New Roman"

# Sizes in points: 2号, 3号, 4号, 五号.
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22.0, 16.0, 14.0, 10.5
TITLE_LINE_PT = 33.0

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_MM = 21  # the page number's baseline area: its top about 7 mm below the text block
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
CHAR_SPACING_TWENTIETHS = -5  # -0.25 pt: 28 characters of 16 pt in 156 mm
FIRST_LINE_INDENT = Pt(2 * BODY_PT)  # two characters, as every paragraph and heading of the body

THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


@dataclass(frozen=True)
class StyleFonts:
    """The fonts and size of one paragraph style."""

    east_asian: str
    latin: str
    size: float
    bold: bool = False


STYLES: dict[str, StyleFonts] = {
    "Normal": StyleFonts(BODY_FONT, LATIN_FONT, BODY_PT),
    "Title": StyleFonts(TITLE_FONT, TITLE_FONT, TITLE_PT),
    "Heading 1": StyleFonts(HEI_FONT, HEI_FONT, BODY_PT),
    "Heading 2": StyleFonts(KAI_FONT, KAI_FONT, BODY_PT),
    "Heading 3": StyleFonts(BODY_FONT, LATIN_FONT, BODY_PT, bold=True),
    "Footer": StyleFonts(SONG_FONT, SONG_FONT, PAGE_NUMBER_PT),
    "Header": StyleFonts(BODY_FONT, LATIN_FONT, TABLE_PT),
    "Table Grid": StyleFonts(BODY_FONT, LATIN_FONT, TABLE_PT),
}
RUN_FONTS: dict[str, tuple[str, str]] = {
    "body": (BODY_FONT, LATIN_FONT),
    "title": (TITLE_FONT, TITLE_FONT),
    "hei": (HEI_FONT, HEI_FONT),
    "kai": (KAI_FONT, KAI_FONT),
    "song": (SONG_FONT, SONG_FONT),
}
HEADING_RUN = {1: "hei", 2: "kai", 3: "body"}


def set_fonts(rpr_owner: object, latin: str, east_asian: str) -> None:
    """Explicit Latin and East Asian fonts on an element that owns an rPr (a style, a run, the defaults)."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_child(parent: object, tag: str, **attrs: str) -> object:
    """The child `tag` of `parent` (created once), with the given w: attributes."""
    element = parent.find(qn(tag))  # type: ignore[attr-defined]
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)  # type: ignore[attr-defined]
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def new_document(cover: bool = True) -> DocumentObject:
    """An empty document in the official layout; `cover`: the first section is a cover without a page number.

    Call `body_section(doc)` after the cover to start the numbered body. A copy of a base document styled
    once per process; its styles, settings and font table are fixed (see reports/docx_package.py).
    """
    return deepcopy(_base_document(cover))


@lru_cache(maxsize=2)
def _base_document(cover: bool) -> DocumentObject:
    """python-docx's default template restyled in the official layout, its unchanging parts frozen."""
    doc = Document()
    _defaults(doc)
    for name, spec in STYLES.items():
        style = doc.styles[name]
        set_fonts(style.element, spec.latin, spec.east_asian)
        style.font.size = Pt(spec.size)
        style.font.bold = spec.bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # one grid line each
            fmt.first_line_indent = FIRST_LINE_INDENT
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if name.startswith("Heading"):
            fmt.keep_with_next = True
            fmt.left_indent = Pt(0)
    title = doc.styles["Title"].paragraph_format
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.first_line_indent = Pt(0)
    title.keep_with_next = True
    # 2号 lines a fixed 33 pt apart, off the grid: Noto's taller line box would take two grid lines each
    title.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.line_spacing = Pt(TITLE_LINE_PT)
    _set_child(doc.styles["Title"].element.get_or_add_pPr(), "w:snapToGrid", val="0")
    _title_border_off(doc)
    _character_spacing(doc)
    for name in ("List Bullet", "List Number"):
        set_fonts(doc.styles[name].element, LATIN_FONT, BODY_FONT)
    doc.settings.odd_and_even_pages_header_footer = True
    _font_table(doc)
    setup_section(doc.sections[0], numbered=not cover)
    freeze(doc)
    return doc


def _defaults(doc: DocumentObject) -> None:
    """Document defaults: explicit fonts and Chinese as the East Asian language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    _set_child(rpr, "w:lang", eastAsia="zh-CN")


def _title_border_off(doc: DocumentObject) -> None:
    """The default template's Title has a bottom border and a theme colour: an official title has neither."""
    ppr = doc.styles["Title"].element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def _character_spacing(doc: DocumentObject) -> None:
    """-0.25 pt between characters of the body and headings: 28 characters a line."""
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        rpr = doc.styles[name].element.get_or_add_rPr()
        _set_child(rpr, "w:spacing", val=str(CHAR_SPACING_TWENTIETHS))


def _font_table(doc: DocumentObject) -> None:
    """Every declared font in the font table with its fallback (`w:altName`) and the GB2312 charset.

    python-docx has no API for the font table: its XML is edited directly.
    """
    font_part = next(
        (rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
        None,
    )
    if font_part is None:
        return
    from lxml import etree

    root = etree.fromstring(font_part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, fallback in FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def setup_section(section: Section, numbered: bool = True, restart: bool = False) -> None:
    """A4 portrait, the official margins, the line grid; page numbers on odd (right) and even (left) pages."""
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_MM)
    sect_pr = section._sectPr
    grid = _set_child(sect_pr, "w:docGrid", type="lines", linePitch=str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)
    if restart:
        number_type = sect_pr.find(qn("w:pgNumType"))
        if number_type is None:
            number_type = OxmlElement("w:pgNumType")
            # pgNumType comes before cols and docGrid in CT_SectPr
            anchor = sect_pr.find(qn("w:cols"))
            (anchor.addprevious if anchor is not None else sect_pr.append)(number_type)
        number_type.set(qn("w:start"), "1")
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        if numbered:
            _page_number(paragraph, align)
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False


def body_section(doc: DocumentObject) -> Section:
    """A new page and section after the cover: the numbered body, its pages counted from 1."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_section(section, numbered=True, restart=True)
    return section


def _page_number(paragraph: Paragraph, align: str) -> None:
    """`— n —` in 4号 宋体, one character in from the right (odd pages) or the left (even pages)."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Pt(0)
    if align == "right":
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    add_run(paragraph, "— ", font="song", size=PAGE_NUMBER_PT)
    _field(paragraph, "PAGE")
    add_run(paragraph, " —", font="song", size=PAGE_NUMBER_PT)


@lru_cache(maxsize=8)
def _run_fonts(font: str) -> CT_RPr:
    """An rPr holding only the run fonts, copied into every run (faster than building it each time)."""
    run = Document().add_paragraph().add_run()
    east_asian, latin = RUN_FONTS[font]
    set_fonts(run._r, latin, east_asian)
    return run._r.rPr


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    heading: bool = False,
    color: RGBColor | None = None,
    font: str | None = None,
) -> Run:
    """A run with its fonts declared (`font`: body, title, hei, kai, song; `heading` is hei)."""
    run = paragraph.add_run(text)
    run._r.insert(0, deepcopy(_run_fonts(font or ("hei" if heading else "body"))))
    if bold:
        run.bold = True
    if size is not None:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    add_run(paragraph, "", font="song", size=PAGE_NUMBER_PT)._r.append(char)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE) as Word writes it: begin, instruction, separate, a cached value, end."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    add_run(paragraph, "", font="song", size=PAGE_NUMBER_PT)._r.append(instr)
    _field_char(paragraph, "separate")
    add_run(paragraph, "1", font="song", size=PAGE_NUMBER_PT)
    _field_char(paragraph, "end")


def add_header_text(doc: DocumentObject, text: str) -> None:
    """A line at the top right of every page, cover included (used to mark a provisional document)."""
    for section in doc.sections:
        for header in (section.header, section.even_page_header):
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_run(paragraph, text, bold=True, size=TABLE_PT, color=RGBColor(0xC0, 0x00, 0x00))


def to_bytes(doc: DocumentObject) -> bytes:
    """The document as .docx bytes (the frozen parts of the base document compressed once per process)."""
    return package_bytes(doc)
