"""The fixed registry of named metrics computed from school facts.

A framework names a metric and its thresholds; it never carries an expression. Each metric works on
every school's facts at once (arrays by name) (one row per school) and gives NaN where it cannot be computed for a
school, which makes the item not applicable to that school.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from criteria.models import Stage

STAGE_COLUMNS: dict[Stage, str] = {s: f"stage_{s.value}" for s in Stage}
COURSE_STAGES = (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR, Stage.SPECIAL)

Facts = Mapping[str, np.ndarray]  # a fact or stage-flag column of every school by name (`SchoolFacts`)
Compute = Callable[[Facts, Mapping[str, float]], np.ndarray]


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

    def evaluate(self, facts: Facts, params: Mapping[str, float] | None = None) -> np.ndarray:
        """The metric for every school of `facts`, with the framework's parameters over the defaults."""
        merged = {**self.params, **(params or {})}
        return np.asarray(self.compute(facts, merged), dtype="float64")


def _col(facts: Facts, name: str) -> np.ndarray:
    """A fact of every school as floats (NaN: not given)."""
    return np.asarray(facts[name], dtype=np.float64)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Numerator / denominator, NaN where the denominator is zero."""
    den = np.asarray(denominator, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(numerator, dtype=np.float64) / np.where(den > 0, den, np.nan)


def _stage_count(facts: Facts, stages: tuple[Stage, ...] = tuple(Stage)) -> np.ndarray:
    flags = [np.asarray(facts[STAGE_COLUMNS[s]], dtype=np.int64) for s in stages]
    return sum(flags[1:], start=flags[0])


def required_fulltime(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    """Full-time psychology teachers needed: one, plus one each for a large, multi-campus or multi-stage school."""
    extra = (
        (_col(facts, "students") >= p["large_school_students"]).astype("int64")
        + (_col(facts, "campuses") > 1).astype("int64")
        + (_stage_count(facts) > 1).astype("int64")
    )
    return 1 + extra * p["extra_per_condition"]


def _fulltime_staffing(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return _col(facts, "psych_fulltime") / required_fulltime(facts, p)


def _course_coverage(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    stages = _stage_count(facts, COURSE_STAGES)
    return _ratio(np.minimum(_col(facts, "course_stages"), stages), stages)


def _career_course(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return np.minimum(_col(facts, "career_course_hours") / p["required_hours"], 1.0)


def _class_activities(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    both = np.minimum(_col(facts, "grades_theme_meeting"), _col(facts, "grades_life_activity"))
    return _ratio(both, _col(facts, "grades"))


def _screening(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return _ratio(_col(facts, "screening_done"), _col(facts, "screening_target"))


def _student_files(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return np.minimum(_ratio(_col(facts, "student_files"), _col(facts, "screening_target")), 1.0)


def _students_per_mentor(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    mentors = _col(facts, "mentors")
    with np.errstate(invalid="ignore", divide="ignore"):
        per_mentor = _col(facts, "students") / np.where(mentors > 0, mentors, np.nan)
    return np.where(np.isnan(per_mentor), np.inf, per_mentor)


def _parent_school(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return np.where(_col(facts, "parent_school") > 0, _col(facts, "parent_sessions"), -1.0)


def _counselling_room(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    area = _col(facts, "room_area_m2")
    conditions = (
        (area >= p["min_area_m2"]).astype("int64")
        + (_col(facts, "room_function_areas") >= p["min_function_areas"]).astype("int64")
        + (_col(facts, "room_open_hours") >= p["min_open_hours"]).astype("int64")
    )
    return np.where(area > 0, 1 + conditions, 0).astype("float64")


def _course_units(facts: Facts, p: Mapping[str, float]) -> np.ndarray:
    return _stage_count(facts, COURSE_STAGES)


def reachable_values(metric: Metric, facts: Facts, params: Mapping[str, float] | None = None) -> np.ndarray | None:
    """Per school, the number of units the metric counts over (see `Metric.units`); None for a free metric."""
    if metric.units is None:
        return None
    return np.asarray(metric.units(facts, {**metric.params, **(params or {})}), dtype="float64")


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
            units=lambda facts, p: _col(facts, "grades"),
        ),
        Metric(
            "screening_coverage",
            "年度心理健康测评覆盖率",
            "Yearly screening coverage",
            ("screening_target", "screening_done"),
            _screening,
            units=lambda facts, p: _col(facts, "screening_target"),
        ),
        Metric(
            "student_file_coverage",
            "“一生一策”档案建档率",
            "Share of students due for screening who have a one-student-one-plan file",
            ("student_files", "screening_target"),
            _student_files,
            units=lambda facts, p: _col(facts, "screening_target"),
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
