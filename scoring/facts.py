"""The school facts the toolkit knows: names, labels, types and the bounds a valid value keeps.

Facts are counts and yes/no answers about a school, never data about an individual student.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from criteria.models import Stage


@dataclass(frozen=True)
class FactField:
    """One fact a school reports."""

    name: str
    zh: str
    en: str
    kind: Literal["int", "float", "bool"]
    minimum: float = 0.0
    maximum: float | None = None


FACT_FIELDS: tuple[FactField, ...] = (
    FactField("students", "在校学生数", "Students enrolled", "int", minimum=1),
    FactField("grades", "年级数", "Grades", "int", minimum=1, maximum=13),
    FactField("campuses", "校区数", "Campuses", "int", minimum=1),
    FactField("staff", "教职工数", "Staff", "int", minimum=1),
    FactField("psych_fulltime", "专职心理教师数", "Full-time psychology teachers", "int"),
    FactField("psych_parttime", "兼职心理教师数", "Part-time psychology teachers", "int"),
    FactField("mentors", "全员导师数", "Mentors (whole-staff mentor system)", "int"),
    FactField(
        "course_stages",
        "开设心理健康活动课（至少1个年级每2周1课时）的学段数",
        "Stages offering the activity course (one grade or more, one hour every two weeks)",
        "int",
        maximum=5,
    ),
    FactField(
        "career_course_hours",
        "《心理健康与职业生涯》课时数（中职一年级第二学期）",
        "Hours of the course 'Mental health and career' (vocational, year one, term two)",
        "float",
    ),
    FactField(
        "grades_theme_meeting",
        "本学期开展心理健康主题班团队会的年级数",
        "Grades holding a mental-health themed class meeting this term",
        "int",
    ),
    FactField(
        "grades_life_activity",
        "本学期开展心理健康和生命教育专题活动的年级数",
        "Grades holding a mental-health and life-education activity this term",
        "int",
    ),
    FactField(
        "screening_target",
        "应参加年度心理健康测评的学生数（小学高年级、初中、高中、中职）",
        "Students due for the yearly screening (upper primary, junior, senior, vocational)",
        "int",
    ),
    FactField("screening_done", "本学年已完成心理健康测评的学生数", "Students screened this year", "int"),
    FactField(
        "student_files",
        "已建立“一生一策”心理健康档案的学生数",
        "Students with a one-student-one-plan file",
        "int",
    ),
    FactField("parent_school", "是否建立家长学校", "Parent school established", "bool"),
    FactField("parent_sessions", "家长学校本学年活动次数", "Parent-school sessions this year", "int"),
    FactField("room_area_m2", "心理辅导室使用面积（平方米）", "Counselling room area (m²)", "float"),
    FactField(
        "room_function_areas",
        "心理辅导室基本功能区数（个别辅导、团体活动、接待办公）",
        "Basic function areas of the counselling room (individual, group, reception)",
        "int",
        maximum=10,
    ),
    FactField(
        "room_open_hours",
        "心理辅导室每周开放小时数",
        "Counselling room opening hours a week",
        "float",
        maximum=168,
    ),
)

FACTS: dict[str, FactField] = {f.name: f for f in FACT_FIELDS}

# Pairs (smaller, larger): the first may never exceed the second.
FACT_BOUNDS: tuple[tuple[str, str], ...] = (
    ("psych_fulltime", "staff"),
    ("mentors", "staff"),
    ("screening_done", "screening_target"),
    ("screening_target", "students"),
    ("student_files", "students"),
    ("grades_theme_meeting", "grades"),
    ("grades_life_activity", "grades"),
)

STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.PRIMARY: ("小学", "Primary"),
    Stage.JUNIOR: ("初中", "Junior secondary"),
    Stage.SENIOR: ("高中", "Senior secondary"),
    Stage.VOCATIONAL: ("中职", "Vocational"),
    Stage.SPECIAL: ("特殊教育", "Special education"),
}
