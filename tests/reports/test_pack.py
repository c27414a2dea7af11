"""The self-assessment report, the on-site feedback, the evidence index, the action plan and the pack."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date

import docx
import openpyxl

from reports.action_plan import action_plan_xlsx, actions
from reports.evidence_index import evidence_index_xlsx
from reports.feedback_docx import MAX_FAILED, feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack, pack_names
from reports.pdf import docx_to_pdf
from reports.self_docx import self_report_docx
from scoring.decision import decide
from scoring.followup import action_plan
from scoring.improvement import improvement_path
from testkit import need

PROVISIONAL = "初步结果（督导尚未最终确定，以正式督导报告为准）"


def test_self_report_shows_the_schools_own_levels_and_accounts(make_ctx, weak_school, result, kit):
    ctx = make_ctx(weak_school)
    n = result.row(weak_school)
    doc = docx.Document(io.BytesIO(self_report_docx(ctx)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert decide(result, weak_school, "self").sentence in paragraphs
    assert f"总分 {result.self_view.score_100[n]:.1f} 分" in decide(result, weak_school, "self").sentence
    assert not any("督导评估得分" in p for p in paragraphs)
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][4:5] == ["学校自述"])
    accounts = {row.cells[1].text.split(" ")[0]: row.cells[4].text for row in table.rows[1:]}
    with_account = [item_id for item_id, note in ctx.notes.items() if note.account]
    assert with_account
    for item_id in with_account:
        assert accounts[item_id] == ctx.note(item_id).account
    for n, reason in enumerate(result.reasons(weak_school, "self", first_only=True), start=1):
        assert f"{n}.{reason}" in paragraphs


def test_feedback_is_marked_provisional_and_short(make_ctx, weak_school, result):
    doc = docx.Document(io.BytesIO(feedback_docx(make_ctx(weak_school, final=False))))
    paragraphs = [p.text for p in doc.paragraphs]
    assert doc.sections[0].header.paragraphs[0].text == PROVISIONAL
    assert PROVISIONAL in paragraphs
    n = result.row(weak_school)
    assert decide(result, weak_school).sentence in paragraphs  # the decision opens the feedback
    assert any(f"总分 {result.inspection.score_100[n]:.1f} 分" in p for p in paragraphs)
    bullets = [re.sub(r"^\d+\.", "", p.text) for p in doc.paragraphs]  # numbered 1. 2. … as official lists are
    reasons = result.reasons(weak_school, "inspection", first_only=True)
    shown = [b for b in bullets if b in reasons]
    assert shown == reasons[:MAX_FAILED]
    if len(reasons) > MAX_FAILED:
        assert f"另有 {len(reasons) - MAX_FAILED} 条，详见正式督导报告" in bullets
    assert not doc.tables
    assert 'w:type="page"' not in doc.element.xml


def test_feedback_fits_two_pages(make_ctx, weak_school, tmp_path):
    """In 3号 text at 22 lines a page (GB/T 9704) the cut lists of the weakest school take two pages."""
    need(shutil.which("soffice"), "LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")
    pdf = docx_to_pdf(feedback_docx(make_ctx(weak_school, final=False)))
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 2


def test_evidence_index_lists_files_hashes_items_and_verdicts(with_evidence, weak_school):
    ctx = with_evidence(weak_school)
    book = openpyxl.load_workbook(io.BytesIO(evidence_index_xlsx(ctx)))
    files = list(book["佐证材料"].iter_rows(values_only=True))
    assert files[0] == ("文件名", "SHA-256 校验值", "大小（KB）", "支撑的项目", "核查结论")
    assert files[1] == ("发展规划.pdf", "a" * 64, 200.0, ctx.evidence[0].item_ids[0], "采信")
    assert files[2][0] == "=cmd|' /C calc'!A0.docx" and book["佐证材料"]["A3"].data_type == "s"
    assert files[2][3] == ", ".join(ctx.evidence[1].item_ids) and files[2][4] == "不足"
    by_item = {row[0]: row for row in book["按项目"].iter_rows(min_row=2, values_only=True)}
    first, second, third = ctx.evidence[0].item_ids[0], *ctx.evidence[1].item_ids
    assert by_item[first][2:] == (1, "采信")
    assert by_item[second][2:] == (1, "不足")
    assert by_item[third][2:] == (1, "不足")  # no verdict of its own: its file was judged insufficient
    others = [row for item_id, row in by_item.items() if item_id not in (first, second, third)]
    assert others and all(row[2:] == (0, "未核") for row in others)


def test_evidence_index_without_records_says_so(make_ctx, weak_school):
    book = openpyxl.load_workbook(io.BytesIO(evidence_index_xlsx(make_ctx(weak_school))))
    assert book["佐证材料"]["A2"].value == "尚无佐证材料记录"


def test_action_plan_is_the_follow_up_plan(make_ctx, weak_school, result):
    """The sheet lists scoring.followup's plan: failed vetoes first, then the improvement path's raises."""
    ctx = make_ctx(weak_school)
    n = result.row(weak_school)
    path = improvement_path(result.inspection, n)
    planned = actions(ctx, due=date(2026, 6, 30))
    findings = {item_id: note.finding for item_id, note in ctx.notes.items() if note.finding}
    assert planned == action_plan(result, weak_school, date(2026, 6, 30), findings)
    raised = {a.item_id: a.target_level for a in planned if a.kind in ("veto", "raise")}
    assert {r.item_id: r.to_level for r in path.raises}.items() <= raised.items()
    sheet = openpyxl.load_workbook(io.BytesIO(action_plan_xlsx(ctx, due=date(2026, 6, 30))))["整改计划"]
    assert sheet["A1"].value.endswith(decide(result, weak_school, "inspection", "zh").sentence)
    assert "未达标" in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[5]) for r in rows] == [
        (a.item_id or a.domain_id, a.target_level or f"{a.target_value:.1f}") for a in planned
    ]
    assert {r[10].date() for r in rows} == {date(2026, 6, 30)}
    kinds = {"veto": "否决项", "raise": "提升项目", "finding": "督导意见", "domain": "一级指标得分率", "score": "总分"}
    assert [r[0] for r in rows] == [kinds[a.kind] for a in planned]
    assert sheet.freeze_panes == "D4"
    validations = {str(dv.sqref).split(":")[0]: dv.type for dv in sheet.data_validations.dataValidation}
    assert validations == {"K4": "date", "L4": "list"}


def test_pack_holds_the_four_documents(with_evidence, weak_school, kit):
    ctx = with_evidence(weak_school)
    data = inspection_pack(ctx)
    names = pack_names(ctx, "zh")
    assert names == [
        f"1_{weak_school}_自评报告.docx",
        f"2_{weak_school}_佐证材料索引.xlsx",
        f"3_{weak_school}_督导评估报告.docx",
        f"4_{weak_school}_整改计划.xlsx",
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == names
        assert kit.docx_text(archive.read(names[2])) == kit.docx_text(inspection_report_docx(ctx))
        self_doc = docx.Document(io.BytesIO(archive.read(names[0])))
        index = openpyxl.load_workbook(io.BytesIO(archive.read(names[1])))
        plan = openpyxl.load_workbook(io.BytesIO(archive.read(names[3])))
    assert self_doc.paragraphs[3].text == "学校心理健康教育自评报告"
    assert index["佐证材料"]["B2"].value == "a" * 64
    first = actions(ctx)[0]
    assert plan["整改计划"]["B4"].value == (first.item_id or first.domain_id)
