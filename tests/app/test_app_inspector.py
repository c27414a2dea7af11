"""Inspector pages: my schools, scoring a school (saved as it goes), the lead's consensus, return and finalize."""

from __future__ import annotations

import re

from appkit import current_cycle, goto, messages, signed_in, texts

from store.records import SYSTEM, Assessment, RaterRole, Status
from store.services import Services


def assessment(sv: Services, code: str) -> Assessment:
    cycle = current_cycle(sv)
    return sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, code).id)


def mine(sv: Services, aid: int, rater: str) -> dict[str, tuple[str, bool | None, str]]:
    return {
        r.item_id: (r.level, r.evidence_verified, r.finding)
        for r in sv.ratings.list_ratings(SYSTEM, aid)
        if r.role == RaterRole.INSPECTOR and r.rater == rater
    }


def test_my_schools_lists_the_assigned_schools_with_status_and_progress(data_dir, sv):
    at = signed_in("insp08")
    shown = texts(at)
    cycle = current_cycle(sv)
    me = sv.accounts.by_username(SYSTEM, "insp08")
    assigned = [a for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.inspector_id == me.id]
    for a in assigned:
        assert a.school_code in shown
    assert f"共 {len(assigned)} 所学校，其中 {sum(a.lead for a in assigned)} 所由您担任组长" in shown
    assert "已提交" in shown and "督导中" in shown
    progress = {p.proto.text for p in at.get("progress")}
    assert "已评 0 / 29" in progress  # CN016: submitted, not rated yet
    assert "已评 29 / 29" in progress  # finalized schools


def test_a_school_not_assigned_in_the_url_is_refused_and_nothing_is_shown(data_dir):
    at = goto(signed_in("insp08"), "inspector_rate.py", school="CN001")
    assert messages(at, "error") == ["您没有权限查看该学校。"]
    assert not [r for r in at.radio if r.key.startswith("inspector.level")]
    at = goto(at, "inspector_rate.py", school="<b>NO</b>")
    assert messages(at, "error") == ["找不到：<b>NO</b>"]
    assert not at.exception


def test_the_inspector_rates_beside_the_school_and_it_is_saved_as_it_goes(data_dir, sv):
    a = assessment(sv, "CN016")
    at = goto(signed_in("insp08"), "inspector_rate.py", school="CN016")
    school_side = [line for line in texts(at).splitlines() if line.startswith("学校自评")]
    assert school_side[0] == "学校自评: **A 完全达到**"
    at.radio(key=f"inspector.level.{a.id}.A1.1.1").set_value("B").run()
    at.radio(key=f"inspector.verified.{a.id}.A1.1.1").set_value(False).run()
    at.text_area(key=f"inspector.finding.{a.id}.A1.1.1").input("会议记录不全。").run()
    assert mine(sv, a.id, "insp08")["A1.1.1"] == ("B", False, "会议记录不全。")
    assert assessment(sv, "CN016").status == Status.UNDER_INSPECTION
    assert at.get("progress")[0].proto.text == "已评 1 / 29"


def disputed_items(sv: Services, aid: int) -> set[str]:
    votes: dict[str, set[str]] = {}
    for r in sv.ratings.list_ratings(SYSTEM, aid):
        if r.role == RaterRole.INSPECTOR:
            votes.setdefault(r.item_id, set()).add(r.level)
    return {item for item, levels in votes.items() if len(levels) > 1}


def test_the_lead_sees_disagreements_and_sets_a_consensus(data_dir, sv):
    a = assessment(sv, "CN024")
    disputed = disputed_items(sv, a.id)
    assert disputed
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    assert f"标红的 {len(disputed)} 个项目督学意见不一致" in texts(at)
    shown = {s.key for s in at.selectbox if s.key.startswith("consensus.")}
    assert shown == {f"consensus.level.{a.id}.{item}" for item in disputed}
    item = sorted(disputed)[0]
    at.selectbox(key=f"consensus.level.{a.id}.{item}").set_value("A").run()
    consensus = [
        r for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.role == RaterRole.CONSENSUS and r.item_id == item
    ]
    assert [r.level for r in consensus] == ["A"]
    at.selectbox(key=f"consensus.level.{a.id}.{item}").set_value(None).run()
    assert not [r for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.role == RaterRole.CONSENSUS and r.item_id == item]


def test_finalize_asks_for_confirmation_then_everything_is_read_only(data_dir, sv):
    a = assessment(sv, "CN024")
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    at.button(key=f"lead.finalize.{a.id}").click().run()
    assert "定稿后任何人都不能再修改" in messages(at, "warning")[0]
    at.button(key=f"lead.cancel.{a.id}").click().run()
    assert assessment(sv, "CN024").status == Status.UNDER_INSPECTION
    at.button(key=f"lead.finalize.{a.id}").click().run()
    at.button(key=f"lead.confirm.{a.id}").click().run()
    assert assessment(sv, "CN024").status == Status.FINALIZED
    assert messages(at, "success") == ["已定稿。"]
    assert "评估当前为“已定稿”，只能查看。" in messages(at, "info")
    assert not [b for b in at.button if b.key.startswith("lead.")]
    at = goto(at, "inspector_rate.py", school="CN024")
    radios = [r for r in at.radio if r.key.startswith("inspector.level")]
    assert radios and all(r.disabled for r in radios)


def test_finalize_is_refused_while_items_are_not_inspected(data_dir, sv):
    a = assessment(sv, "CN016")
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN016")
    at.button(key=f"lead.finalize.{a.id}").click().run()
    at.button(key=f"lead.confirm.{a.id}").click().run()
    (box,) = messages(at, "error")
    errors = box.split("\n\n")
    assert len(errors) == 29 and all("尚无督学评定或组长认定，不能定稿" in e for e in errors)
    assert assessment(sv, "CN016").status == Status.SUBMITTED


def test_return_for_revision_needs_a_message_and_makes_the_school_editable_again(data_dir, sv):
    a = assessment(sv, "CN024")
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    at.button(key=f"lead.return.send.{a.id}").click().run()
    assert messages(at, "error") == ["需要学校修改的内容: 退回修改时请写明需要修改的内容"]
    assert assessment(sv, "CN024").status == Status.UNDER_INSPECTION
    at.text_area(key=f"lead.note.{a.id}").input("请补充 A5 领域的佐证材料。")
    at.button(key=f"lead.return.send.{a.id}").click().run()
    assert assessment(sv, "CN024").status == Status.RETURNED
    school = goto(signed_in("cn024"), "school_walk.py")
    assert "督导组已退回修改，意见：请补充 A5 领域的佐证材料。" in messages(school, "warning")[0]
    level = next(r for r in school.radio if r.key.startswith("self.level"))
    assert not level.disabled
    stored = {r.finding for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.role != RaterRole.SELF and r.finding}
    shown = [m for m in messages(school, "warning") if "的意见：" in m]
    assert shown and all(any(f in m for f in stored) for m in shown)
    # names, not ids: the school reads the inspectors' display names, never their user names
    names = {u.username: u.display_name for u in sv.accounts.list_users(SYSTEM)}
    assert not any(re.search(r"insp\d+", m) for m in shown)
    assert any(f"督学 {names[r.rater]} 的意见" in m for m in shown for r in sv.ratings.list_ratings(SYSTEM, a.id))
