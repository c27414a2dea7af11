"""The improvement path proposes only levels a school can reach with its own facts and stages (hypothesis).

The check is independent of how the engine knows it: for every raise of a computed item, the test
searches the fact that item counts (course stages, teachers, grades, students screened, ...) over
every whole value and scores each candidate school with the engine; some value must give the level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import QuantitativeItem, load_framework
from sample_data.demo import load_demo
from scoring import score_district
from scoring.compiled import compile_framework
from scoring.improvement import improvement_path
from scoring.inputs import read_facts, read_ratings
from testkit import PERFECT_FACTS as PERFECT
from testkit import facts_rows

FW = load_framework()
COMPILED = compile_framework(FW)
RATED = [i for i in FW.items() if not isinstance(i, QuantitativeItem)]
COMPUTED = {i.id: i for i in FW.items() if isinstance(i, QuantitativeItem)}
STAGES = ["primary", "junior", "senior", "vocational", "special", "primary;junior", "junior;senior"]


def candidates(metric: str, facts: dict[str, float]) -> list[dict[str, float]]:
    """Every value of the fact(s) the metric counts, the rest of the school unchanged."""
    students, grades, target = int(facts["students"]), int(facts["grades"]), int(facts["screening_target"])
    if metric == "course_stage_coverage":
        return [{"course_stages": k} for k in range(6)]
    if metric == "fulltime_psych_staffing":
        return [{"psych_fulltime": k} for k in range(9)]
    if metric == "class_activity_coverage":
        return [{"grades_theme_meeting": k, "grades_life_activity": k} for k in range(grades + 1)]
    if metric == "screening_coverage":
        return [{"screening_done": k} for k in range(target + 1)]
    if metric == "student_file_coverage":
        return [{"student_files": k} for k in range(target + 1)]
    if metric == "career_course_hours":
        return [{"career_course_hours": h} for h in range(0, 37)]
    if metric == "students_per_mentor":
        return [{"mentors": m} for m in range(1, students + 1)]
    if metric == "parent_school_sessions":
        return [{"parent_school": 0, "parent_sessions": 0}] + [
            {"parent_school": 1, "parent_sessions": k} for k in range(9)
        ]
    if metric == "counselling_room_conditions":
        return [
            {"room_area_m2": a, "room_function_areas": f, "room_open_hours": h}
            for a in (0, 20, 40)
            for f in (1, 3)
            for h in (2, 10)
        ]
    raise AssertionError(f"no candidates for {metric}")


def reachable_levels(stages: str, facts: dict[str, float], item: QuantitativeItem) -> set[str]:
    """The levels the engine computes for the item over every candidate value of its fact."""
    options = candidates(item.rule.metric, facts)
    raw = pd.concat(
        [facts_rows((f"C{n}", stages), **(facts | change)) for n, change in enumerate(options)], ignore_index=True
    )
    frame = read_facts(raw)
    empty = pd.DataFrame(columns=["school_code", "item_id", "rater", "role", "level"])
    result = score_district(FW, frame, read_ratings(empty, FW, frame.index))
    pos = COMPILED.item_position[item.id]
    codes = result.self_view.levels[:, pos]
    return {COMPILED.level_ids[pos][c] for c in codes if c >= 0}


@st.composite
def school(draw):
    stages = draw(st.sampled_from(STAGES))
    students = draw(st.integers(60, 400))
    grades = draw(st.integers(1, 9))
    target = draw(st.integers(1, 12))
    facts = {
        "students": students,
        "grades": grades,
        "campuses": draw(st.integers(1, 2)),
        "staff": students,
        "psych_fulltime": draw(st.integers(0, 3)),
        "mentors": draw(st.integers(1, students)),
        "course_stages": draw(st.integers(0, 2)),
        "career_course_hours": draw(st.integers(0, 36)),
        "grades_theme_meeting": draw(st.integers(0, grades)),
        "grades_life_activity": draw(st.integers(0, grades)),
        "screening_target": target,
        "screening_done": draw(st.integers(0, target)),
        "student_files": draw(st.integers(0, target)),
        "parent_school": draw(st.integers(0, 1)),
        "parent_sessions": draw(st.integers(0, 6)),
        "room_area_m2": draw(st.sampled_from([0, 30, 45])),
        "room_function_areas": draw(st.integers(1, 4)),
        "room_open_hours": draw(st.sampled_from([4, 12])),
    }
    levels = {i.id: draw(st.sampled_from([*(lv.id for lv in i.levels), None])) for i in RATED}
    return stages, facts, levels


def scored(stages: str, facts: dict[str, float], levels: dict[str, str | None]):
    frame = read_facts(facts_rows(("S1", stages), **facts))
    rows = [("S1", item_id, "insp", "inspector", level) for item_id, level in levels.items() if level]
    ratings = pd.DataFrame(rows, columns=["school_code", "item_id", "rater", "role", "level"])
    return score_district(FW, frame, read_ratings(ratings, FW, ["S1"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school(), st.sampled_from([None, 0, 1]))
def test_every_proposed_step_is_reachable_for_that_school(case, tier):
    stages, facts, levels = case
    result = scored(stages, facts, levels)
    path = improvement_path(result.inspection, 0, tier)
    if path is None:
        return
    for r in path.raises:
        item = COMPUTED.get(r.item_id)
        if item is None:
            continue  # a rated item: the raters may pick any of its levels
        assert r.to_level in reachable_levels(stages, facts, item), (stages, r)


def test_a_one_stage_school_is_told_all_or_nothing_for_the_course():
    """CN036 (one stage, no activity course): the path raises A4.1.1 from D straight to A, never to B."""
    district = load_demo(FW)
    facts = read_facts(district.facts)
    result = score_district(FW, facts, read_ratings(district.ratings, FW, facts.index))
    n = result.row("CN036")
    path = improvement_path(result.inspection, n)
    course = [r for r in path.raises if r.item_id == "A4.1.1"]
    assert [(r.from_level, r.to_level) for r in course] == [("D", "A")]
    # a school with a single required full-time teacher and none: D or A, nothing between
    # (every rated item at A: a cheaper D → C would do, were C reachable with one required teacher)
    best = {i.id: i.levels[0].id for i in RATED}
    one = scored("primary", PERFECT | {"psych_fulltime": 0}, best)
    assert [(r.item_id, r.from_level, r.to_level) for r in improvement_path(one.inspection, 0).raises] == [
        ("A2.3.1", "D", "A")
    ]
    assert np.isfinite(one.inspection.score_100[0])
