"""Excel outputs print well: every sheet A4, one page wide, header rows repeated, header and footer with page."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reports.action_plan import action_plan_xlsx
from reports.district_frames import agreement_tables
from reports.district_xlsx import district_workbook
from reports.school_xlsx import school_report_xlsx


def _print_problems(
    data: bytes, wide: set[str], titled: set[str], name: str, heads: dict[str, str] | None = None
) -> list[str]:
    """What is wrong with the print setup of each sheet; `heads`: the repeated rows where not row 1."""
    heads = heads or {}
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        setup = ws.page_setup
        if setup.paperSize not in (9, "9"):
            out.append(f"{ws.title}: paper {setup.paperSize}, not A4")
        if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
            out.append(f"{ws.title}: not fitted to one page wide")
        if str(setup.fitToHeight) != "0":
            out.append(f"{ws.title}: fitted to {setup.fitToHeight} pages high (cut off)")
        expected = "landscape" if ws.title in wide else "portrait"
        if setup.orientation != expected:
            out.append(f"{ws.title}: {setup.orientation}, expected {expected}")
        if ws.title in titled and ws.print_title_rows != heads.get(ws.title, "$1:$1"):
            out.append(f"{ws.title}: header row not repeated ({ws.print_title_rows})")
        if "&P" not in (ws.oddFooter.center.text or ""):
            out.append(f"{ws.title}: no page number in the footer")
        if name not in (ws.oddHeader.left.text or ""):
            out.append(f"{ws.title}: printed header does not name {name!r}")
    return out


def test_inspection_workbook_prints_every_sheet(make_ctx, weak_school):
    ctx = make_ctx(weak_school)
    assert _print_problems(school_report_xlsx(ctx), {"逐项评价"}, {"逐项评价"}, ctx.school_name) == []


def test_action_plan_prints(make_ctx, weak_school):
    ctx = make_ctx(weak_school)
    plan = action_plan_xlsx(ctx)  # the decision sentence and a blank row stand above the table's head
    assert _print_problems(plan, {"整改计划"}, {"整改计划"}, ctx.school_name, {"整改计划": "$3:$3"}) == []


def test_district_workbook_prints_every_sheet(result):
    data = district_workbook(result, cycle="2025学年", district="长宁区", agreement=agreement_tables(result))
    wide = {"学校得分", "排名", "区目标"}
    assert _print_problems(data, wide, wide | {"督导一致性"}, "长宁区 2025学年") == []


@pytest.mark.parametrize("bad", [[], ["逐项评价"]])
def test_the_check_catches_a_sheet_without_setup(bad):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet("逐项评价").write(0, 0, "x")
    book.close()
    assert _print_problems(buffer.getvalue(), set(bad), set(bad), "甲") != []
