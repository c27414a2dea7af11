"""Helpers shared by tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from scoring.facts import FACT_FIELDS

BASE_FACTS: dict[str, object] = {f.name: 0 for f in FACT_FIELDS} | {
    "students": 300,
    "grades": 6,
    "campuses": 1,
    "staff": 30,
    "mentors": 20,
}


def facts_rows(*schools: tuple[str, str], **overrides: object) -> pd.DataFrame:
    """Raw facts rows (text cells, as in a CSV) for (code, stages) pairs, with facts overridden."""
    rows = []
    for code, stages in schools:
        row = BASE_FACTS | {"school_code": code, "school_name": f"{code}学校", "stages": stages} | overrides
        rows.append({k: str(v) for k, v in row.items()})
    return pd.DataFrame(rows)


def need(available: object, message: str) -> None:
    """Fail in CI (env CI set), skip elsewhere, when a tool or service a test needs is missing."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# Five schools of 300 students whose plan targets are computed by hand in tests/bureau/test_targets.py
# and checked again through the store in tests/app/test_app_bureau_targets.py.
TARGET_SCHOOLS = (
    ("P1", "primary", {"psych_fulltime": 1, "course_stages": 1, "room_area_m2": 40, "parent_school": 1}),
    ("P2", "primary", {"mentors": 10}),
    (
        "J1",
        "junior;senior",
        {"psych_fulltime": 2, "course_stages": 1, "room_area_m2": 60, "parent_school": 1, "mentors": 25},
    ),
    (
        "V1",
        "vocational",
        {"psych_fulltime": 1, "career_course_hours": 36, "room_area_m2": 50, "parent_school": 1, "mentors": 15},
    ),
    (
        "V2",
        "vocational",
        {"psych_fulltime": 1, "career_course_hours": 18, "room_area_m2": 30, "parent_school": 1, "mentors": 30},
    ),
)


# A primary school of 300 students on one campus meeting every norm of the plan under framework 2025.1
# (tests/scoring/test_judgement.py computes its results by hand).
PERFECT_FACTS: dict[str, object] = {
    "students": 300,
    "grades": 5,
    "campuses": 1,
    "staff": 30,
    "psych_fulltime": 1,
    "mentors": 20,  # 15 students per mentor
    "course_stages": 1,
    "career_course_hours": 36,
    "grades_theme_meeting": 5,
    "grades_life_activity": 5,
    "screening_target": 120,
    "screening_done": 120,
    "student_files": 120,
    "parent_school": 1,
    "parent_sessions": 4,
    "room_area_m2": 60,
    "room_function_areas": 3,
    "room_open_hours": 12,
}
