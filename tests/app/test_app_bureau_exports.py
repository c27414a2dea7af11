"""Bureau exports: every school's reports built with a progress bar; the workbook and data built on click."""

from __future__ import annotations

import io
import zipfile

from appkit import goto, messages, signed_in

from store.records import SYSTEM, CycleStatus, Status
from ui.bureau.downloads import csv_bytes


def test_every_finalized_school_s_report_in_one_zip_with_progress(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    finalized = [a for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED]
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_exports.py")
    labels = {b.label for b in at.download_button}
    assert {"下载全区汇总工作簿（Excel）", "下载基本数据（facts.csv）", "下载评分明细（ratings.csv）"} <= labels
    at.selectbox(key="bureau.exports.kind.zh").set_value("xlsx")
    at.button(key="bureau.exports.build").click().run()
    assert not at.exception and not messages(at, "error")
    assert at.get("progress")[0].proto.value == 100
    assert messages(at, "success")[0].startswith(f"已生成 {len(finalized)} 所学校的报告")
    payload = at.session_state["bureau.exports"]["zip"][2]
    names = zipfile.ZipFile(io.BytesIO(payload)).namelist()
    assert len(names) == len(finalized) and all(n.endswith(".xlsx") for n in names)
    assert any(b.label == "下载报告（zip）" for b in at.download_button)


def test_downloaded_tables_open_in_excel_with_chinese_and_no_formulas():
    import pandas as pd

    data = csv_bytes(pd.DataFrame({"学校": ["=HYPERLINK(1)", "长宁区"], "得分": [90.5, None]}))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["学校,得分", "'=HYPERLINK(1),90.5", "长宁区,"]
