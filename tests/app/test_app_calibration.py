"""Calibration and quality review pages under AppTest, on the demo district (a real SQLite file).

The bureau builds a case from a finalized school and sets its master levels in the page, starts a round
and closes it; an inspector rates blind in the visit's level widgets and sees results only after the
close; the consistency page says what alpha means; a lead proposes a result and the reviewer sends it
back with a note per item.
"""

from __future__ import annotations

from appkit import current_cycle, goto, messages, signed_in, texts

from store.records import SYSTEM, Role, Status


def finalized_past(sv):
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status != "open")
    return next(a for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED)


def inspector_id(sv, name: str) -> int:
    return next(u.id for u in sv.accounts.list_users(SYSTEM, role=Role.INSPECTOR) if u.username == name)


def test_the_bureau_builds_a_case_sets_master_levels_and_runs_a_round(data_dir, sv):
    source = finalized_past(sv)
    at = goto(signed_in("bureau"), "bureau_calibration.py")
    assert not at.exception, at.exception
    at.selectbox(key="cal.src").set_value(source.id)
    at.text_input(key="cal.src_title").input("案例甲")
    at.button(key="cal.src_build").click().run()
    assert not at.exception and "已制作案例“案例甲”" in texts(at), messages(at, "error")
    case = sv.calibration.cases(SYSTEM)[0]
    assert source.school_name not in repr(case) and source.school_code not in repr(case)
    fw = sv.frameworks.get(SYSTEM, case.framework_version_id)
    items = [i for i in fw.items() if i.method != "quantitative" and set(case.stages) & {s.value for s in i.applies_to}]
    for item in items:
        at.selectbox(key=f"cal.m.{case.id}.{item.id}").set_value(item.levels[0].id)
    at.text_input(key=f"cal.r.{case.id}.{items[0].id}").input("材料齐全，做法规范")
    at.button(key=f"cal.master_save.{case.id}").click().run()
    assert not messages(at, "error"), messages(at, "error")
    stored = sv.calibration.case(SYSTEM, case.id)
    assert len(stored.master) == len(items) and stored.master[items[0].id].reason == "材料齐全，做法规范"
    at.text_input(key="cal.round_name").input("开学前校准")
    at.multiselect(key="cal.round_cases").set_value([case.id])
    at.multiselect(key="cal.round_people").set_value(["insp01", "insp02", "insp03"])
    at.button(key="cal.round_create").click().run()
    assert not messages(at, "error"), messages(at, "error")
    rnd = sv.calibration.rounds(SYSTEM)[0]
    assert rnd.inspectors == ("insp01", "insp02", "insp03") and not rnd.closed

    insp = goto(signed_in("insp01"), "inspector_calibration.py")
    assert not insp.exception, insp.exception
    assert "看不到其他督学的评定" in texts(insp)
    domain = next(
        d for d in fw.domains if any(i.id in {x.id for x in items} for ind in d.indicators for i in ind.items)
    )
    insp.selectbox(key=f"calibrate.domain.{case.id}").set_value(domain.id).run()
    first = next(i for ind in domain.indicators for i in ind.items if i.id in {x.id for x in items})
    insp.radio(key=f"calibrate.level.{rnd.id}.{case.id}.{first.id}").set_value(first.levels[0].id).run()
    assert not messages(insp, "error"), messages(insp, "error")
    mine = sv.calibration.my_ratings(sv.accounts.by_username(SYSTEM, "insp01"), rnd.id)
    assert [(r.item_id, r.level) for r in mine] == [(first.id, first.levels[0].id)]
    assert "材料齐全，做法规范" not in texts(insp)  # no master reasoning while the round is open

    at.selectbox(key="cal.close_pick").set_value(rnd.id)
    at.button(key="cal.close").click().run()
    assert sv.calibration.get_round(SYSTEM, rnd.id).closed
    at.selectbox(key="cal.results_pick").set_value(rnd.id).run()
    at.button(key="cal.certify").click().run()
    assert "已认定：0 人通过，3 人未通过" in texts(at)  # one item of many rated: nobody reaches 80 %

    insp = goto(signed_in("insp01"), "inspector_calibration.py")
    assert "我的校准结果" in texts(insp)
    reasons = insp.dataframe[0].value
    assert "材料齐全，做法规范" in set(reasons["理由"]) and set(reasons["案例"]) == {"案例甲"}


def test_the_consistency_page_says_what_alpha_means(data_dir, sv):
    at = signed_in("bureau")
    past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status != "open")
    at.selectbox(key="app.cycle_widget").set_value(past.id).run()
    at = goto(at, "bureau_consistency.py")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "一致性水平" in shown and "0.800" in shown
    assert any(w in shown for w in ("可靠（α ≥ 0.800）", "仅供参考（0.667 ≤ α < 0.800）", "不可靠（α < 0.667）"))
    assert "建议参加校准的督学" in shown


def test_a_lead_proposes_and_the_reviewer_sends_back_with_a_note(data_dir, sv):
    cycle = current_cycle(sv)
    sv.quality.set_cycle_settings(SYSTEM, cycle.id, require_review=True, refuse_uncertified_lead=False)
    led = [a for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.lead]
    under = {
        a.school_id for a in sv.assessments.list_assessments(SYSTEM, cycle.id) if a.status == Status.UNDER_INSPECTION
    }
    mine = next(a for a in led if a.school_id in under)
    other = next(a for a in led if a.inspector != mine.inspector and a.school_id != mine.school_id)
    team = {a.inspector for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.school_id == mine.school_id}
    assert other.inspector not in team
    code = mine.school_code
    lead = goto(signed_in(mine.inspector), "inspector_lead.py", school=code)
    assert not lead.exception, lead.exception
    assert "结论复核" in texts(lead)
    aid = sv.assessments.find(SYSTEM, cycle.id, mine.school_id).id
    lead.selectbox(key=f"lead.reviewer.{aid}").set_value(inspector_id(sv, other.inspector))
    lead.button(key=f"lead.propose.{aid}").click().run()
    assert not messages(lead, "error"), messages(lead, "error")
    review = sv.quality.review_of(SYSTEM, aid)
    assert review is not None and review.status == "pending" and review.reviewer == other.inspector

    reader = goto(signed_in(other.inspector), "quality_review.py")
    assert not reader.exception, reader.exception
    table = reader.dataframe[0].value
    assert "材料核验" in table.columns and "各督学评定" in table.columns
    levels = table["各督学评定"].astype(str)
    assert levels.str.len().sum() > 0 and not levels.str.contains("insp0").any()  # inspectors by name
    fw = sv.frameworks.for_cycle(SYSTEM, cycle.id)
    item = next(i for i in fw.items() if i.method != "quantitative")
    reader.text_input(key=f"review.note.{aid}.{item.id}").input("请补充访谈记录")
    reader.button(key=f"review.back.{aid}").click().run()
    assert not messages(reader, "error"), messages(reader, "error")
    assert sv.quality.review_of(SYSTEM, aid).notes == {item.id: "请补充访谈记录"}
    lead = goto(signed_in(mine.inspector), "inspector_lead.py", school=code)
    assert "请补充访谈记录" in texts(lead)


def test_the_assignments_show_certification_and_warn_of_uncertified_leads(data_dir, sv):
    cycle = current_cycle(sv)
    at = goto(signed_in("bureau"), "bureau_cycles.py")
    assert not at.exception, at.exception
    warned = [m for m in messages(at, "warning") if "以下组长没有有效的资格认定" in m]
    assert warned, messages(at, "warning")  # nobody in the demo is certified yet
    table = next(d.value for d in at.dataframe if "资格认定" in d.value.columns)
    assert set(table["资格认定"]) == {"未认定"}
    leads = {a.inspector for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.lead}
    assert leads and all(f"({name})" in warned[0] for name in leads)
