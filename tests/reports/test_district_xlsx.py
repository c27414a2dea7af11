"""The district workbook and the zip of every school's report, read back and checked against the scores."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pytest

from reports.batch import reports_zip
from reports.district_frames import TargetRow, agreement_tables, ranks
from reports.district_xlsx import district_workbook
from scoring import score_district
from scoring.agreement import agreement, inspector_values

TARGETS = [
    TargetRow("二(1)", "专职心理教师配备率", "100%", 92.5, False),
    TargetRow("二(2)", "家长学校建校率", 100.0, 100.0, True),
    TargetRow("二(3)", "社区心理辅导覆盖率", "100%", "待填报", None),
]


@pytest.fixture(scope="module")
def workbook(result):
    data = district_workbook(
        result, cycle="2025学年", district="长宁区", agreement=agreement_tables(result), targets=TARGETS
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets(workbook):
    assert workbook.sheetnames == ["概览", "学校得分", "排名", "区目标", "督导一致性"]


def test_schools_sheet_matches_every_school(workbook, result, framework):
    rows = list(workbook["学校得分"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("排名", "学校代码", "学校名称")
    assert header[11:18] == tuple(f"{d.id} {d.title.zh} %" for d in framework.domains)
    assert [r[1] for r in body] == list(result.schools)
    i = result.inspection
    reasons = result.to_frame()["reasons"]
    for n, row in enumerate(body):
        assert (row[18] or "") == reasons.iloc[n]
        if i.present[n]:
            assert row[5] == pytest.approx(i.score_100[n])
            assert row[6] == result.tier_name(int(i.tier_index[n]))
            shown = [np.nan if v is None else v for v in row[11:18]]
            assert shown == pytest.approx(list(i.domain_pct[n]), nan_ok=True)
        else:
            assert row[0] is None and row[5] is None and row[6] == "尚无评级"


def test_schools_sheet_is_frozen_filtered_and_coloured(workbook, result):
    sheet = workbook["学校得分"]
    assert sheet.freeze_panes == "D2"
    last = len(result.schools) + 1
    assert sheet.auto_filter.ref == f"A1:S{last}"
    rules = {str(r.sqref): [rule.type for rule in r.rules] for r in sheet.conditional_formatting}
    assert rules[f"L2:R{last}"] == ["colorScale"]
    assert rules[f"F2:F{last}"] == ["dataBar"]


def test_ranking_orders_by_inspection_score(workbook, result):
    rows = list(workbook["排名"].iter_rows(min_row=2, values_only=True))
    ranked = [r for r in rows if r[0] is not None]
    assert len(ranked) == int(result.inspection.present.sum())
    scores = [r[4] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert ranked[0][0] == 1
    assert all(r[0] is None for r in rows[len(ranked) :])


def test_ranks_share_the_better_rank_on_ties():
    assert list(ranks(np.array([90.0, 95.0, 90.0, 80.0]), np.array([True, True, True, False]))) == pytest.approx(
        [2, 1, 2, np.nan], nan_ok=True
    )


def test_tier_distribution_counts_schools(workbook, result):
    rows = list(workbook["概览"].iter_rows(values_only=True))
    top = next(k for k, row in enumerate(rows) if row[:3] == ("等第", "督导", "自评"))
    i, s = result.inspection, result.self_view
    for k, name in enumerate(["未达标", *(t.name.zh for t in result.compiled.framework.tiers)]):
        assert rows[top + 1 + k][0] == name
        assert rows[top + 1 + k][1] == int((i.tier_index[i.present] == k - 1).sum())
        assert rows[top + 1 + k][2] == int((s.tier_index[s.present] == k - 1).sum())
    figures = {row[0]: row[1] for row in rows if row[0]}
    assert figures["学校数"] == len(result.schools)
    assert figures["已督导学校数"] == int(i.present.sum())
    assert figures["达标率（%，已督导学校中）"] == pytest.approx(100 * (i.tier_index[i.present] >= 0).mean())


def test_targets_rendered_as_given(workbook):
    rows = list(workbook["区目标"].iter_rows(values_only=True))
    assert rows[0] == ("方案条款", "目标", "目标值", "当前值", "是否达成")
    assert rows[1:] == [
        ("二(1)", "专职心理教师配备率", "100%", 92.5, "未达成"),
        ("二(2)", "家长学校建校率", 100, 100, "达成"),
        ("二(3)", "社区心理辅导覆盖率", "100%", "待填报", "—"),
    ]


def test_agreement_sheet_matches_the_agreement(workbook, result):
    expected = agreement(inspector_values(result))
    rows = list(workbook["督导一致性"].iter_rows(values_only=True))
    assert rows[1][:5] == (
        "全部",
        expected.units,
        expected.pairs,
        pytest.approx(expected.exact),
        pytest.approx(expected.alpha),
    )
    assert [r[0] for r in rows[2:9]] == list(result.compiled.domain_ids)


def test_without_agreement_or_targets(result):
    book = openpyxl.load_workbook(io.BytesIO(district_workbook(result, "en")))
    assert book.sheetnames == ["Overview", "Schools", "Ranking", "District targets", "Inspector agreement"]
    assert book["Inspector agreement"]["A1"].value == "No agreement figures given"
    assert book["District targets"]["A2"].value == "No district targets given"


def test_hostile_school_name_stays_text(demo, framework, kit):
    facts, ratings, _ = demo
    hostile = facts.copy()
    hostile.loc[hostile.index[0], "school_name"] = kit.HOSTILE[0]
    data = district_workbook(score_district(framework, hostile, ratings))
    cell = openpyxl.load_workbook(io.BytesIO(data))["学校得分"]["C2"]
    assert cell.value == kit.HOSTILE[0] and cell.data_type == "s"


def test_reports_zip_reports_progress(make_ctx, result):
    codes = list(result.schools[:3])
    seen: list[tuple[int, int]] = []
    data = reports_zip([make_ctx(c) for c in codes], "xlsx", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert [n.split("_")[0] for n in names] == codes
        first = openpyxl.load_workbook(io.BytesIO(archive.read(names[0])))
    scores = {row[0]: row[1] for row in first["概要"].iter_rows(values_only=True) if row[0]}
    n = result.row(codes[0])
    if result.inspection.present[n]:
        assert scores["督导得分"] == pytest.approx(result.inspection.score_100[n])


def test_stage_table_counts_each_stage(workbook, result):
    rows = list(workbook["概览"].iter_rows(values_only=True))
    top = next(k for k, row in enumerate(rows) if row[0] == "学段")
    primary = rows[top + 1]
    assert primary[0] == "小学"
    mask = result.facts["stage_primary"].to_numpy(dtype=bool) & result.inspection.present
    assert sum(primary[1:4]) == int(mask.sum())
