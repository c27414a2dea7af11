"""The fixed registry of named metrics computed from school facts.

A framework names a metric and its thresholds; it never carries an expression. Each metric works on
a whole facts frame at once (one row per school) and gives NaN where it cannot be computed for a
school, which makes the item not applicable to that school.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from criteria.models import Stage

STAGE_COLUMNS: dict[Stage, str] = {s: f"stage_{s.value}" for s in Stage}
COURSE_STAGES = (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR, Stage.SPECIAL)

Compute = Callable[[pd.DataFrame, Mapping[str, float]], pd.Series]


@dataclass(frozen=True)
class Metric:
    """A named metric: what it measures, which facts it reads, its parameters with defaults."""

    name: str
    zh: str
    en: str
    needs: tuple[str, ...]
    compute: Compute
    params: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""
    units: Compute | None = None
    """For a metric that is a whole count over a fixed number of the school's own units (stages,
    grades, required teachers, students due), that number per school; the metric can then take only
    the values k / units (k = 0, 1, ...; at most units when `capped`), so a one-stage school's course
    coverage is 0 or 1. None for a metric the school can move freely."""
    capped: bool = True

    def evaluate(self, facts: pd.DataFrame, params: Mapping[str, float] | None = None) -> pd.Series:
        """The metric for every school of `facts`, with the framework's parameters over the defaults."""
        merged = {**self.params, **(params or {})}
        return self.compute(facts, merged).astype("float64")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Numerator / denominator, NaN where the denominator is zero."""
    den = denominator.astype("float64")
    return numerator.astype("float64") / den.where(den > 0)


def _stage_count(facts: pd.DataFrame, stages: tuple[Stage, ...] = tuple(Stage)) -> pd.Series:
    return sum((facts[STAGE_COLUMNS[s]].astype("int64") for s in stages), start=pd.Series(0, index=facts.index))


def required_fulltime(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    """Full-time psychology teachers needed: one, plus one each for a large, multi-campus or multi-stage school."""
    extra = (
        (facts["students"] >= p["large_school_students"]).astype("int64")
        + (facts["campuses"] > 1).astype("int64")
        + (_stage_count(facts) > 1).astype("int64")
    )
    return 1 + extra * p["extra_per_condition"]


def _fulltime_staffing(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return facts["psych_fulltime"] / required_fulltime(facts, p)


def _course_coverage(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return _ratio(
        facts["course_stages"].clip(upper=_stage_count(facts, COURSE_STAGES)),
        _stage_count(facts, COURSE_STAGES),
    )


def _career_course(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return (facts["career_course_hours"] / p["required_hours"]).clip(upper=1.0)


def _class_activities(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    both = np.minimum(facts["grades_theme_meeting"], facts["grades_life_activity"])
    return _ratio(both, facts["grades"])


def _screening(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return _ratio(facts["screening_done"], facts["screening_target"])


def _student_files(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return _ratio(facts["student_files"], facts["screening_target"]).clip(upper=1.0)


def _students_per_mentor(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    mentors = facts["mentors"].astype("float64")
    return (facts["students"] / mentors.where(mentors > 0)).fillna(np.inf)


def _parent_school(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return facts["parent_sessions"].where(facts["parent_school"] > 0, -1.0)


def _counselling_room(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    has_room = facts["room_area_m2"] > 0
    conditions = (
        (facts["room_area_m2"] >= p["min_area_m2"]).astype("int64")
        + (facts["room_function_areas"] >= p["min_function_areas"]).astype("int64")
        + (facts["room_open_hours"] >= p["min_open_hours"]).astype("int64")
    )
    return (1 + conditions).where(has_room, 0).astype("float64")


def _course_units(facts: pd.DataFrame, p: Mapping[str, float]) -> pd.Series:
    return _stage_count(facts, COURSE_STAGES)


def reachable_values(
    metric: Metric, facts: pd.DataFrame, params: Mapping[str, float] | None = None
) -> pd.Series | None:
    """Per school, the number of units the metric counts over (see `Metric.units`); None for a free metric."""
    if metric.units is None:
        return None
    return metric.units(facts, {**metric.params, **(params or {})}).astype("float64")


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "fulltime_psych_staffing",
            "专职心理教师配备率（实有 ÷ 应配）",
            "Full-time psychology teachers, present ÷ required",
            ("psych_fulltime", "students", "campuses"),
            _fulltime_staffing,
            {"large_school_students": 500, "extra_per_condition": 1},
            units=required_fulltime,
            capped=False,
        ),
        Metric(
            "course_stage_coverage",
            "心理健康活动课学段覆盖率",
            "Share of stages offering the activity course",
            ("course_stages",),
            _course_coverage,
            units=_course_units,
        ),
        Metric(
            "career_course_hours",
            "《心理健康与职业生涯》课时完成率",
            "Share of the required career-course hours",
            ("career_course_hours",),
            _career_course,
            {"required_hours": 36},
        ),
        Metric(
            "class_activity_coverage",
            "主题班团队会与生命教育活动年级覆盖率",
            "Share of grades holding both the themed class meeting and the life-education activity",
            ("grades", "grades_theme_meeting", "grades_life_activity"),
            _class_activities,
            units=lambda facts, p: facts["grades"],
        ),
        Metric(
            "screening_coverage",
            "年度心理健康测评覆盖率",
            "Yearly screening coverage",
            ("screening_target", "screening_done"),
            _screening,
            units=lambda facts, p: facts["screening_target"],
        ),
        Metric(
            "student_file_coverage",
            "“一生一策”档案建档率",
            "Share of students due for screening who have a one-student-one-plan file",
            ("student_files", "screening_target"),
            _student_files,
            units=lambda facts, p: facts["screening_target"],
        ),
        Metric(
            "students_per_mentor",
            "每位导师指导学生数",
            "Students per mentor",
            ("students", "mentors"),
            _students_per_mentor,
            unit="人",
        ),
        Metric(
            "parent_school_sessions",
            "家长学校年度活动次数（未建立记 -1）",
            "Parent-school sessions a year (-1 when there is no parent school)",
            ("parent_school", "parent_sessions"),
            _parent_school,
            unit="次",
        ),
        Metric(
            "counselling_room_conditions",
            "心理辅导室条件（0 无；1 有；每满足面积、功能区、开放时长一项加 1）",
            "Counselling room (0 none; 1 present; +1 each for area, function areas, opening hours)",
            ("room_area_m2", "room_function_areas", "room_open_hours"),
            _counselling_room,
            {"min_area_m2": 40, "min_function_areas": 3, "min_open_hours": 10},
        ),
    )
}
