"""Hand-computed cases of the 2025.1 framework's vetoes, the decision sentence and the on-site override.

The perfect school: a primary school of 300 students on one campus (1 full-time teacher required),
every rated item at its best level and every fact at the plan's norm. Its applicable points are 96
(the vocational career course, 4 points, does not apply), so one item of p points at D costs
100 × p / 96 on the 0-100 score.
"""

from __future__ import annotations

import pandas as pd
import pytest

from criteria import QuantitativeItem, load_framework
from sample_data.demo import load_demo
from scoring import score_district
from scoring.decision import decide
from scoring.inputs import read_facts, read_ratings
from testkit import PERFECT_FACTS as PERFECT
from testkit import facts_rows

FW = load_framework()


def score(stages: str = "primary", levels: dict[str, str] | None = None, overrides=None, **facts):
    raw = facts_rows(("S1", stages), **(PERFECT | facts))
    frame = read_facts(raw)
    rated = [i for i in FW.items() if not isinstance(i, QuantitativeItem)]
    chosen = {i.id: i.levels[0].id for i in rated} | (levels or {})
    rows = [("S1", item_id, "insp", "inspector", level) for item_id, level in chosen.items()]
    ratings = read_ratings(pd.DataFrame(rows, columns=["school_code", "item_id", "rater", "role", "level"]), FW, ["S1"])
    return score_district(FW, frame, ratings, overrides=overrides)


def test_the_perfect_school_is_a_model_school():
    result = score()
    assert result.inspection.score_100[0] == pytest.approx(100.0)
    d = decide(result, "S1")
    assert (d.passed, d.tier_index) == (True, 1)
    assert d.sentence == "总分 100.0 分，达到示范校的全部要求，评为示范校。"
    assert d.deductions == "各一级指标均未扣分。" and d.next_tier == ""


def test_every_point_but_the_activity_course_is_not_a_standard_school():
    result = score(course_stages=0)
    assert result.inspection.score_100[0] == pytest.approx(100 * 92 / 96)  # 95.83
    d = decide(result, "S1")
    assert not d.passed and d.vetoes_failed == ("A4.1.1",)
    assert d.sentence == (
        "总分达到达标线（95.8 分，达标线 75 分），但因“A4.1.1 心理健康活动课开设”未达要求（须达 A 级，实为 D 级）"
        "一票否决，未达标。"
    )
    assert d.deductions == "扣分（按一级指标，折算为百分制）：A4 课程与活动扣 4.2 分。"
    assert decide(result, "S1", lang="en").sentence.startswith("The score reaches the pass mark (95.8; pass mark 75)")


def test_a_nine_year_school_needs_the_course_in_both_stages():
    result = score("primary;junior", course_stages=1)  # 1 of 2 stages: coverage 0.5, level C
    assert decide(result, "S1").vetoes_failed == ("A4.1.1",)
    assert "实为 C 级" in decide(result, "S1").sentence


@pytest.mark.parametrize(
    ("case", "stages", "facts", "levels", "vetoed"),
    [
        ("vocational course of 30 of its 36 hours", "vocational", {"career_course_hours": 30}, {}, "A4.1.2"),
        ("no leadership or crisis group", "primary", {}, {"A1.2.1": "D"}, "A1.2.1"),
        ("no full-time psychology teacher", "primary", {"psych_fulltime": 0}, {}, "A2.3.1"),
        (
            "no counselling room",
            "primary",
            {"room_area_m2": 0, "room_function_areas": 0, "room_open_hours": 0},
            {},
            "A2.1.1",
        ),
        ("one student due not screened (119 of 120)", "primary", {"screening_done": 119}, {}, "A5.1.1"),
        ("a special school that skipped the screening", "special", {"screening_done": 0}, {}, "A5.1.1"),
        ("16 students per mentor", "primary", {"mentors": 19}, {}, "A3.2.1"),
    ],
)
def test_each_plan_requirement_vetoes_the_standard_tier(case, stages, facts, levels, vetoed):
    d = decide(score(stages, levels, **facts), "S1")
    assert not d.passed, case
    assert d.vetoes_failed == (vetoed,), case
    assert "总分达到达标线" in d.sentence and "一票否决，未达标。" in d.sentence


def test_a_beginning_of_a_feature_is_not_a_model_school():
    result = score(levels={"A7.2.1": "C"})
    d = decide(result, "S1")
    assert (d.passed, d.tier_index) == (True, 0)
    assert d.sentence == "总分 98.8 分，达到达标线（75 分），无一票否决项，达标。"  # 100 − 100 × 3 × 0.4 / 96 = 98.75
    assert d.next_tier == "距示范校：“A7.2.1 心理健康教育特色与示范辐射”未达要求（须达 B 级，实为 C 级）。"


def test_a_low_score_names_the_domains_that_lost_most():
    """Every rated item at C (0.6) and the budget check at N: 96 − 0.4 × 65.5 − 1 = 68.8 of 96 = 71.7."""
    levels = {i.id: ("N" if i.method == "check" else "C") for i in FW.items() if not isinstance(i, QuantitativeItem)}
    result = score(levels=levels)
    assert result.inspection.score_100[0] == pytest.approx(100 * 68.8 / 96)
    d = decide(result, "S1")
    assert d.sentence == (
        "总分 71.7 分，低于达标线 75 分（A1 组织管理扣 5.6 分、A4 课程与活动扣 5.4 分、"
        "A3 队伍建设扣 4.2 分等），未达标。"
    )
    assert d.deductions == (
        "扣分（按一级指标，折算为百分制）：A1 组织管理扣 5.6 分、A4 课程与活动扣 5.4 分、A3 队伍建设扣 4.2 分、"
        "A5 监测预警与危机干预扣 4.2 分、A2 条件保障扣 3.5 分、A7 研究与特色扣 2.9 分、A6 家校社协同扣 2.5 分。"
    )


def test_the_on_site_override_replaces_the_facts_level_in_the_official_result_only():
    facts = {"room_area_m2": 0, "room_function_areas": 0, "room_open_hours": 0}
    before = score(**facts)
    assert decide(before, "S1").vetoes_failed == ("A2.1.1",)
    overrides = pd.DataFrame(
        [("S1", "A2.1.1", "C", "辅导室设于教学楼二层，与图书馆共用但有独立隔间", "王立群")],
        columns=["school_code", "item_id", "level", "reason", "by"],
    )
    after = score(overrides=overrides, **facts)
    pos = FW.items().index(FW.item("A2.1.1"))
    assert after.compiled.level_ids[pos][after.inspection.levels[0, pos]] == "C"
    assert after.self_view.levels[0, pos] == before.self_view.levels[0, pos]  # the school's view: the facts
    assert after.inspection.earned[0] == pytest.approx(before.inspection.earned[0] + 5 * 0.2)
    assert decide(after, "S1").passed
    o = after.override("S1", "A2.1.1")
    assert (o.level, o.computed, o.by) == ("C", "D", "王立群")
    # an override of a rated item, of an unknown level or school is not applied
    ignored = pd.DataFrame(
        [("S1", "A1.1.1", "D", "x", "y"), ("S1", "A2.1.1", "Z", "x", "y"), ("S9", "A2.1.1", "A", "x", "y")],
        columns=["school_code", "item_id", "level", "reason", "by"],
    )
    same = score(overrides=ignored, **facts)
    assert (same.inspection.levels == before.inspection.levels).all()
    assert same.override("S1", "A1.1.1") is None and same.override("S1", "A2.1.1") is None
    career = pd.DataFrame(
        [("S1", "A4.1.2", "A", "x", "y")], columns=["school_code", "item_id", "level", "reason", "by"]
    )
    assert score(overrides=career).override("S1", "A4.1.2") is None  # not for a primary school


# ------------------------------------------------------------------------------------- the demo's three


@pytest.fixture(scope="module")
def demo():
    district = load_demo(FW)
    facts = read_facts(district.facts)
    return score_district(FW, facts, read_ratings(district.ratings, FW, facts.index))


def test_cn038_fails_only_the_counselling_room_veto(demo):
    d = decide(demo, "CN038")
    assert d.vetoes_failed == ("A2.1.1",)
    assert d.sentence == (
        "总分达到达标线（79.5 分，达标线 75 分），但因“A2.1.1 心理辅导室”未达要求（须达 C 级，实为 D 级）"
        "一票否决，未达标。"
    )


def test_cn031_is_a_model_school_and_cn036_is_weak(demo):
    assert decide(demo, "CN031").sentence == "总分 100.0 分，达到示范校的全部要求，评为示范校。"
    weak = decide(demo, "CN036")
    assert weak.sentence.startswith("总分 62.6 分，低于达标线 75 分（A4 课程与活动扣 9.4 分、")
    assert weak.vetoes_failed == ("A4.1.1", "A5.1.1", "A3.2.1")


def test_the_schools_without_an_activity_course_no_longer_pass(demo):
    """Under 2024.1 CN006, CN009 (90.9) and CN020 passed with no activity course at all."""
    for code in ("CN006", "CN009", "CN020"):
        d = decide(demo, code)
        assert not d.passed and "A4.1.1" in d.vetoes_failed, code
