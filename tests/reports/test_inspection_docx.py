"""The Word inspection report read back with python-docx and checked against the scores."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from i18n.problems import InputError
from reports.docx_chart import GRID, INSPECTION_FILL, SELF_FILL, bar_cells
from reports.inspection_docx import inspection_report_docx
from reports.text import fmt_points
from scoring.compiled import NOT_APPLICABLE
from scoring.decision import decide
from scoring.improvement import improvement_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def report(make_ctx, weak_school) -> tuple[bytes, object]:
    ctx = make_ctx(weak_school)
    return inspection_report_docx(ctx), ctx


def _doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _table(doc, first_header: str, second_header: str):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == [first_header, second_header])


def test_cover_names_school_cycle_framework_team_and_dates(report, kit, framework):
    data, ctx = report
    text = kit.docx_text(data)
    for expected in (
        ctx.school_name,
        "评估周期：2025学年",
        f"评估指标：{framework.name.zh}（{framework.id} {framework.version}）",
        "督导组成员：王立群（组长）、李慧敏",
        "现场督导时间：2025年11月3日至2025年11月4日",
        "2025年11月20日",
    ):
        assert expected in text


def test_summary_states_score_tier_and_every_failed_condition(report, result):
    data, ctx = report
    n = result.row(ctx.school_code)
    doc = _doc(data)
    paragraphs = [p.text for p in doc.paragraphs]
    decision = decide(result, ctx.school_code)
    opening = paragraphs.index(decision.sentence)  # the result section opens with the decision
    assert paragraphs[opening - 1] == "一、评估结论"
    assert decision.deductions in paragraphs[opening:]
    assert f"学校自评得分 {result.self_view.score_100[n]:.1f} 分" in "\n".join(paragraphs)
    reasons = result.reasons(ctx.school_code, "inspection", first_only=True)
    assert reasons, "the chosen school must fail some condition"
    numbered = [p.text for p in doc.paragraphs]
    for n, reason in enumerate(reasons, start=1):
        assert f"{n}.{reason}" in numbered


def test_domain_table_matches_domain_scores(report, result, kit, framework):
    data, ctx = report
    n = result.row(ctx.school_code)
    table = _table(_doc(data), "领域", "适用分")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(framework.domains)
    for k, (domain, row) in enumerate(zip(framework.domains, rows, strict=True)):
        assert row[0] == f"{domain.id} {domain.title.zh}"
        assert row[1] == fmt_points(result.inspection.domain_possible[n, k])
        assert row[3] == kit.one_decimal(result.self_view.domain_pct[n, k])
        assert row[4] == fmt_points(result.inspection.domain_earned[n, k])
        assert row[5] == kit.one_decimal(result.inspection.domain_pct[n, k])


def _bar_spans(table) -> list[tuple[str, int]]:
    """Per chart row: the fill of its bar and how many 2% columns it spans (0 when there is no bar)."""
    out = []
    for tr in table._tbl.findall(f"{W}tr"):
        bar = None
        for tc in tr.findall(f"{W}tc"):
            shd = tc.find(f"{W}tcPr/{W}shd")
            if shd is not None:
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                bar = (shd.get(qn("w:fill")), int(span.get(qn("w:val"))) if span is not None else 1)
        out.append(bar or ("", 0))
    return out


def test_chart_draws_self_and_inspection_bar_per_domain(report, result, framework):
    data, ctx = report
    n = result.row(ctx.school_code)
    doc = _doc(data)
    chart = next(t for t in doc.tables if len(t._tbl.tblGrid.findall(f"{W}gridCol")) == GRID + 3)
    expected = []
    for k in range(len(framework.domains)):
        for fill, pct in (
            (SELF_FILL, result.self_view.domain_pct[n, k]),
            (INSPECTION_FILL, result.inspection.domain_pct[n, k]),
        ):
            cells = bar_cells(pct)
            expected.append((fill if cells else "", cells))
    assert _bar_spans(chart) == expected
    values = [row.cells[-1].text for row in chart.rows]
    assert values[1] == f"{result.inspection.domain_pct[n, 0]:.1f}%"
    assert any(cells < GRID for _, cells in expected), "a weak school has a bar shorter than 100%"


def test_item_table_lists_every_applicable_item_in_both_views(report, result, framework):
    data, ctx = report
    n = result.row(ctx.school_code)
    table = _table(_doc(data), "方案条款", "评价项目")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    items = [row for row in rows if len(set(row)) > 1]  # domain rows are one merged cell
    compiled = result.compiled
    applicable = [p for p in range(compiled.n_items) if result.inspection.levels[n, p] != NOT_APPLICABLE]
    assert [row[1].split(" ")[0] for row in items] == [compiled.item_ids[p] for p in applicable]
    for row, pos in zip(items, applicable, strict=True):
        item = framework.items()[pos]
        assert row[0] == item.clause.replace("、", "\n")  # one clause a line: none broken over two
        code = int(result.inspection.levels[n, pos])
        if code >= 0:
            assert row[3] == f"{item.levels[code].id}\n{item.levels[code].label.zh}"
        earned, possible = result.inspection.earned_items[n, pos], result.inspection.possible_items[n, pos]
        assert row[4] == f"{fmt_points(earned)}/{fmt_points(possible)}"
        assert row[6] == ctx.note(item.id).finding
    assert sum(1 for row in rows if len(set(row)) == 1) == len(framework.domains)


def test_recommendations_follow_the_improvement_path(report, result):
    data, ctx = report
    n = result.row(ctx.school_code)
    path = improvement_path(result.inspection, n)
    assert path is not None and path.raises
    paragraphs = [p.text for p in _doc(data).paragraphs]
    start = paragraphs.index("五、改进建议")
    bullets = [re.sub(r"^\d+\.", "", p) for p in paragraphs[start + 1 :]]
    assert any(f"最少需提升 {path.steps} 个等级" in b for b in bullets)
    for r in path.raises:
        item = result.compiled.framework.item(r.item_id)
        step = f"（{r.from_level} → {r.to_level}，" if r.from_level else f"（尚未评定，达到 {r.to_level} "
        line = next(b for b in bullets if b.startswith(f"{r.item_id} ") and step in b)
        level = next(lv for lv in item.levels if lv.id == r.to_level)
        assert line.endswith((level.action or item.action).zh)  # what to do, never a level's descriptor
    assert not any("要求：" in b or "未评 →" in b for b in bullets)


def test_east_asian_fonts_on_defaults_styles_and_every_run(report):
    data, _ = report
    doc = _doc(data)
    styles = doc.styles.element
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.get(qn("w:eastAsiaTheme")) is None
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for name, font in (("Title", "方正小标宋简体"), ("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    body = doc.element.body
    runs = body.iter(f"{W}r")
    missing = [r for r in runs if r.find(f"{W}rPr/{W}rFonts") is None]
    assert not missing
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings
    for paragraph in headings:
        for run in paragraph.runs:
            assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_page_numbers_in_the_body_footers_none_on_the_cover(report):
    data, _ = report
    cover, body = _doc(data).sections
    assert not list(cover.footer._element.iter(f"{W}instrText"))
    for footer in (body.footer, body.even_page_footer):
        fields = [el.text.strip() for el in footer._element.iter(f"{W}instrText")]
        assert fields == ["PAGE"]
        assert "".join(t.text or "" for t in footer._element.iter(f"{W}t")) == "— 1 —"


def test_signature_block_names_the_lead_and_the_issuing_office(report):
    data, _ = report
    paragraphs = [p.text for p in _doc(data).paragraphs]
    assert any(re.fullmatch(r"督导组组长（签名）：王立群\u3000+", p) for p in paragraphs)
    assert paragraphs[-2:] == ["长宁区人民政府教育督导室", "2025年11月20日"]


def test_provisional_report_says_so_on_every_page(make_ctx, weak_school):
    header = "初步结果（督导尚未最终确定，以正式督导报告为准）"
    draft = _doc(inspection_report_docx(make_ctx(weak_school, final=False)))
    final = _doc(inspection_report_docx(make_ctx(weak_school)))
    for section in draft.sections:
        assert section.header.paragraphs[0].text == header
        assert section.even_page_header.paragraphs[0].text == header
    assert final.sections[1].header.paragraphs[0].text == ""


def test_english_report(make_ctx, weak_school, result):
    data = inspection_report_docx(make_ctx(weak_school), "en")
    n = result.row(weak_school)
    paragraphs = [p.text for p in _doc(data).paragraphs]
    assert decide(result, weak_school, "inspection", "en").sentence in paragraphs
    assert f"Score {result.inspection.score_100[n]:.1f}, below the pass mark of 75" in "\n".join(paragraphs)
    for n, reason in enumerate(result.reasons(weak_school, "inspection", "en", first_only=True), start=1):
        assert f"{n}) {reason}" in paragraphs


def test_school_without_inspection_gets_no_report(make_ctx, result):
    absent = [code for code in result.schools if not result.inspection.present[result.row(code)]]
    assert absent, "the demo has a school not inspected yet"
    with pytest.raises(InputError) as refused:
        inspection_report_docx(make_ctx(absent[0]))
    assert "尚未督导" in refused.value.render("zh")
