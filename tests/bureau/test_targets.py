"""The plan's 2025 targets computed by hand on a district of five schools.

Facts (every school 300 students; other facts 0 unless listed):
  P1 primary          psych 1, course_stages 1, room 40 m², parent school, 20 mentors (300/20 = 15)
  P2 primary          psych 0, course_stages 0, room 0,     no parent school, 10 mentors (30)
  J1 junior;senior    psych 2, course_stages 1, room 60 m², parent school, 25 mentors (12)
  V1 vocational       psych 1, career hours 36, room 50 m², parent school, 15 mentors (20)
  V2 vocational       psych 1, career hours 18, room 30 m², parent school, 30 mentors (10)
Inspection under mini.yaml (consensus): P1 i1 A, i2 Y, i3 A → 100, model; P2 i1 A, i2 N, i3 A → veto
i2 fails, no tier; J1 i1 B, i2 Y → (2 + 2 + 1) / 7 = 71.4, standard; V1 i1 A, i2 Y, i4 B (20 per
mentor) → 6.5 / 7 = 92.9, model; V2 not inspected.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from i18n.problems import InputError
from scoring import score_district
from scoring.targets import TARGETS, district_targets, targets_frame, targets_trend
from testkit import TARGET_SCHOOLS as SCHOOLS

CONSENSUS = {
    "P1": {"i1": "A", "i2": "Y", "i3": "A"},
    "P2": {"i1": "A", "i2": "N", "i3": "A"},
    "J1": {"i1": "B", "i2": "Y"},
    "V1": {"i1": "A", "i2": "Y"},
}


@pytest.fixture
def district(mini, make_district, make_ratings):
    facts = make_district(*SCHOOLS)
    rows = [(code, item, "lead", "consensus", lv) for code, levels in CONSENSUS.items() for item, lv in levels.items()]
    return facts, score_district(mini, facts, make_ratings(mini, facts, rows))


def by_id(statuses):
    return {s.target.id: s for s in statuses}


def test_every_target_of_the_plan_in_order(district):
    facts, result = district
    statuses = district_targets(facts, result)
    assert [s.target.id for s in statuses] == [t.id for t in TARGETS]
    assert {t.clause for t in TARGETS} == {"二"}


def test_school_shares_by_hand(district):
    """psych 4/5 = 80%; course P1, J1, V1 = 3/5 = 60% (P2 no stage, V2 18 < 36 h); room 4/5; parent 4/5;
    mentors ≤ 15: P1 (15), J1 (12), V2 (10) = 3/5 = 60%."""
    facts, result = district
    s = by_id(district_targets(facts, result))
    expected = {
        "psych_fulltime": (80.0, 20.0, 1, ("P2",)),
        "activity_course": (60.0, 40.0, 2, ("P2", "V2")),
        "counselling_room": (80.0, 20.0, 1, ("P2",)),
        "parent_school": (80.0, 20.0, 1, ("P2",)),
        "mentor_ratio_schools": (60.0, 40.0, 2, ("P2", "V1")),
    }
    for target_id, (value, gap, short, blocking) in expected.items():
        status = s[target_id]
        assert status.value == pytest.approx(value), target_id
        assert status.met is False
        assert status.gap == pytest.approx(gap)
        assert (status.counted, status.short) == (5, short)
        assert tuple(code for code, _ in status.blocking) == blocking
    assert s["psych_fulltime"].blocking == (("P2", "P2学校"),)


def test_district_mentor_ratio_at_the_limit_is_met(district):
    """1500 students / (20 + 10 + 25 + 15 + 30 = 100) mentors = 15.0 ≤ 15: met, gap 0, nobody blocking."""
    facts, result = district
    status = by_id(district_targets(facts, result))["mentor_ratio_district"]
    assert status.value == pytest.approx(15.0)
    assert (status.met, status.gap, status.blocking) == (True, 0.0, ())


def test_pass_rate_over_inspected_schools(district):
    """P1, J1, V1 pass, P2 does not; V2 was not inspected: 3 / 4 = 75%, gap 20, ceil(.95 × 4) − 3 = 1 short."""
    facts, result = district
    status = by_id(district_targets(facts, result))["standard_pass_rate"]
    assert (status.value, status.met, status.gap) == (75.0, False, 20.0)
    assert (status.counted, status.meeting, status.short) == (4, 3, 1)
    assert status.blocking == (("P2", "P2学校"),)


def test_pass_rate_denominator_is_a_parameter(district):
    """Only P1 and P2 finalized: 1 / 2 = 50%."""
    facts, result = district
    status = by_id(district_targets(facts, result, inspected=["P1", "P2"]))["standard_pass_rate"]
    assert (status.value, status.counted) == (50.0, 2)


def test_pass_rate_unknown_before_any_inspection(district):
    facts, _ = district
    status = by_id(district_targets(facts, None))["standard_pass_rate"]
    assert (status.value, status.met, status.gap, status.counted) == (None, None, None, 0)


def test_entered_targets(district):
    """Stations 55% against 60% → not met, gap 5; community counselling not entered → unknown."""
    facts, result = district
    s = by_id(district_targets(facts, result, {"family_guidance_stations": 55}))
    assert (s["family_guidance_stations"].value, s["family_guidance_stations"].met) == (55.0, False)
    assert s["family_guidance_stations"].gap == pytest.approx(5.0)
    assert (s["community_counselling"].value, s["community_counselling"].met) == (None, None)
    met = by_id(district_targets(facts, result, {"community_counselling": 100}))["community_counselling"]
    assert (met.met, met.gap) == (True, 0.0)


def test_bad_entered_figures_are_input_errors(district):
    facts, result = district
    with pytest.raises(InputError) as error:
        district_targets(facts, result, {"community_counselling": 120, "kindergartens": 50})
    keys = sorted(p.key for p in error.value.problems)
    assert keys == ["bureau.entered.range", "bureau.entered.unknown"]


def test_a_missing_fact_counts_as_not_met(district):
    """The store gives NaN for a fact not reported yet: P1's teacher unknown → 3 / 5 = 60%."""
    facts, result = district
    facts = facts.copy()
    facts.loc["P1", "psych_fulltime"] = np.nan
    status = by_id(district_targets(facts, result))["psych_fulltime"]
    assert status.value == 60.0
    assert [code for code, _ in status.blocking] == ["P1", "P2"]


def test_a_school_of_both_kinds_needs_both_courses(make_district):
    """junior;vocational with the course in one stage but 20 career hours: not offered."""
    facts = make_district(("X", "junior;vocational", {"course_stages": 1, "career_course_hours": 20}))
    status = by_id(district_targets(facts, None))["activity_course"]
    assert status.value == 0.0


def test_targets_frame_and_trend(district, make_district):
    """Second cycle: P2 gets a teacher → 100%; the trend shows 80 then 100."""
    facts, result = district
    first = district_targets(facts, result)
    fixed = facts.copy()
    fixed.loc["P2", "psych_fulltime"] = 1
    second = district_targets(fixed, result)
    frame = targets_frame(first, "zh")
    row = frame.loc["psych_fulltime"]
    assert (row["label"], row["goal"], row["value"], row["met"], row["short"]) == (
        "配备专职心理教师的学校比例",
        "≥ 100%",
        80.0,
        False,
        1,
    )
    assert row["blocking"] == "P2 P2学校"
    assert targets_frame(first, "en").loc["mentor_ratio_district", "goal"] == "≤ 15 students per mentor"
    trend = targets_trend({"2024学年": first, "2025学年": second})
    assert list(trend.columns) == ["label", "goal", "2024学年", "2025学年"]
    assert trend.loc["psych_fulltime", ["2024学年", "2025学年"]].tolist() == [80.0, 100.0]
    assert math.isnan(trend.loc["community_counselling", "2025学年"])
