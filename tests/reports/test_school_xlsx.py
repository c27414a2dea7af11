"""The Excel inspection report read back with openpyxl; user text written as text, never as a formula."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from reports.context import ItemNotes
from reports.school_xlsx import ITEM_COLUMNS, school_report_xlsx
from reports.text import display_width
from scoring.compiled import NOT_APPLICABLE


@pytest.fixture(scope="module")
def book(make_ctx, weak_school):
    ctx = make_ctx(weak_school)
    return openpyxl.load_workbook(io.BytesIO(school_report_xlsx(ctx))), ctx, school_report_xlsx(ctx)


def _pairs(sheet) -> dict[str, object]:
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] is not None}


def test_summary_sheet_holds_scores_tiers_and_domains(book, result, framework):
    wb, ctx, _ = book
    n = result.row(ctx.school_code)
    sheet = wb["概要"]
    pairs = _pairs(sheet)
    assert pairs["督导得分"] == pytest.approx(result.inspection.score_100[n])
    assert pairs["自评得分"] == pytest.approx(result.self_view.score_100[n])
    assert pairs["督导等第"] == result.tier_name(int(result.inspection.tier_index[n]))
    assert pairs["自评与督导之差（分）"] == pytest.approx(result.overrating[n])
    assert sheet["B1"].value is None and ctx.school_name in sheet["A1"].value
    rows = list(sheet.iter_rows(values_only=True))
    failed = {row[1] for row in rows if row[0] is None and row[1]}
    assert set(result.reasons(ctx.school_code, "inspection", first_only=True)) <= failed
    top = next(k for k, row in enumerate(rows) if row[:2] == ("领域", "适用分"))
    for k, domain in enumerate(framework.domains):
        row = rows[top + 1 + k]
        assert row[0] == f"{domain.id} {domain.title.zh}"
        assert row[3] == pytest.approx(result.self_view.domain_pct[n, k])
        assert row[5] == pytest.approx(result.inspection.domain_pct[n, k])


def test_summary_has_a_native_chart_of_the_domain_table(book):
    wb, _, data = book
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    rows = list(wb["概要"].iter_rows(values_only=True))
    top = next(k for k, row in enumerate(rows) if row[:2] == ("领域", "适用分")) + 1  # Excel row of the header
    assert f"$D${top + 1}:$D${top + 7}" in chart and f"$F${top + 1}:$F${top + 7}" in chart
    assert "<c:barChart>" in chart


def test_item_sheet_frozen_filtered_and_matching_the_scores(book, result):
    wb, ctx, _ = book
    n = result.row(ctx.school_code)
    sheet = wb["逐项评价"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:Q")
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(header) == len(ITEM_COLUMNS)
    col = {name: k for k, name in enumerate(ITEM_COLUMNS)}
    compiled = result.compiled
    applicable = [p for p in range(compiled.n_items) if result.inspection.levels[n, p] != NOT_APPLICABLE]
    assert [row[col["item_id"]] for row in body] == [compiled.item_ids[p] for p in applicable]
    for row, pos in zip(body, applicable, strict=True):
        assert row[col["inspection_points"]] == pytest.approx(result.inspection.earned_items[n, pos])
        assert row[col["self_points"]] == pytest.approx(result.self_view.earned_items[n, pos])
        assert row[col["points_max"]] == pytest.approx(compiled.points[pos])
        assert row[col["finding"]] == (ctx.note(compiled.item_ids[pos]).finding or None)


def test_widths_fit_chinese_text(book):
    wb, _, _ = book
    sheet = wb["逐项评价"]
    level = sheet.column_dimensions["G"].width  # self level, e.g. `A 完全达到`
    longest = max((str(c.value) for c in sheet["G"] if c.value), key=display_width)
    assert level == pytest.approx(display_width(longest) + 2, abs=1)  # a Chinese character counts two
    assert level > len(longest) + 2
    assert sheet.column_dimensions["D"].width == pytest.approx(36, abs=1)  # long text wraps at a fixed width
    assert sheet["D2"].alignment.wrap_text


def test_gap_column_is_coloured(book):
    wb, _, _ = book
    ranges = [str(r.sqref) for r in wb["逐项评价"].conditional_formatting]
    assert any(re.fullmatch(r"L2:L\d+", r) for r in ranges)


def test_hostile_user_text_stays_text(make_ctx, weak_school, kit, framework):
    ids = [item.id for item in framework.items() if item.method != "quantitative"]
    notes = {item_id: ItemNotes(kit.HOSTILE[k % 6], kit.HOSTILE[(k + 1) % 6], None) for k, item_id in enumerate(ids)}
    data = school_report_xlsx(make_ctx(weak_school, notes=notes))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["逐项评价"]
    header = [c.value for c in sheet[1]]
    account, finding = header.index("学校自述"), header.index("督导发现")
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[account], row[finding]):
            if cell.value in kit.HOSTILE:
                assert cell.data_type == "s"
                assert cell.hyperlink is None
                seen.add(cell.value)
    assert seen == set(kit.HOSTILE)
    sheet_xml = kit.zip_part(data, "xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet_xml and "<hyperlink" not in sheet_xml
