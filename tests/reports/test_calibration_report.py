"""The calibration report (Excel and Word) of the hand-computed round, the master-level workbook both ways,
the certification column of the district workbook, and the second reader on the inspection report."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from criteria.loader import load_framework
from i18n.problems import InputError
from reports.calibration_report import (
    CalibrationReport,
    MasterCase,
    calibration_docx,
    calibration_xlsx,
    master_workbook,
    read_master_workbook,
)
from reports.district_frames import agreement_tables
from reports.district_xlsx import district_workbook
from reports.inspection_docx import inspection_report_docx
from scoring.calibration import compare_round


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx, body and tables, one a line."""
    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    lines += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


MINI = load_framework(Path(__file__).parents[1] / "data" / "mini.yaml")
MASTER = pd.DataFrame(
    [(1, "i1", "A"), (1, "i2", "Y"), (1, "i3", "B"), (2, "i1", "B"), (2, "i2", "N"), (2, "i3", "D")],
    columns=["case", "item", "level"],
)
RATINGS = pd.DataFrame(
    [
        ("x", 1, "i1", "A"), ("x", 1, "i2", "Y"), ("x", 1, "i3", "B"), ("x", 2, "i1", "B"), ("x", 2, "i2", "N"),
        ("x", 2, "i3", "C"), ("y", 1, "i1", "B"), ("y", 1, "i2", "N"), ("y", 1, "i3", "D"), ("y", 2, "i1", "C"),
        ("y", 2, "i2", "N"),
    ],
    columns=["rater", "case", "item", "level"],
)  # fmt: skip


def hand_computed_report() -> CalibrationReport:
    """The round of MASTER and RATINGS on the mini framework (also a document of tests/reports/docx_oracle.py)."""
    return CalibrationReport(
        round_name="春季校准",
        closed=True,
        cases=2,
        result=compare_round(MINI, MASTER, RATINGS, ["x", "y"]),
        framework=MINI,
        titles={1: "案例一", 2: "案例二"},
        names={"x": "王督学", "y": "李督学"},
        certified={"x": date(2027, 3, 1), "y": None},
    )


@pytest.fixture(scope="module")
def report() -> CalibrationReport:
    return hand_computed_report()


def test_the_workbook_shows_the_hand_computed_figures(report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(calibration_xlsx(report)))
    assert book.sheetnames == ["督学", "督学×领域", "偏离最多的项目"]
    rows = list(book["督学"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:5] == ("督学", "项目数", "已评", "完全一致 %", "相差不超过一级 %")
    assert rows[1][:5] == ("王督学", 6, 6, 83.3, 100) and rows[1][7] == "已认定（至 2027-03-01）"
    assert rows[2][:5] == ("李督学", 6, 5, 16.7, 50) and rows[2][7] == "未通过"
    domains = list(book["督学×领域"].iter_rows(min_row=3, values_only=True))
    assert domains[0][1:] == ("D1 领域一", "D2 领域二") and domains[2][1:] == (75, 0)
    missed = list(book["偏离最多的项目"].iter_rows(min_row=4, values_only=True))
    assert missed[0][:4] == ("案例二", "i3 项目三", "D", 2)  # x rated C, y left it unrated


def test_the_document_lists_agreement_and_certification(report) -> None:
    text = docx_text(calibration_docx(report))
    assert "督学校准报告" in text and "春季校准" in text
    assert "83.3" in text and "16.7" in text and "已认定（至 2027-03-01）" in text
    assert "认定规则：相差不超过一级 ≥ 80%，每个领域 ≥ 60%，有效期 365 天。" in text


def test_the_master_workbook_reads_back_and_refuses_a_wrong_sheet(tmp_path) -> None:
    data = master_workbook([MasterCase("案例一", ["primary"], MINI, {"i1": ("A", "齐全")})])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["标准等级"]
    assert [c.value for c in sheet[1]] == ["案例", "项目编号", "项目名称", "标准等级", "理由"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["i1", "i2", "i3"]  # i4 is computed
    sheet["D3"] = "Y"
    out = io.BytesIO()
    book.save(out)
    rows = read_master_workbook(out.getvalue(), file="标准.xlsx")
    assert rows[["item", "level", "reason", "row"]].to_dict("records") == [
        {"item": "i1", "level": "A", "reason": "齐全", "row": 2},
        {"item": "i2", "level": "Y", "reason": "", "row": 3},
    ]
    book["标准等级"].title = "其他"
    other = io.BytesIO()
    book.save(other)
    with pytest.raises(InputError) as error:
        read_master_workbook(other.getvalue(), file="标准.xlsx")
    assert error.value.problems[0].key == "calibration.xlsx.no_sheet"
    with pytest.raises(InputError):
        read_master_workbook(b"not a workbook", file="x.xlsx")


def test_the_district_workbook_gains_the_certification_column(result) -> None:
    tables = agreement_tables(result)
    first = str(tables.profile["rater"].iloc[0])
    data = district_workbook(result, agreement=tables, certification={first: "已认定（至 2027-03-01）"})
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["督导一致性"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "督导")
    assert header[5] == "资格认定"
    body = rows[rows.index(header) + 1 :]
    assert body[0][5] == "已认定（至 2027-03-01）" and body[1][5] == "未认定"
    plain = list(
        openpyxl.load_workbook(io.BytesIO(district_workbook(result, agreement=tables)))["督导一致性"].iter_rows(
            values_only=True
        )
    )
    assert len(next(r for r in plain if r[0] == "督导")) == 5


def test_the_inspection_report_names_the_reviewer(make_ctx, weak_school) -> None:
    text = docx_text(inspection_report_docx(make_ctx(weak_school, reviewer="赵复核")))
    assert "质量复核人（签名）：赵复核" in text
    assert "质量复核人" not in docx_text(inspection_report_docx(make_ctx(weak_school)))
