"""Bureau exports: every school's reports built as a background job with a progress bar; workbook and data on click.

Issue 13 made the zip a job: the button starts it (a thread of the app, no broker here), the page lists it
with the worker's progress and, once done, a download read from the storage.
"""

from __future__ import annotations

import io
import time
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
    at.button(key="bureau.exports.build").click().run()  # pressed twice: still one job
    (job,) = sv.jobs.list_jobs(SYSTEM, cycle_id=past.id, kind="reports_zip")
    for _ in range(300):
        if sv.jobs.get(SYSTEM, job.id).finished:
            break
        time.sleep(0.1)
    at.run()
    job = sv.jobs.get(SYSTEM, job.id)
    assert (job.state, job.done, job.total) == ("done", len(finalized), len(finalized))
    assert any(b.label.startswith("下载（") for b in at.download_button)
    names = zipfile.ZipFile(io.BytesIO(b"".join(sv.jobs.result(SYSTEM, job.id)[1]))).namelist()
    assert len(names) == len(finalized) and all(n.endswith(".xlsx") for n in names)


def test_downloaded_tables_open_in_excel_with_chinese_and_no_formulas():
    import pandas as pd

    data = csv_bytes(pd.DataFrame({"学校": ["=HYPERLINK(1)", "长宁区"], "得分": [90.5, None]}))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["学校,得分", "'=HYPERLINK(1),90.5", "长宁区,"]


def test_the_page_shows_the_worker_s_progress_and_a_failure_in_the_reader_s_language(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    running, _ = sv.jobs.start(SYSTEM, "reports_zip", {"cycle_id": past.id, "kind": "docx"}, cycle_id=past.id)
    assert sv.jobs.claim(running.id, "a worker elsewhere", 3600, 3) is not None
    sv.jobs.report(running.id, "a worker elsewhere", 10, 40)  # what a worker on another machine reports
    failed, _ = sv.jobs.start(SYSTEM, "rescore", {"cycle_id": past.id, "version_id": 999}, cycle_id=past.id)
    assert sv.jobs.claim(failed.id, "w", 3600, 3) is not None
    from store.errors import NotFound

    sv.jobs.fail(failed.id, "w", NotFound(what="framework version 999"))
    at = signed_in("bureau")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_exports.py")
    assert not at.exception
    (bar,) = at.get("progress")
    assert bar.proto.value == 25 and "10 / 40" in bar.proto.text
    assert any("未能完成" in e.value and "找不到：framework version 999" in e.value for e in at.error)
    sv.jobs.report(running.id, "a worker elsewhere", 30, 40)
    at.run()  # a reload (or the fragment's next tick) reads the new progress
    assert at.get("progress")[0].proto.value == 75
    at.radio(key="app.lang_widget").set_value("en").run()
    assert any("not found: framework version 999" in e.value.replace("\\", "") for e in at.error)  # Markdown-escaped


def test_a_ratings_csv_is_imported_in_the_background_and_a_bad_one_says_which_rows(data_dir, sv, tmp_path):
    current = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    sv.exports.cycle_csv(SYSTEM, current.id, tmp_path, overwrite=True)
    good = (tmp_path / "ratings.csv").read_bytes()
    bad = b"school_code,item_id,role,rater,level\nCN001,no-such-item,self,,A\n"
    at = signed_in("bureau")
    at = goto(at, "bureau_exports.py")
    at.file_uploader(key="bureau.exports.import_file").set_value(("评分.csv", bad, "text/csv"))
    at.run()
    at.button(key="bureau.exports.import").click().run()
    assert not at.exception

    def finished(kind="import_ratings"):
        for _ in range(300):
            jobs = [j for j in sv.jobs.list_jobs(SYSTEM, kind=kind) if j.finished]
            if jobs:
                return jobs[0]
            time.sleep(0.1)
        raise AssertionError("no finished import")

    failed = finished()
    assert failed.state == "failed"
    at.run()
    shown = [e.value.replace("\\", "") for e in at.error]  # Markdown-escaped on the page
    assert any("评分.csv 第 2 行 “item_id”列: 框架中没有评价项目 no-such-item" in e for e in shown), shown
    at.file_uploader(key="bureau.exports.import_file").set_value(("ratings.csv", good, "text/csv"))
    at.run()
    at.button(key="bureau.exports.import").click().run()
    for _ in range(300):
        done = sv.jobs.list_jobs(SYSTEM, kind="import_ratings")[0]
        if done.finished and done.id != failed.id:
            break
        time.sleep(0.1)
    assert done.state == "done" and done.total == good.count(b"\n") - 1
    at.run()
    assert any(b.label.startswith("下载（") for b in at.download_button)
