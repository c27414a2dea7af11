"""A Word document set up for Chinese: East Asian fonts on the defaults, styles and runs, A4, page numbers.

python-docx's `font.name` sets only the Latin fonts, and the default template points the East Asian
font at the theme (`w:eastAsiaTheme`), which wins over an explicit `w:eastAsia`. So the theme
attributes are removed and `w:eastAsia` is set explicitly (宋体 for the body, 黑体 for headings) on the
document defaults, the styles and every run we write; Word and WPS then pick the right fonts.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

BODY_EA = "宋体"
HEADING_EA = "黑体"
BODY_LATIN = "Times New Roman"
HEADING_LATIN = "Arial"
HEADING_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3")
THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")
_FIELD = re.compile(r"\{(page|pages)\}")


def set_fonts(rpr_owner: object, latin: str, east_asian: str) -> None:
    """Explicit Latin and East Asian fonts on an element that owns an rPr (a style, a run, the defaults)."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def new_document() -> DocumentObject:
    """An empty A4 document with Chinese fonts on its defaults and styles."""
    doc = Document()
    _defaults(doc)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_LATIN, BODY_EA)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for name in HEADING_STYLES:
        style = doc.styles[name]
        set_fonts(style.element, HEADING_LATIN, HEADING_EA)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = True
    for name in ("List Bullet", "List Number", "Table Grid"):
        set_fonts(doc.styles[name].element, BODY_LATIN, BODY_EA)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(22)
    return doc


def _defaults(doc: DocumentObject) -> None:
    """Document defaults: explicit fonts and Chinese as the East Asian language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), BODY_LATIN)
    fonts.set(qn("w:eastAsia"), BODY_EA)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


@lru_cache(maxsize=2)
def _run_fonts(heading: bool) -> CT_RPr:
    """An rPr holding only the run fonts, copied into every run (faster than building it each time)."""
    run = Document().add_paragraph().add_run()
    latin, east_asian = (HEADING_LATIN, HEADING_EA) if heading else (BODY_LATIN, BODY_EA)
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
) -> Run:
    """A run with its East Asian font set (黑体 for heading text, else 宋体)."""
    run = paragraph.add_run(text)
    run._r.insert(0, deepcopy(_run_fonts(heading)))
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
    add_run(paragraph, "")._r.append(char)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and WPS fill in when the page is laid out."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    add_run(paragraph, "", size=9)._r.append(instr)
    _field_char(paragraph, "separate")
    add_run(paragraph, "1", size=9)
    _field_char(paragraph, "end")


def add_page_numbers(doc: DocumentObject, pattern: str) -> None:
    """Page numbers in every footer, from a catalog pattern with {page} and {pages}, e.g. `第 {page} 页`."""
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in _FIELD.split(pattern):
            if part == "page":
                _field(paragraph, "PAGE")
            elif part == "pages":
                _field(paragraph, "NUMPAGES")
            elif part:
                add_run(paragraph, part, size=9)


def add_header_text(doc: DocumentObject, text: str) -> None:
    """A line at the top right of every page (used to mark a provisional report)."""
    for section in doc.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(paragraph, text, bold=True, size=9, color=RGBColor(0xC0, 0x00, 0x00))


def to_bytes(doc: DocumentObject) -> bytes:
    """The document as .docx bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
