"""Building blocks of the Word reports: headings, paragraphs, bullet lists and plain tables with Chinese fonts."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from reports.docx_style import add_run

HEADER_FILL = "D9E2F3"
TABLE_FONT = 9.0


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    """A heading in 黑体 (style Heading n)."""
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    add_run(paragraph, text, heading=True)
    return paragraph


def para(
    doc: DocumentObject, text: str = "", *, bold: bool = False, size: float | None = None, center: bool = False
) -> Paragraph:
    """A body paragraph in 宋体."""
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        add_run(paragraph, text, bold=bold, size=size)
    return paragraph


def label_value(doc: DocumentObject, label: str, value: str) -> Paragraph:
    """`label：value` with the label in bold."""
    paragraph = doc.add_paragraph()
    add_run(paragraph, f"{label}：", bold=True)
    add_run(paragraph, value)
    return paragraph


def bullets(doc: DocumentObject, lines: Sequence[str], empty: str) -> None:
    """A bulleted list, or one line saying there is nothing to list."""
    if not lines:
        para(doc, empty)
        return
    for line in lines:
        add_run(doc.add_paragraph(style="List Bullet"), line)


def shade(cell: _Cell, fill: str) -> None:
    """A background colour for a table cell (hex RGB)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def set_cell(
    cell: _Cell, text: str, *, bold: bool = False, size: float = TABLE_FONT, center: bool = False, keep: bool = False
) -> None:
    """The text of a cell (which starts with one empty paragraph); `keep` keeps its row with the next one."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = 0
    paragraph.paragraph_format.line_spacing = 1.0
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = text.split("\n")
    for n, line in enumerate(lines):
        run = add_run(paragraph, line, bold=bold, size=size)
        if n < len(lines) - 1:
            run.add_break()


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def grid_table(
    doc: DocumentObject,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    centered: Sequence[int] = (),
) -> Table:
    """A bordered table with a shaded header row repeated on every page, fixed column widths."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(widths_cm):
        table.columns[c].width = Cm(width)
    for r, values in enumerate([header, *rows]):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cells[c].width = Cm(widths_cm[c])
            set_cell(cells[c], str(value), bold=r == 0, center=r == 0 or c in centered)
            if r == 0:
                shade(cells[c], HEADER_FILL)
    _repeat_header(table)
    return table


def span_row(table: Table, row: int, text: str, fill: str = "F2F2F2") -> None:
    """Merge a whole row into one shaded cell holding `text` (a group heading inside a table)."""
    cells = table.rows[row].cells
    merged = cells[0].merge(cells[-1])
    for paragraph in merged.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    for run in list(merged.paragraphs[0].runs):
        run._r.getparent().remove(run._r)
    set_cell(merged, text, bold=True)
    shade(merged, fill)
