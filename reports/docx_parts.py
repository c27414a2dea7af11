"""Building blocks of the Word documents: numbered headings, body paragraphs, numbered lists, tables.

Headings are numbered as official documents are (一、 （一） 1. （1）), each level counted under its
parent. Tables have fixed column widths set both on the grid (`w:gridCol`, which WPS honours) and on
the table (`w:tblW`, which Word honours), rows that do not split across pages, the header row repeated
on every page, and text that does not snap to the body's line grid (a table line is one 五号 line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy
from functools import lru_cache

import docx
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.docx_style import HEADING_RUN, TABLE_PT, add_run

HEADER_FILL = "F2F2F2"
SPAN_FILL = "FAFAFA"  # a group row of the item tables
TABLE_FONT = TABLE_PT
CN_DIGITS = "〇一二三四五六七八九"
TWIPS_PER_CM = 567
W_BR, W_P = qn("w:br"), qn("w:p")
_AFTER_SNAP = (  # the children of w:pPr that come after w:snapToGrid (ECMA-376 order)
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def number_label(level: int, n: int, lang: str = "zh") -> str:
    """The official number of the n-th heading of a level: 一、 （一） 1. （1） (English: 1. 1.1 style)."""
    if lang == "en":
        return {1: f"{n}. ", 2: f"({n}) ", 3: f"{n}) "}.get(level, f"{n}. ")
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def flat(text: str) -> str:
    """Body text on one paragraph: a line break inside a justified paragraph spreads the line before it.

    Lines are joined as sentences (with `；` where the line does not end a sentence already).
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if out and out[-1] not in "。；！？）.;!?)":
            out += "；"
        out += line
    return out


def _counters(doc: DocumentObject) -> list[int]:
    counters = getattr(doc, "_xinyu_numbers", None)
    if counters is None:
        counters = [0, 0, 0, 0]
        doc._xinyu_numbers = counters  # type: ignore[attr-defined]
    return counters


def heading(doc: DocumentObject, text: str, level: int = 1, *, lang: str = "zh", numbered: bool = True) -> Paragraph:
    """A heading (黑体, 楷体, then the body font), numbered under its parent, kept with what follows."""
    paragraph = styled(doc, f"Heading{min(level, 3)}")
    label = ""
    if numbered:
        counters = _counters(doc)
        counters[level - 1] += 1
        for k in range(level, len(counters)):
            counters[k] = 0
        label = number_label(level, counters[level - 1], lang)
    add_run(paragraph, label + text, font=HEADING_RUN.get(level, "body"), bold=level >= 3)
    return paragraph


def styled(doc: DocumentObject, style_id: str) -> Paragraph:
    """A new paragraph of a built-in style by its id (Heading1, Title): no look-up of the style by name."""
    paragraph = doc.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


def para(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    center: bool = False,
    indent: bool = True,
    font: str | None = None,
) -> Paragraph:
    """A body paragraph in 3号 仿宋 with a two-character first-line indent (none when centred)."""
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if center or not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    if text:
        add_run(paragraph, flat(text), bold=bold, size=size, font=font)
    return paragraph


def label_value(doc: DocumentObject, label: str, value: str, *, indent: bool = True) -> Paragraph:
    """`label：value` with the label in 黑体."""
    paragraph = doc.add_paragraph()
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    add_run(paragraph, f"{label}：", font="hei")
    add_run(paragraph, value)
    return paragraph


def bullets(doc: DocumentObject, lines: Sequence[str], empty: str, *, lang: str = "zh", level: int = 3) -> None:
    """A numbered list (1. 2. …, or （1）（2）… at level 4), or one line saying there is nothing to list.

    A first line ending in a colon is the list's lead-in ("最少需提升 n 个等级…："): a sentence, not an item.
    """
    if not lines:
        para(doc, empty)
        return
    if lines[0].endswith(("：", ":")):
        para(doc, lines[0])
        lines = lines[1:]
    for n, line in enumerate(lines, start=1):
        para(doc, number_label(level, n, lang) + line)


def _shd(fill: str) -> OxmlElement:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _off_grid(paragraph: Paragraph) -> None:
    """A table paragraph: single 五号 lines, not snapped to the body's 22-line grid, no indent."""
    fmt = paragraph.paragraph_format
    fmt.space_after = fmt.space_before = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_AFTER_SNAP)


@lru_cache(maxsize=8)
def _cell_ppr(center: bool, keep: bool) -> object:
    """The paragraph properties of a table cell, built once and copied (python-docx setters are slow)."""
    paragraph = docx.Document().add_paragraph()
    _off_grid(paragraph)
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph._p.pPr


@lru_cache(maxsize=8)
def _cell_rpr(bold: bool, size: float) -> object:
    """The run properties of table text: declared fonts, size, no extra character spacing."""
    paragraph = docx.Document().add_paragraph()
    run = add_run(paragraph, "", bold=bold, size=size, font="hei" if bold else None)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), "0")
    run._r.get_or_add_rPr().append(spacing)
    return run._r.rPr


def fill_paragraph(
    p: OxmlElement, text: str, *, bold: bool = False, size: float = TABLE_FONT, center: bool = False, keep: bool = False
) -> None:
    """Table text into an empty paragraph: its properties, then one run a line (each but the last ends in a break)."""
    p.insert(0, _cell_ppr(center, keep).__copy__())  # lxml's __copy__ copies the subtree, as deepcopy does
    with_text, empty = _cell_runs(bold, size)
    lines = text.split("\n")
    last = len(lines) - 1
    for n, line in enumerate(lines):
        if line:
            run = with_text.__copy__()
            run[1].text = line
        else:
            run = empty.__copy__()
        if n < last:
            run.append(run.makeelement(W_BR))
        p.append(run)


@lru_cache(maxsize=8)
def _cell_runs(bold: bool, size: float) -> tuple[OxmlElement, OxmlElement]:
    """Two runs of table text to copy: one with an empty `w:t` (spaces kept), one with none."""
    empty = OxmlElement("w:r")
    empty.append(deepcopy(_cell_rpr(bold, size)))
    with_text = deepcopy(empty)
    text_el = OxmlElement("w:t")
    text_el.set(qn("xml:space"), "preserve")
    with_text.append(text_el)
    return with_text, empty


def _on(tag: str) -> OxmlElement:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    return flag


def table_width(table: Table, width_cm: float) -> None:
    """The table's own width (`w:tblW`, in twips), fixed layout and narrow cell margins (1 mm a side)."""
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(width_cm * TWIPS_PER_CM)))
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    if tbl_pr.find(qn("w:tblCellMar")) is None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "57")
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        look = tbl_pr.find(qn("w:tblLook"))
        (look.addprevious if look is not None else tbl_pr.append)(margins)


def grid_table(
    doc: DocumentObject,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    centered: Sequence[int] = (),
    spans: Mapping[int, str] | None = None,
) -> Table:
    """A bordered table with a shaded header row repeated on every page, fixed column widths, unsplit rows.

    `spans`: rows (counted with the header as 0) merged into one shaded cell holding a group heading, kept
    with the next row. Built in lxml from copied prototypes (python-docx's cell API takes ~1 ms a row).
    """
    if len(widths_cm) != len(header):
        raise ValueError(f"{len(header)} columns but {len(widths_cm)} widths")
    spans = spans or {}
    centered = frozenset(centered)
    tbl = new_tbl([round(w * TWIPS_PER_CM) for w in widths_cm], sum(widths_cm), "TableGrid")
    twips = tuple(Cm(w).twips for w in widths_cm)
    for r, values in enumerate([header, *rows]):
        tr = _tr_proto(r == 0).__copy__()
        if r in spans:
            tr.append(new_tc(sum(twips), spans[r], bold=True, keep=True, fill=SPAN_FILL, span=len(twips)))
        else:
            for c, width in enumerate(twips):
                if c >= len(values):
                    tr.append(new_tc(width, None))
                    continue
                head = r == 0
                tr.append(
                    new_tc(width, str(values[c]), bold=head, center=head or c in centered, keep=head,
                        fill=HEADER_FILL if head else None)
                )  # fmt: skip
        tbl.append(tr)
    doc.element.body._insert_tbl(tbl)
    return Table(tbl, doc._body)


def new_tbl(grid_twips: Sequence[int], width_cm: float, style: str | None = None) -> CT_Tbl:
    """An empty centred table (properties and grid, no rows) of fixed layout, `width_cm` wide."""
    return deepcopy(_tbl_proto(tuple(grid_twips), width_cm, style))


@lru_cache(maxsize=32)
def _tbl_proto(grid_twips: tuple[int, ...], width_cm: float, style: str | None) -> CT_Tbl:
    """The table as python-docx's add_table, alignment, autofit and `table_width` make it, built once."""
    tbl = CT_Tbl.new_tbl(0, len(grid_twips), Cm(width_cm))
    table = Table(tbl, None)  # type: ignore[arg-type]
    if style:
        tbl.tblPr._insert_tblStyle(_val("w:tblStyle", style))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), grid_twips, strict=True):
        col.set(qn("w:w"), str(width))
    table_width(table, width_cm)
    return tbl


def _val(tag: str, value: str) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    return element


@lru_cache(maxsize=2)
def _tr_proto(header: bool) -> OxmlElement:
    """An empty row that does not split across pages (the header row repeated on every page)."""
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(_on("w:cantSplit"))
    if header:
        tr_pr.append(_on("w:tblHeader"))
    tr.append(tr_pr)
    return tr


def new_tc(
    width: int,
    text: str | None,
    *,
    bold: bool = False,
    size: float = TABLE_FONT,
    center: bool = False,
    keep: bool = False,
    fill: str | None = None,
    span: int = 1,
    vmerge: str | None = None,
) -> OxmlElement:
    """A cell of `width` twips holding `text` (None: one bare empty paragraph, as python-docx leaves it).

    `span`: grid columns it covers (`w:gridSpan`); `vmerge`: "restart" or "continue" (`w:vMerge`).
    """
    tc = _tc_proto(width, span, fill, vmerge).__copy__()
    p = tc.makeelement(W_P)
    tc.append(p)
    if text is not None:
        fill_paragraph(p, text, bold=bold, size=size, center=center, keep=keep)
    return tc


@lru_cache(maxsize=256)
def _tc_proto(width: int, span: int, fill: str | None, vmerge: str | None) -> OxmlElement:
    """A cell's properties: width, span, vertical merge, shading (ECMA-376 order: tcW, gridSpan, vMerge, shd)."""
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:type"), "dxa")
    tc_w.set(qn("w:w"), str(width))
    tc_pr.append(tc_w)
    if span > 1:
        tc_pr.append(_val("w:gridSpan", str(span)))
    if vmerge == "restart":
        tc_pr.append(_val("w:vMerge", "restart"))
    elif vmerge:
        tc_pr.append(OxmlElement("w:vMerge"))
    if fill:
        tc_pr.append(_shd(fill))
    tc.append(tc_pr)
    return tc
