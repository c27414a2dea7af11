"""Self versus inspection per domain as a bar chart drawn with a Word table.

Why a table and not a picture: a PNG needs a renderer and a CJK font on the machine (vl-convert ships
only Liberation Sans, and a fresh CI machine has no Chinese font), or Chinese labels come out as boxes.
A table of shaded cells is laid out by Word or WPS itself, with the document's own fonts, stays sharp
when printed, needs no dependency, and can be read back in tests. The bar area is a grid of 50 columns
of 2% each; a bar is one cell spanning as many grid columns as its percentage needs.
"""

from __future__ import annotations

import math

from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.table import Table, _Cell

from i18n.catalog import t
from reports.content import SchoolReport
from reports.docx_parts import para, row_flags, set_cell, shade, table_width
from reports.docx_style import add_run
from reports.text import fmt_score

GRID = 50  # one grid column is 2%
BAR_CM = 8.6  # label + series + bars + value = the 15.6 cm text block
LABEL_CM, SERIES_CM, VALUE_CM = 4.2, 1.2, 1.6
SELF_FILL, INSPECTION_FILL = "9DC3E6", "1F4E79"
ROW_CM = 0.42


def bar_cells(pct: float) -> int:
    """How many 2% grid columns a bar of `pct` percent spans (0 to GRID)."""
    if math.isnan(pct):
        return 0
    return max(0, min(GRID, round(pct / 100 * GRID)))


def domain_chart(doc: DocumentObject, rep: SchoolReport) -> Table:
    """The chart: a legend line, then two bars per domain (self above inspection) with their values."""
    lang = rep.lang
    legend = para(doc)
    legend.paragraph_format.keep_with_next = True
    legend.paragraph_format.first_line_indent = 0
    add_run(legend, "■ ", color=RGBColor.from_string(SELF_FILL), size=10.5)
    add_run(legend, t("report.view.self", lang) + "    ", size=10.5)
    add_run(legend, "■ ", color=RGBColor.from_string(INSPECTION_FILL), size=10.5)
    add_run(legend, t("report.view.inspection", lang), size=10.5)
    table = doc.add_table(rows=2 * len(rep.domains), cols=5)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid(table)
    for k, domain in enumerate(rep.domains):
        for j, (name, pct, fill) in enumerate(
            (("self", domain.self_pct, SELF_FILL), ("inspection", domain.insp_pct, INSPECTION_FILL))
        ):
            label = domain.label if j == 0 else ""
            last = k == len(rep.domains) - 1 and j == 1
            _bar_row(table, 2 * k + j, label, t(f"report.view.{name}", lang), pct, fill, keep=not last)
    table_width(table, LABEL_CM + SERIES_CM + BAR_CM + VALUE_CM)
    row_flags(table, header_rows=0)
    return table


def _grid(table: Table) -> None:
    """Label, series, 50 bar columns, value."""
    grid = table._tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    widths = [LABEL_CM, SERIES_CM, *([BAR_CM / GRID] * GRID), VALUE_CM]
    for width in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(int(Cm(width).twips)))
        grid.append(col)


def _bar_row(table: Table, r: int, label: str, series: str, pct: float, fill: str, keep: bool) -> None:
    row = table.rows[r]
    row.height = Cm(ROW_CM)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    tcs = list(row._tr.tc_lst)
    tcs[0].vMerge = "restart" if label else "continue"
    cells = [_Cell(tc, table) for tc in tcs]
    cells[0].width, cells[1].width, cells[4].width = Cm(LABEL_CM), Cm(SERIES_CM), Cm(VALUE_CM)
    set_cell(cells[0], label, keep=keep)
    set_cell(cells[1], series, size=8, keep=keep)
    filled = bar_cells(pct)
    for cell, span in ((cells[2], filled), (cells[3], GRID - filled)):
        if span == 0:
            row._tr.remove(cell._tc)
            continue
        cell._tc.grid_span = span
        cell.width = Cm(BAR_CM / GRID * span)
    if filled:
        shade(cells[2], fill)
    set_cell(cells[4], f"{fmt_score(pct)}%" if not math.isnan(pct) else "—", size=8, keep=keep)
