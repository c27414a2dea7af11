"""Self versus inspection per domain as a bar chart drawn with a Word table.

Why a table and not a picture: a PNG needs a renderer and a CJK font on the machine (vl-convert ships
only Liberation Sans, and a fresh CI machine has no Chinese font), or Chinese labels come out as boxes.
A table of shaded cells is laid out by Word or WPS itself, with the document's own fonts, stays sharp
when printed, needs no dependency, and can be read back in tests. The bar area is a grid of 50 columns
of 2% each; a bar is one cell spanning as many grid columns as its percentage needs.
"""

from __future__ import annotations

import math
from copy import deepcopy
from functools import lru_cache

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.table import Table

from i18n.catalog import t
from reports.content import SchoolReport
from reports.docx_parts import new_tbl, new_tc, para
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
    grid = [int(Cm(width).twips) for width in (LABEL_CM, SERIES_CM, *([BAR_CM / GRID] * GRID), VALUE_CM)]
    tbl = new_tbl(grid, LABEL_CM + SERIES_CM + BAR_CM + VALUE_CM)
    for k, domain in enumerate(rep.domains):
        for j, (name, pct, fill) in enumerate(
            (("self", domain.self_pct, SELF_FILL), ("inspection", domain.insp_pct, INSPECTION_FILL))
        ):
            label = domain.label if j == 0 else None
            last = k == len(rep.domains) - 1 and j == 1
            tbl.append(_bar_row(label, t(f"report.view.{name}", lang), pct, fill, keep=not last))
    doc.element.body._insert_tbl(tbl)
    return Table(tbl, doc._body)


@lru_cache(maxsize=1)
def _tr_proto() -> OxmlElement:
    """A bar row: at least ROW_CM high, not split across pages (trHeight first, as python-docx puts it)."""
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    height = OxmlElement("w:trHeight")
    height.set(qn("w:hRule"), "atLeast")
    height.set(qn("w:val"), str(Cm(ROW_CM).twips))
    tr_pr.append(height)
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.append(cant_split)
    tr.append(tr_pr)
    return tr


def _bar_row(label: str | None, series: str, pct: float, fill: str, keep: bool) -> OxmlElement:
    """Label (merged down over the domain's second row when None), series, filled and empty bar, value."""
    tr = deepcopy(_tr_proto())
    vmerge = "restart" if label else "continue"
    tr.append(new_tc(Cm(LABEL_CM).twips, label or "", keep=keep, vmerge=vmerge))
    tr.append(new_tc(Cm(SERIES_CM).twips, series, size=8, keep=keep))
    filled = bar_cells(pct)
    for span, shade_with in ((filled, fill), (GRID - filled, None)):
        if span:
            tr.append(new_tc(Cm(BAR_CM / GRID * span).twips, None, span=span, fill=shade_with))
    value = f"{fmt_score(pct)}%" if not math.isnan(pct) else "—"
    tr.append(new_tc(Cm(VALUE_CM).twips, value, size=8, keep=keep))
    return tr
