"""Bureau cycles: the status board, reminders, never assessed, bulk assignments (form and CSV), new cycles."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from appkit import current_cycle, goto, messages, signed_in, texts

from store.records import SYSTEM, Status


def cycles_page(sv):
    at = goto(signed_in("bureau"), "bureau_cycles.py")
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_board_counts_every_state_and_the_overdue_schools(data_dir, sv):
    cycle = current_cycle(sv)
    sv.cycles.update(SYSTEM, cycle.id, self_deadline=date.today() - timedelta(days=1))
    assessments = sv.assessments.list_assessments(SYSTEM, cycle.id)
    counts = Counter(a.status for a in assessments)
    at = cycles_page(sv)
    shown = metrics(at)
    assert shown["草稿"] == str(counts[Status.DRAFT] - int(shown["未开始"]))
    assert shown["已提交"] == str(counts[Status.SUBMITTED])
    assert shown["督导中"] == str(counts[Status.UNDER_INSPECTION])
    assert shown["已逾期"] == str(counts[Status.DRAFT] + counts[Status.RETURNED])  # past the self deadline
    board = at.dataframe[0].value
    assert len(board) == len(assessments)
    assert set(board.loc[board["逾期"] == "是", "进度"]) <= {"未开始", "草稿", "已退回修改"}


def test_the_reminders_say_what_each_school_and_inspector_still_owes(data_dir, sv):
    cycle = current_cycle(sv)
    assessments = sv.assessments.list_assessments(SYSTEM, cycle.id)
    at = cycles_page(sv)
    schools = next(d.value for d in at.dataframe if "待完成" in d.value.columns and "督学" not in d.value.columns)
    editable = [a.school_code for a in assessments if a.status in (Status.DRAFT, Status.RETURNED)]
    assert sorted(schools["学校代码"]) == sorted(editable)
    assert schools["待完成"].str.startswith("提交自评：尚缺").all()
    inspectors = next(d.value for d in at.dataframe if "督学" in d.value.columns and "待完成" in d.value.columns)
    in_inspection = {a.school_code for a in assessments if a.status in (Status.SUBMITTED, Status.UNDER_INSPECTION)}
    assert set(inspectors["学校代码"]) == in_inspection
    leads = inspectors[inspectors["角色"] == "组长"]
    assert len(leads) == len(in_inspection) and leads["待完成"].str.contains("组长：").all()


def test_a_new_school_is_never_assessed_until_added_to_the_cycle(data_dir, sv):
    school = sv.schools.save(SYSTEM, "CN999", "新开办学校", ["primary"], street="天山路街道", ownership="public")
    at = cycles_page(sv)
    never = next(d.value for d in at.dataframe if "参加过的周期数" in d.value.columns)
    row = never[never["学校代码"] == "CN999"].iloc[0]
    assert row["本周期"] == "未纳入本周期" and row["参加过的周期数"] == 0
    at.button(key="bureau.never.add").click().run()
    assert messages(at, "success") == ["已把 1 所学校加入本周期。"]
    assert sv.assessments.find(SYSTEM, current_cycle(sv).id, school.id).status == Status.DRAFT


def test_bulk_assignment_from_the_form_assigns_every_school_of_a_street(data_dir, sv):
    cycle = current_cycle(sv)
    at = cycles_page(sv)
    at.button(key="bureau.assign.send").click().run()
    assert messages(at, "error") == ["请至少选择一所学校或一个街道（镇）\n\n请至少选择一位督学"]
    facts = sv.frames.facts_frame(SYSTEM, cycle.id)
    street = facts["street"].iloc[0]
    at.multiselect(key="bureau.assign.streets").set_value([street])
    at.multiselect(key="bureau.assign.inspectors").set_value(["insp08"])
    at.selectbox(key="bureau.assign.lead").set_value("insp08")
    at.button(key="bureau.assign.send").click().run()
    assert not messages(at, "error"), messages(at, "error")
    codes = set(facts.index[facts["street"] == street])
    leads = {a.school_code: a.inspector for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.lead}
    assert {c: leads[c] for c in codes} == dict.fromkeys(codes, "insp08")


def test_an_assignment_csv_with_unknown_schools_or_inspectors_imports_nothing_and_lists_the_bad_rows(data_dir, sv):
    cycle = current_cycle(sv)
    before = sv.cycles.assignments(SYSTEM, cycle.id)
    at = cycles_page(sv)
    bad = "school_code,inspector,lead\nCN001,insp08,0\nCN404,insp08,0\nCN002,nobody,1\n".encode("utf-8-sig")
    at.file_uploader(key="bureau.assign.csv.0").set_value(("assign.csv", bad, "text/csv"))
    at.button(key="bureau.assign.import").click().run()
    errors = messages(at, "error")
    assert len(errors) == 1
    assert "assign.csv 第 3 行 “school_code”列: 没有学校代码为 CN404 的学校" in errors[0]
    assert "assign.csv 第 4 行 “inspector”列: nobody 不是有效的督学账户" in errors[0]
    assert sv.cycles.assignments(SYSTEM, cycle.id) == before
    good = b"school_code,inspector,lead\nCN001,insp08,0\nCN002,insp08,1\n"
    at.file_uploader(key="bureau.assign.csv.0").set_value(("assign.csv", good, "text/csv"))
    at.button(key="bureau.assign.import").click().run()
    assert messages(at, "success") == ["已处理 2 条分配：新增 2 条，更改 0 条。"]
    after = {(a.school_code, a.inspector): a.lead for a in sv.cycles.assignments(SYSTEM, cycle.id)}
    assert after[("CN001", "insp08")] is False and after[("CN002", "insp08")] is True


def test_a_new_cycle_needs_a_name_and_then_becomes_the_one_shown(data_dir, sv):
    at = cycles_page(sv)
    n = len(sv.cycles.list_cycles(SYSTEM))
    at.button(key="bureau.new.send").click().run()
    assert messages(at, "error") and len(sv.cycles.list_cycles(SYSTEM)) == n
    at.text_input(key="bureau.new.name").input("2027学年评估")
    at.text_input(key="bureau.new.year").input("2027-2028")
    at.date_input(key="bureau.new.self").set_value(date(2027, 12, 1))
    at.button(key="bureau.new.send").click().run()
    assert "已新建周期“2027学年评估”，现在显示的是这个周期。" in messages(at, "success")
    new = sv.cycles.by_name(SYSTEM, "2027学年评估")
    assert new.self_deadline == date(2027, 12, 1) and new.framework_version_id == current_cycle(sv).framework_version_id
    assert "2027学年评估 · 2027-2028 学年 · 进行中" in texts(at)
    assert len(sv.assessments.list_assessments(SYSTEM, new.id)) == 40


def test_the_bureau_enters_the_visit_of_a_school(data_dir, sv):
    cycle = current_cycle(sv)
    school = sv.schools.by_code(SYSTEM, "CN005")
    a = sv.assessments.find(SYSTEM, cycle.id, school.id)
    at = cycles_page(sv)
    at.selectbox(key="bureau.visit.school").set_value(a.id).run()
    at.date_input(key=f"visit.first.{a.id}").set_value(date(2025, 11, 3))
    at.text_area(key=f"visit.team.{a.id}").input("王立群\n校外专家 李慧敏")
    at.button(key=f"visit.save.{a.id}").click().run()
    assert not at.exception
    visit = sv.visits.get(SYSTEM, a.id)
    assert visit.first_day == date(2025, 11, 3) and [m.name for m in visit.team] == ["王立群", "校外专家 李慧敏"]
    entries = sv.audit.entries(SYSTEM, action_prefix="visit")
    assert [e.actor for e in entries] == ["bureau"]
