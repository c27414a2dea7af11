"""The documents of the three schools the issue names: the decision opens them, advice says what to do,
and an on-site override is shown as such with its reason."""

from __future__ import annotations

import io

import docx
import pandas as pd

from reports.content import build_report
from reports.context import ReportContext
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.self_docx import self_report_docx
from scoring import render_explain, score_district
from scoring.decision import decide
from scoring.explain import explain

REASON = "辅导室设于图书馆内独立隔间，现场核查面积 42 平方米，三个功能区齐全"


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def opening(lines: list[str], heading: str) -> str:
    """The first paragraph after the result heading."""
    return lines[lines.index(heading) + 1]


def test_every_document_opens_with_the_decision(make_ctx, result):
    for code in ("CN031", "CN038", "CN036"):
        ctx = make_ctx(code)
        sentence = decide(result, code).sentence
        assert opening(paragraphs(inspection_report_docx(ctx)), "一、评估结论") == sentence
        lines = paragraphs(feedback_docx(ctx))
        assert sentence in lines
        assert opening(paragraphs(self_report_docx(ctx)), "一、评估结论") == decide(result, code, "self").sentence
    cn038 = decide(result, "CN038").sentence
    assert cn038.startswith("总分达到达标线（") and cn038.endswith(
        "但因“A2.1.1 心理辅导室”未达要求（须达 C 级，实为 D 级）一票否决，未达标。"
    )


def test_advice_says_what_to_do_and_never_a_failing_descriptor(make_ctx, result, framework):
    descriptors = {lv.descriptor.zh for i in framework.items() for lv in i.levels[1:] if lv.descriptor}
    for code in ("CN038", "CN036", "CN004"):
        rep = build_report(make_ctx(code))
        for line in rep.recommendations[1:]:
            assert not any(d in line for d in descriptors), line
            assert "要求：" not in line and "未评 →" not in line
    rep = build_report(make_ctx("CN036"))
    course = next(line for line in rep.recommendations if line.startswith("A4.1.1 "))
    assert "（D → A，" in course and course.endswith(framework.item("A4.1.1").action.zh)
    parents = next(line for line in rep.recommendations if line.startswith("A6.1.1 "))
    assert "（D → C，" in parents and parents.endswith("建立家长学校，每学年至少开展1次活动。")  # its own


def test_an_override_is_shown_as_such_with_its_reason(demo, make_ctx, framework):
    facts, ratings, _ = demo
    overrides = pd.DataFrame(
        [("CN038", "A2.1.1", "C", REASON, "王立群")], columns=["school_code", "item_id", "level", "reason", "by"]
    )
    result = score_district(framework, facts, ratings, overrides=overrides)
    ctx = ReportContext(result, "CN038", "2025学年", **{k: getattr(make_ctx("CN038"), k) for k in ("team", "notes")})
    rep = build_report(ctx)
    row = next(r for r in rep.items if r.item_id == "A2.1.1")
    assert row.insp_level.startswith("C ") and row.insp_level.endswith("（现场改定）")
    assert f"现场改定（按数据为 D）：{REASON}" in row.votes
    assert row.finding.startswith(f"现场改定（按数据为 D）：{REASON}")  # the finding column of every document
    assert rep.inspection.decision.passed  # the room found on site lifts the veto
    text = render_explain(explain(result, "CN038"))
    assert f"督导组现场改定为 C（按基本数据计算为 D），理由：{REASON}（王立群）" in text
    table = "\n".join(c.text for t in docx.Document(io.BytesIO(inspection_report_docx(ctx))).tables for c in t._cells)
    assert REASON in table


def test_the_inspection_workbook_and_the_action_plan_open_with_the_decision(make_ctx, result):
    import openpyxl

    from reports.action_plan import action_plan_xlsx
    from reports.school_xlsx import school_report_xlsx

    ctx = make_ctx("CN038")
    sentence = decide(result, "CN038").sentence
    summary = openpyxl.load_workbook(io.BytesIO(school_report_xlsx(ctx))).worksheets[0]
    first = next(row for row in summary.iter_rows(min_row=2, values_only=True) if row[0])
    assert first[:2] == ("评估结论", sentence)
    plan = openpyxl.load_workbook(io.BytesIO(action_plan_xlsx(ctx))).worksheets[0]
    assert plan["A1"].value == f"{ctx.school_name}：{sentence}"
