"""Bureau follow-up: every finalized school's action plan (the core's `action_plan`), progress in the next
cycle, and the schools that failed listed for a re-check visit."""

from __future__ import annotations

from datetime import date

from appkit import goto, messages, signed_in, texts

from scoring import score_district
from scoring.followup import action_plan, findings_of
from store.records import SYSTEM, CycleStatus, Status


def test_plans_progress_and_the_re_check_list(data_dir, sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    ratings = sv.frames.ratings_frame(SYSTEM, past.id)
    result = score_district(sv.frameworks.for_cycle(SYSTEM, past.id), sv.frames.facts_frame(SYSTEM, past.id), ratings)
    finalized = [
        a.school_code for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED
    ]
    failed = [
        c
        for c in finalized
        if result.inspection.present[result.row(c)] and result.inspection.tier_index[result.row(c)] < 0
    ]
    at = goto(signed_in("bureau"), "bureau_followup.py")  # on the current cycle: plans from last year's
    assert not at.exception and not messages(at, "error")
    assert f"整改计划来自“{past.name}”" in texts(at)
    recheck, summary, plan = (d.value for d in at.dataframe)
    assert sorted(recheck["学校代码"]) == sorted(failed) and recheck["未达标原因"].str.len().min() > 0
    assert len(summary) == len(finalized)
    code = failed[0]
    at.date_input(key=f"bureau.followup.due.{past.id}").set_value(date(2026, 12, 31))
    at.selectbox(key="bureau.followup.school").set_value(code).run()
    plan = at.dataframe[2].value
    expected = action_plan(result, code, date(2026, 12, 31), findings_of(ratings, code))
    assert len(plan) == len(expected) > 0
    assert set(plan["整改期限"]) == {"2026-12-31"}
    assert set(plan["责任人"]) <= {"校长", "德育主任", "心理教师"}
    assert set(plan["是否达成"]) <= {"已达成", "未达成", "暂无数据"}  # progress in the current cycle
    row = summary.set_index("学校代码").loc[code]
    assert row["整改事项数"] == len(expected)
    assert row["已达成"] + row["未达成"] + row["暂无数据"] == len(expected)
