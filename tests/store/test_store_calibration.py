"""Calibration and the second reader through the service layer, on SQLite and PostgreSQL.

Cases without the school's identity; blind rounds; results only one's own and only after closing;
master levels hidden until then; certification by the bureau's rule; refusing uncertified leads; the
quality review (send back with notes, confirm, finalize) with every step audited.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from storekit import World, snapshot

from i18n.problems import InputError
from scoring.calibration import CertificationRule
from store.errors import InvalidState, PermissionDenied
from store.records import SYSTEM, RaterRole, RatingEdit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def finalized_a(w: World) -> None:
    """A with accounts and a file that name the school, its code and street, then finalized."""
    me = w.users["school_a"]
    w.fill_a()
    w.sv.ratings.save(
        me,
        w.assessment_a,
        RaterRole.SELF,
        [RatingEdit("i1", "A", "甲小学(A001)在华阳路街道开设课程", expected_version=1)],
    )
    w.sv.evidence.upload(me, w.assessment_a, "i1", "甲小学课表.png", PNG)
    w.sv.assessments.submit(me, w.assessment_a, w.version_a())
    w.inspect_a()
    w.sv.assessments.finalize(w.users["lead"], w.assessment_a, w.version_a())


def case_with_master(w: World, title: str = "案例一", levels: dict[str, str] | None = None) -> int:
    case = w.sv.calibration.case_from_scratch(
        SYSTEM, title, w.version_id, ["primary"], items={"i1": ("A", "课程齐全"), "i3": ("B", "基本做到")}
    )
    levels = levels or {"i1": "A", "i2": "Y", "i3": "B"}
    w.sv.calibration.set_master(SYSTEM, case.id, {i: (lv, f"理由{i}") for i, lv in levels.items()})
    return case.id


def test_a_case_from_a_finalized_school_shows_no_name_code_or_street(world: World) -> None:
    finalized_a(world)
    sv = world.sv
    case = sv.calibration.case_from_assessment(world.users["bureau"], world.assessment_a, "案例甲")
    shown = repr(case)
    for word in ("甲小学", "A001", "华阳路街道", "a001"):
        assert word not in shown, word
    assert case.items["i1"].level == "A" and "开设课程" in case.items["i1"].account
    assert [f.filename for f in case.evidence] == ["材料1_i1.png"]
    assert case.facts["students"] == 500 and case.stages == ("primary",)
    with pytest.raises(InvalidState):
        sv.calibration.case_from_assessment(SYSTEM, world.assessment_b, "未定稿")
    sv.calibration.set_master(SYSTEM, case.id, {"i1": ("A", "齐全"), "i2": ("Y", ""), "i3": ("B", "")})
    rnd = sv.calibration.create_round(SYSTEM, world.cycle_id, "第一轮", [case.id], [world.users["inspector"].id])
    info, data = sv.calibration.case_file(world.users["inspector"], case.id, 1)
    assert data == PNG and info.filename == "材料1_i1.png"
    seen = sv.calibration.case(world.users["inspector"], case.id)
    assert seen.master == {} and seen.master_hidden and not seen.from_school
    with pytest.raises(PermissionDenied):
        sv.calibration.case(world.users["other_inspector"], case.id)
    assert rnd.inspectors == ("inspector",)


def test_a_round_is_rated_blind_and_results_come_after_closing(world: World) -> None:
    sv, me, other = world.sv, world.users["inspector"], world.users["other_inspector"]
    c1 = case_with_master(world, "案例一")
    c2 = case_with_master(world, "案例二", {"i1": "B", "i2": "N", "i3": "D"})
    invited = [me.id, other.id, world.users["lead"].id]
    rnd = sv.calibration.create_round(world.users["bureau"], world.cycle_id, "春季校准", [c1, c2], invited)
    x = {(c1, "i1"): "A", (c1, "i2"): "Y", (c1, "i3"): "B", (c2, "i1"): "B", (c2, "i2"): "N", (c2, "i3"): "C"}
    y = {(c1, "i1"): "B", (c1, "i2"): "N", (c1, "i3"): "D", (c2, "i1"): "C", (c2, "i2"): "N"}
    for who, given in ((me, x), (other, y)):
        for (case_id, item), level in given.items():
            sv.calibration.save_rating(who, rnd.id, case_id, item, level, finding="见材料")
    assert {r.inspector for r in sv.calibration.my_ratings(me, rnd.id)} == {"inspector"}
    assert len(sv.calibration.my_ratings(other, rnd.id)) == 5
    with pytest.raises(InvalidState):
        sv.calibration.results(me, rnd.id)
    with pytest.raises(PermissionDenied):
        sv.calibration.all_ratings(me, rnd.id)
    assert sv.calibration.case(me, c1).master == {}
    with pytest.raises(InputError):
        sv.calibration.save_rating(me, rnd.id, c1, "i1", "Z")
    with pytest.raises(InputError):
        sv.calibration.set_master(SYSTEM, c1, {"i4": ("A", "")})

    whole = sv.calibration.results(world.users["bureau"], rnd.id)
    by = whole.result.by_rater().set_index("rater")
    assert by.loc["inspector", "exact"] == pytest.approx(5 / 6) and by.loc["inspector", "adjacent"] == 1.0
    assert by.loc["other", "adjacent"] == pytest.approx(0.5) and by.loc["lead", "rated"] == 0
    sv.calibration.close_round(world.users["bureau"], rnd.id)
    with pytest.raises(InvalidState):
        sv.calibration.save_rating(me, rnd.id, c1, "i1", "B")
    with pytest.raises(InvalidState):
        sv.calibration.set_master(SYSTEM, c1, {"i1": ("B", "改")})
    mine = sv.calibration.results(me, rnd.id)
    assert set(mine.result.pairs["rater"]) == {"inspector"} and mine.result.raters == ("inspector",)
    assert sv.calibration.case(me, c1).master["i1"].reason == "理由i1"

    certs = sv.calibration.certify(world.users["bureau"], rnd.id)
    passed = {c.inspector: c.certified for c in certs}
    assert passed == {"inspector": True, "other": False, "lead": False}
    held = sv.calibration.certifications(world.users["bureau"])
    today = date.today()
    assert held["inspector"].valid_on(today) and held["inspector"].valid_until >= today + timedelta(days=364)
    assert not held["other"].valid_on(today)
    assert set(sv.calibration.certifications(other)) == {"other"}
    actions = [e.action for e in sv.audit.entries(SYSTEM, action_prefix="calibration.")]
    assert {"calibration.round.add", "calibration.round.close", "calibration.certify", "calibration.rate"} <= set(
        actions
    )


def test_master_levels_from_rows_are_all_or_nothing(world: World) -> None:
    sv = world.sv
    c1 = sv.calibration.case_from_scratch(SYSTEM, "案例一", world.version_id, ["primary"]).id
    bad = pd.DataFrame(
        [
            {"case": "案例一", "item": "i1", "level": "A", "reason": "好", "sheet": "标准等级", "row": 2},
            {"case": "案例九", "item": "i1", "level": "A", "reason": "", "sheet": "标准等级", "row": 3},
            {"case": "案例一", "item": "i3", "level": "Z", "reason": "", "sheet": "标准等级", "row": 4},
            {"case": "案例一", "item": "i4", "level": "A", "reason": "", "sheet": "标准等级", "row": 5},
        ]
    )
    before = snapshot(sv.engine)
    with pytest.raises(InputError) as error:
        sv.calibration.import_master(SYSTEM, bad, file="标准.xlsx")
    assert [(p.row, p.column) for p in error.value.problems] == [(3, "case"), (4, "level"), (5, "item")]
    assert snapshot(sv.engine) == before
    good = bad.iloc[[0]].copy()
    assert sv.calibration.import_master(world.users["bureau"], good) == 1
    assert sv.calibration.case(SYSTEM, c1).master["i1"].level == "A"


def test_a_panel_lead_sets_master_levels_and_may_not_rate_their_case(world: World) -> None:
    sv, lead = world.sv, world.users["lead"]
    case = sv.calibration.case_from_scratch(SYSTEM, "案例一", world.version_id, ["primary"], panel_lead_id=lead.id)
    sv.calibration.set_master(lead, case.id, {"i1": ("A", ""), "i2": ("Y", ""), "i3": ("B", "")})
    with pytest.raises(PermissionDenied):
        sv.calibration.set_master(world.users["inspector"], case.id, {"i1": ("B", "")})
    with pytest.raises(InputError):
        sv.calibration.create_round(SYSTEM, world.cycle_id, "轮", [case.id], [lead.id])
    incomplete = sv.calibration.case_from_scratch(SYSTEM, "案例二", world.version_id, ["primary"]).id
    with pytest.raises(InputError) as error:
        sv.calibration.create_round(SYSTEM, world.cycle_id, "轮", [incomplete], [world.users["inspector"].id])
    assert error.value.problems[0].key == "calibration.master_incomplete"


def test_uncertified_leads_are_refused_where_the_cycle_says_so(world: World) -> None:
    sv, other = world.sv, world.users["other_inspector"]
    sv.quality.set_cycle_settings(SYSTEM, world.cycle_id, require_review=False, refuse_uncertified_lead=True)
    with pytest.raises(InputError) as error:
        sv.cycles.assign(SYSTEM, world.cycle_id, world.school_a, other.id, lead=True)
    assert error.value.problems[0].key == "quality.lead_uncertified"
    frame = pd.DataFrame([{"school_code": "A001", "inspector": "other", "lead": "1"}])
    with pytest.raises(InputError):
        sv.imports.assignments(SYSTEM, world.cycle_id, frame)
    sv.cycles.assign(SYSTEM, world.cycle_id, world.school_a, other.id, lead=False)  # a member is fine
    c1 = case_with_master(world)
    rnd = sv.calibration.create_round(SYSTEM, world.cycle_id, "轮", [c1], [other.id])
    for item, level in {"i1": "A", "i2": "Y", "i3": "B"}.items():
        sv.calibration.save_rating(other, rnd.id, c1, item, level)
    sv.calibration.close_round(SYSTEM, rnd.id)
    sv.calibration.certify(SYSTEM, rnd.id)
    sv.cycles.assign(SYSTEM, world.cycle_id, world.school_a, other.id, lead=True)


def test_settings_are_checked_and_used(world: World) -> None:
    sv = world.sv
    with pytest.raises(InputError):
        sv.calibration.set_settings(SYSTEM, CertificationRule(min_adjacent=1.5))
    with pytest.raises(PermissionDenied):
        sv.calibration.set_settings(world.users["inspector"], CertificationRule())
    out = sv.calibration.set_settings(world.users["bureau"], CertificationRule(0.9, 0.7, 180))
    assert sv.calibration.settings(world.users["inspector"]).rule == out.rule == CertificationRule(0.9, 0.7, 180)


def test_the_second_reader_sends_back_then_confirms_before_finalizing(world: World) -> None:
    sv, lead, reviewer = world.sv, world.users["lead"], world.users["other_inspector"]
    sv.quality.set_cycle_settings(
        world.users["bureau"], world.cycle_id, require_review=True, refuse_uncertified_lead=False
    )
    world.submit_a()
    world.inspect_a()
    with pytest.raises(InvalidState) as refused:
        sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    assert refused.value.key == "quality.review_required"
    eligible = {r.username for r in sv.quality.reviewers(lead, world.assessment_a)}
    assert eligible == {"bureau", "other"}  # never the inspector or the lead of A's own team
    with pytest.raises(InputError):
        sv.quality.propose(lead, world.assessment_a, world.users["inspector"].id, world.version_a())
    with pytest.raises(PermissionDenied):
        sv.ratings.list_ratings(reviewer, world.assessment_a)  # before being named, A is not theirs to read
    sv.quality.propose(lead, world.assessment_a, reviewer.id, world.version_a())
    seen = {(r.role.value, r.rater) for r in sv.ratings.list_ratings(reviewer, world.assessment_a)}
    assert ("inspector", "inspector") in seen
    assert "A001" in sv.frames.ratings_frame(reviewer, world.cycle_id, world.school_a)["school_code"].tolist()
    with pytest.raises(PermissionDenied):
        sv.quality.confirm(world.users["inspector"], world.assessment_a)
    with pytest.raises(InputError):
        sv.quality.send_back(reviewer, world.assessment_a, {}, "")
    back = sv.quality.send_back(reviewer, world.assessment_a, {"i1": "评级与材料不符"}, "请复核")
    assert back.status == "sent_back" and back.notes == {"i1": "评级与材料不符"}
    with pytest.raises(InvalidState):
        sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    sv.ratings.save(lead, world.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i1", "C")])
    sv.quality.propose(lead, world.assessment_a, reviewer.id, world.version_a())
    assert sv.quality.confirm(reviewer, world.assessment_a).status == "confirmed"
    sv.ratings.save(lead, world.assessment_a, RaterRole.CONSENSUS, [RatingEdit("i1", "B", expected_version=1)])
    with pytest.raises(InvalidState) as changed:
        sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    assert changed.value.key == "quality.changed_since_review"
    sv.quality.propose(lead, world.assessment_a, world.users["bureau"].id, world.version_a())
    sv.quality.confirm(world.users["bureau"], world.assessment_a)
    sv.assessments.finalize(lead, world.assessment_a, world.version_a())
    review = sv.quality.review_of(world.users["school_a"], world.assessment_a)
    assert review is not None and review.reviewer_name == "督导室"
    actions = [e.action for e in sv.audit.entries(SYSTEM, action_prefix="quality.")]
    assert actions.count("quality.propose") == 3 and "quality.sent_back" in actions and "quality.confirmed" in actions


def test_a_case_from_scratch_is_edited_until_a_round_uses_it(world: World) -> None:
    sv = world.sv
    case = sv.calibration.case_from_scratch(SYSTEM, "案例一", world.version_id, ["primary"])
    edited = sv.calibration.update_case(
        world.users["bureau"], case.id, items={"i1": ("b", "两学期有记录")}, facts={"students": 300}
    )
    assert edited.items["i1"].level == "B" and edited.facts["students"] == 300
    with pytest.raises(InputError):
        sv.calibration.update_case(SYSTEM, case.id, items={"i1": ("Z", "")})
    with pytest.raises(PermissionDenied):
        sv.calibration.update_case(world.users["inspector"], case.id, items={})
    sv.calibration.set_master(SYSTEM, case.id, {"i1": ("A", ""), "i2": ("Y", ""), "i3": ("B", "")})
    sv.calibration.create_round(SYSTEM, world.cycle_id, "轮", [case.id], [world.users["inspector"].id])
    with pytest.raises(InvalidState):
        sv.calibration.update_case(SYSTEM, case.id, items={"i1": ("C", "")})
