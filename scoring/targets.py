"""The district plan's 2025 targets (长教〔2024〕11号, section 二) measured on a cycle's facts and results.

Each target is data: its clause, the goal and which way it is compared, the unit, and where its value
comes from (school facts, the inspection results, or a figure the bureau enters). Rules where the plan
is silent:

- every school of the facts frame counts; a fact not given yet (NaN) counts as not meeting the target;
- activity course: a school with a course stage (primary, junior, senior, special) needs
  `course_stages ≥ 1`; a vocational school needs `career_course_hours ≥ 36` (the metric's default);
  a school with both needs both;
- standard-school pass rate: inspected schools whose inspection tier is at least the framework's lowest
  tier (达标校); the denominator is `inspected` (pass the finalized schools), by default every school
  with an inspection rating;
- mentor ratio: the share of schools with at most 15 students per mentor (goal 100%), and the district
  ratio Σ students ÷ Σ mentors over the schools that reported both (goal ≤ 15);
- entered targets take a percentage (60 means 60%).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from criteria.models import Stage
from i18n.catalog import t
from i18n.problems import InputError, Problem
from scoring.engine import DistrictResult
from scoring.metrics import COURSE_STAGES, METRICS, STAGE_COLUMNS

Source = Literal["facts", "results", "entered"]
Unit = Literal["pct", "per_mentor"]

MAX_STUDENTS_PER_MENTOR = 15.0
REQUIRED_CAREER_HOURS = METRICS["career_course_hours"].params["required_hours"]


@dataclass(frozen=True)
class Target:
    """One 2025 target of the plan: the goal, how it is compared, its unit and where its value comes from."""

    id: str
    clause: str
    goal: float
    comparison: Literal["ge", "le"]
    unit: Unit
    source: Source
    facts: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """What the target measures, in words."""
        return t(f"bureau.target.{self.id}", lang)

    def goal_text(self, lang: str = "zh") -> str:
        """The goal as shown in a table, e.g. `≥ 95%`."""
        return t(
            f"bureau.goal.{self.comparison}", lang, goal=f"{self.goal:g}", unit=t(f"bureau.unit.{self.unit}", lang)
        )

    def reached(self, value: float) -> bool:
        """Whether a value meets the goal."""
        return bool(value >= self.goal - 1e-9 if self.comparison == "ge" else value <= self.goal + 1e-9)

    def gap(self, value: float) -> float:
        """How far the value is from the goal, in the target's unit (0 when met)."""
        return float(max(0.0, self.goal - value) if self.comparison == "ge" else max(0.0, value - self.goal))


TARGETS: tuple[Target, ...] = (
    Target("psych_fulltime", "二", 100.0, "ge", "pct", "facts", ("psych_fulltime",)),
    Target("activity_course", "二", 100.0, "ge", "pct", "facts", ("course_stages", "career_course_hours")),
    Target("counselling_room", "二", 100.0, "ge", "pct", "facts", ("room_area_m2",)),
    Target("standard_pass_rate", "二", 95.0, "ge", "pct", "results"),
    Target("mentor_ratio_schools", "二", 100.0, "ge", "pct", "facts", ("students", "mentors")),
    Target(
        "mentor_ratio_district", "二", MAX_STUDENTS_PER_MENTOR, "le", "per_mentor", "facts", ("students", "mentors")
    ),
    Target("parent_school", "二", 100.0, "ge", "pct", "facts", ("parent_school",)),
    Target("family_guidance_stations", "二", 60.0, "ge", "pct", "entered"),
    Target("community_counselling", "二", 100.0, "ge", "pct", "entered"),
)
TARGET_BY_ID: dict[str, Target] = {target.id: target for target in TARGETS}
ENTERED: tuple[str, ...] = tuple(target.id for target in TARGETS if target.source == "entered")


@dataclass(frozen=True)
class TargetStatus:
    """Where the district stands on one target: value, met or not, the gap and the schools holding it back.

    `value`, `met` and `gap` are None when there is nothing to measure (no schools, nothing inspected,
    no figure entered). `counted` and `meeting` count schools (none for entered targets); `short` is how
    many more schools must meet a share target for it to be reached; `blocking` lists (code, name) of the
    schools that do not meet it, while the target is not met.
    """

    target: Target
    value: float | None
    met: bool | None
    gap: float | None
    counted: int = 0
    meeting: int = 0
    short: int | None = None
    blocking: tuple[tuple[str, str], ...] = ()


def _any_stage(facts: pd.DataFrame, stages: Collection[Stage]) -> pd.Series:
    return facts[[STAGE_COLUMNS[s] for s in stages]].any(axis=1)


def _offers_course(facts: pd.DataFrame) -> pd.Series:
    """Course stage → at least one stage offers it; vocational → the full career-course hours."""
    course_ok = ~_any_stage(facts, COURSE_STAGES) | (facts["course_stages"] >= 1)
    career_ok = ~facts[STAGE_COLUMNS[Stage.VOCATIONAL]] | (facts["career_course_hours"] >= REQUIRED_CAREER_HOURS)
    return course_ok & career_ok


def _mentor_ratio_ok(facts: pd.DataFrame) -> pd.Series:
    return (facts["mentors"] > 0) & (facts["students"] <= MAX_STUDENTS_PER_MENTOR * facts["mentors"])


SCHOOL_CHECKS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "psych_fulltime": lambda f: f["psych_fulltime"] >= 1,
    "activity_course": _offers_course,
    "counselling_room": lambda f: f["room_area_m2"] > 0,
    "mentor_ratio_schools": _mentor_ratio_ok,
    "parent_school": lambda f: f["parent_school"] > 0,
}
"""Target id → which schools meet it, from the facts (NaN facts compare False: not met)."""


def _named(facts: pd.DataFrame, codes: pd.Index) -> tuple[tuple[str, str], ...]:
    names = facts["school_name"].reindex(codes).astype(str)
    return tuple(zip(map(str, codes), names, strict=True))


def _status(target: Target, value: float | None, ok: pd.Series, facts: pd.DataFrame) -> TargetStatus:
    """The status from a value (None: unknown) and which schools meet the school-level rule.

    Schools are listed as blocking only while the target is not met.
    """
    met = None if value is None else target.reached(value)
    gap = None if value is None else target.gap(value)
    counted, meeting = len(ok), int(ok.sum())
    short = None
    if target.unit == "pct" and counted:
        short = max(0, math.ceil(target.goal / 100 * counted - 1e-9) - meeting)
    blocking = () if met else _named(facts, ok.index[~ok.to_numpy(dtype=bool)])
    return TargetStatus(target, value, met, gap, counted, meeting, short, blocking)


def _share_status(target: Target, ok: pd.Series, facts: pd.DataFrame) -> TargetStatus:
    """A share-of-schools target (in %) from a per-school yes/no."""
    return _status(target, float(100.0 * ok.sum() / len(ok)) if len(ok) else None, ok, facts)


def _district_ratio(target: Target, facts: pd.DataFrame) -> TargetStatus:
    """Σ students ÷ Σ mentors over the schools that reported both; blocking: schools above the limit."""
    known = facts["students"].notna() & facts["mentors"].notna()
    mentors = facts.loc[known, "mentors"].sum()
    value = float(facts.loc[known, "students"].sum() / mentors) if mentors > 0 else None
    return _status(target, value, _mentor_ratio_ok(facts), facts)


def pass_rate_schools(result: DistrictResult, inspected: Collection[str] | None = None) -> pd.Series:
    """Per school counted in the pass rate: whether its inspection tier reaches the lowest tier (达标校)."""
    counted = result.inspection.present if inspected is None else result.schools.isin(list(inspected))
    passed = result.inspection.tier_index >= 0
    return pd.Series(passed[counted], index=result.schools[counted])


def _entered_status(target: Target, entered: Mapping[str, float]) -> TargetStatus:
    value = entered.get(target.id)
    if value is None:
        return TargetStatus(target, None, None, None)
    return TargetStatus(target, float(value), target.reached(value), target.gap(value))


def check_entered(entered: Mapping[str, float]) -> None:
    """InputError when a figure names an unknown target or is not a percentage in [0, 100]."""
    problems = []
    for key, value in entered.items():
        if key not in ENTERED:
            problems.append(Problem("bureau.entered.unknown", {"found": key, "expected": ", ".join(ENTERED)}))
        elif not (isinstance(value, numbers.Real) and 0 <= value <= 100):
            problems.append(Problem("bureau.entered.range", {"target": key, "found": value}))
    if problems:
        raise InputError(problems)


def district_targets(
    facts: pd.DataFrame,
    result: DistrictResult | None,
    entered: Mapping[str, float] | None = None,
    inspected: Collection[str] | None = None,
) -> list[TargetStatus]:
    """Every 2025 target of the plan, in plan order, measured on one cycle.

    `facts`: the cycle's checked facts (one row per school); `result`: its scores (None before any
    inspection: the pass rate is then unknown); `entered`: the bureau's figures for the entered targets,
    in percent; `inspected`: school codes that count in the pass rate (default: every inspected school).
    """
    entered = dict(entered or {})
    check_entered(entered)
    statuses = []
    for target in TARGETS:
        if target.id in SCHOOL_CHECKS:
            statuses.append(_share_status(target, SCHOOL_CHECKS[target.id](facts), facts))
        elif target.id == "mentor_ratio_district":
            statuses.append(_district_ratio(target, facts))
        elif target.id == "standard_pass_rate" and result is not None:
            statuses.append(_share_status(target, pass_rate_schools(result, inspected), result.facts))
        elif target.id == "standard_pass_rate":
            statuses.append(TargetStatus(target, None, None, None))
        else:
            statuses.append(_entered_status(target, entered))
    return statuses


def _round(x: float | None, digits: int = 1) -> float:
    return np.nan if x is None else round(x, digits)


def targets_frame(statuses: list[TargetStatus], lang: str = "zh") -> pd.DataFrame:
    """One row per target for tables: clause, label, goal, source, value, met, gap, schools short, blockers."""
    rows = [
        {
            "target": s.target.id,
            "clause": s.target.clause,
            "label": s.target.label(lang),
            "goal": s.target.goal_text(lang),
            "source": t(f"bureau.source.{s.target.source}", lang),
            "value": _round(s.value),
            "met": s.met,
            "gap": _round(s.gap),
            "counted": s.counted,
            "meeting": s.meeting,
            "short": s.short,
            "blocking": t("bureau.list_sep", lang).join(f"{code} {name}" for code, name in s.blocking),
        }
        for s in statuses
    ]
    return pd.DataFrame(rows).astype({"short": "Int64"}).set_index("target")


def targets_trend(statuses_by_cycle: Mapping[str, list[TargetStatus]], lang: str = "zh") -> pd.DataFrame:
    """Targets × cycles (in the mapping's order) of values, with each target's label and goal first.

    A cycle without a value for a target shows NaN. `frame.melt(...)` gives the long form for charts.
    """
    ids = [target.id for target in TARGETS]
    out = pd.DataFrame(index=pd.Index(ids, name="target"))
    out["label"] = [TARGET_BY_ID[i].label(lang) for i in ids]
    out["goal"] = [TARGET_BY_ID[i].goal_text(lang) for i in ids]
    for cycle, statuses in statuses_by_cycle.items():
        values = {s.target.id: s.value for s in statuses}
        out[cycle] = [np.nan if values.get(i) is None else values[i] for i in ids]
    return out
