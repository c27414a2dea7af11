"""A deterministic generator of synthetic school districts: facts, ratings and inspector assignments.

Everything is drawn with numpy from one seed and built as whole arrays (no Python loop per school or
per rating), so that a district of 100,000 schools and about twelve million rating rows is generated
in seconds. A latent school "quality" drives both the facts (staffing, counselling room, screening,
...) and the levels raters pick, so that computed and rated items tell the same story. Repeated
strings are pandas categoricals to keep memory small.

The frames have the shape of the CSV files `scoring.inputs.read_facts` and `read_ratings` accept:
see `District`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.models import NA, Framework, QuantitativeItem, Stage
from i18n.problems import InputError, Problem
from scoring.facts import FACT_BOUNDS, FACT_FIELDS, FACTS
from scoring.inputs import read_csv_text, read_facts, read_ratings
from scoring.metrics import METRICS

MAX_SCHOOLS = 100_000
"""The largest district `main` generates (the CLI's upper bound)."""

SCHOOLS_PER_INSPECTOR = 30
"""Generated inspector pools are sized so that each inspector visits about this many schools."""

FACTS_FILE = "facts.csv"
RATINGS_FILE = "ratings.csv"
ASSIGNMENTS_FILE = "assignments.csv"

SCHOOL_COLUMNS = ("school_code", "school_name", "stages", "street", "ownership")
RATING_COLUMNS = ("school_code", "item_id", "rater", "role", "level", "account", "finding")
ASSIGNMENT_COLUMNS = ("school_code", "inspector", "lead")
ROLES = ("self", "inspector", "consensus")
SELF_RATER_PREFIX = "school-"

STAGES: tuple[Stage, ...] = tuple(Stage)
STAGE_GRADES: dict[Stage, int] = {
    Stage.PRIMARY: 5,
    Stage.JUNIOR: 4,
    Stage.SENIOR: 3,
    Stage.VOCATIONAL: 3,
    Stage.SPECIAL: 9,
}
"""Grades a stage has in Shanghai (primary 1–5, junior 6–9, senior 10–12); special schools 9."""

STAGE_SCREENED: dict[Stage, float] = {
    Stage.PRIMARY: 2,
    Stage.JUNIOR: 4,
    Stage.SENIOR: 3,
    Stage.VOCATIONAL: 3,
    Stage.SPECIAL: 4.5,
}
"""Grades of a stage due for the yearly screening (upper primary only; about half of a special school)."""

COURSE_STAGES = (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR, Stage.SPECIAL)

STREETS: tuple[tuple[str, str, float], ...] = (
    ("华阳路街道", "华阳路", 0.09),
    ("江苏路街道", "江苏路", 0.07),
    ("新华路街道", "新华路", 0.10),
    ("周家桥街道", "周家桥", 0.09),
    ("天山路街道", "天山路", 0.11),
    ("仙霞新村街道", "仙霞", 0.12),
    ("虹桥街道", "虹桥", 0.11),
    ("程家桥街道", "程家桥", 0.07),
    ("北新泾街道", "北新泾", 0.10),
    ("新泾镇", "新泾", 0.14),
)
"""The ten streets and town of Changning: name, short name for school names, share of schools."""


@dataclass(frozen=True)
class SchoolKind:
    """A kind of school in the generated mix: its stages, share and typical size."""

    stages: str
    share: float
    suffix: str
    median_students: int
    min_students: int
    max_students: int
    private_share: float


SCHOOL_KINDS: tuple[SchoolKind, ...] = (
    SchoolKind("primary", 0.45, "小学", 850, 150, 2400, 0.10),
    SchoolKind("junior", 0.20, "初级中学", 700, 200, 2000, 0.12),
    SchoolKind("primary;junior", 0.10, "实验学校", 1500, 400, 3000, 0.15),
    SchoolKind("junior;senior", 0.08, "中学", 1500, 400, 3000, 0.05),
    SchoolKind("senior", 0.08, "高级中学", 900, 300, 2400, 0.05),
    SchoolKind("vocational", 0.05, "职业技术学校", 1200, 300, 3000, 0.0),
    SchoolKind("special", 0.04, "特殊教育学校", 200, 150, 400, 0.0),
)

ACCOUNT_TEXTS: dict[str, tuple[str, ...]] = {
    "good": (
        "已全面落实，制度、记录和总结齐全。",
        "按计划开展，过程材料已归档备查。",
        "形成校本特色做法，师生反馈良好。",
        "已落实，佐证材料已上传。",
        "工作常态化开展，每学期有总结。",
        "纳入学校年度计划，责任到人。",
    ),
    "partial": (
        "基本落实，部分过程记录有待完善。",
        "已开展，覆盖面尚需扩大。",
        "制度已建立，执行情况不够稳定。",
        "已启动，本学期内补齐材料。",
        "部分年级已落实，其余年级正在推进。",
        "有计划，活动记录不够完整。",
    ),
    "poor": (
        "尚未落实，计划下学期启动。",
        "工作较薄弱，正在整改。",
        "暂无相关记录，已列入整改清单。",
        "条件不足，需要区里支持。",
        "师资紧张，暂未开展。",
        "正在制定方案，尚未实施。",
    ),
    "na": (
        "本校无此项工作对象，申请不适用。",
        "本校学段不涉及此项。",
        "经区里同意，本项不适用。",
        "本校无寄宿生，此项不适用。",
        "本校无相关学段学生。",
        "此项不适用于本校。",
    ),
}
"""Short self-assessment accounts by how well the school rated itself (all buckets the same length)."""

FINDING_TEXTS: dict[str, tuple[str, ...]] = {
    "good": ("查阅台账，材料齐全，情况属实。", "现场查看与自评一致。", "访谈师生，反映良好。"),
    "partial": ("过程性材料不完整，建议补充。", "部分年级尚未覆盖。", "制度已有，落实记录偏少。"),
    "poor": ("未见相关材料。", "现场核查未落实，需整改。", "访谈中师生不了解此项工作。"),
    "na": ("同意不适用。", "核实本校不涉及此项。", "情况属实，不适用。"),
}
"""Short inspector findings by the level the inspector picked (all buckets the same length)."""

CONSENSUS_FINDINGS: tuple[str, ...] = ("督导组意见不一致，组长综合认定。", "经督导组合议，以组长认定为准。")

HOSTILE_ACCOUNTS: tuple[str, ...] = (
    "=已完成全部工作，详见附件",
    "+2 场家长讲座已补充",
    '=HYPERLINK("http://example.invalid","佐证材料")',
    "+86 021-12345678 心理援助热线已公示",
)
"""Accounts that look like spreadsheet formulas: writers must keep them as text."""

BUCKETS = ("good", "partial", "poor", "na")

LEVEL_OFFSET = 0.2
"""Shifts every school's true levels: with 0.2 an average school is best on about seven items in ten."""

DIFFICULTY_SD = 0.3
"""Spread of item difficulty (in levels of a four-level scale): some items are harder to do well."""


@dataclass(frozen=True)
class District:
    """A district in CSV shape: facts (one row per school), ratings (long) and inspector assignments.

    - `facts`: school_code, school_name, stages (`primary;junior`), street, ownership (`public` or
      `private`), then every `scoring.facts.FACT_FIELDS` name (numbers; yes/no as 1/0).
    - `ratings`: school_code, item_id, rater, role (self, inspector, consensus), level (a level id
      or `NA`), account (self rows), finding (inspector and consensus rows); categorical columns.
    - `assignments`: school_code, inspector, lead (bool; one lead per school, first in order).
    """

    facts: pd.DataFrame
    ratings: pd.DataFrame
    assignments: pd.DataFrame


@dataclass(frozen=True)
class SchoolPlan:
    """Per-school parameters the ratings are drawn from; the generator draws them, the demo sets them.

    Arrays have one row per school. `inspectors` holds indexes into `inspector_ids`, -1 where a
    school has fewer inspectors than columns; column 0 is the lead inspector.
    """

    codes: np.ndarray
    stage_flags: np.ndarray
    quality: np.ndarray
    self_bias: np.ndarray
    rater_noise: np.ndarray
    inspectors: np.ndarray
    inspector_ids: tuple[str, ...]
    self_missing: np.ndarray
    inspector_missing: np.ndarray
    consensus: np.ndarray


def stage_flags(stages: Sequence[str] | np.ndarray | pd.Series) -> np.ndarray:
    """A (schools × stages) bool matrix from stage strings like `primary;junior`."""
    text = pd.Series(np.asarray(stages, dtype=object)).astype(str)
    parts = ";" + text.str.replace(" ", "", regex=False) + ";"
    return np.column_stack([parts.str.contains(f";{s.value};", regex=False).to_numpy() for s in STAGES])


# --------------------------------------------------------------------------------------------- facts


def _clip_round(values: np.ndarray, low: float, high: float | np.ndarray) -> np.ndarray:
    """Values rounded to whole numbers within [low, high], as int64."""
    return np.clip(np.rint(values), low, high).astype(np.int64)


def build_facts(
    schools: pd.DataFrame,
    flags: np.ndarray,
    students: np.ndarray,
    campuses: np.ndarray,
    quality: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Facts for the given schools, driven by their stages, size and quality; always within bounds.

    `schools` carries the school columns (code, name, stages, street, ownership) in order.
    """
    n = len(schools)
    q = np.asarray(quality, dtype=np.float64)
    students = np.asarray(students, dtype=np.int64)
    campuses = np.asarray(campuses, dtype=np.int64)
    f = flags.astype(np.int64)
    grade_vec = np.array([STAGE_GRADES[s] for s in STAGES])
    screened_vec = np.array([STAGE_SCREENED[s] for s in STAGES])
    grades = np.clip(f @ grade_vec, 1, 13)
    n_stages = f.sum(axis=1)
    special = flags[:, STAGES.index(Stage.SPECIAL)]
    vocational = flags[:, STAGES.index(Stage.VOCATIONAL)]

    def noise() -> np.ndarray:
        return rng.standard_normal(n)

    staff_ratio = np.where(special, 3.0, np.clip(12 + 1.5 * noise(), 8, 18))
    staff = _clip_round(students / staff_ratio, 10, np.inf)
    large = METRICS["fulltime_psych_staffing"].params["large_school_students"]
    required = 1 + (students >= large) + (campuses > 1) + (n_stages > 1)  # as the staffing metric counts
    fulltime = _clip_round(required - 0.3 + 0.7 * q + 0.4 * noise(), 1, required + 1)
    fulltime = np.where(q + 0.5 * noise() < -2.0, 0, fulltime)
    parttime = rng.integers(0, 4, n) + (students > 1500)
    mentor_load = np.clip(15 - 3 * q + 2 * noise(), 8, 30)
    mentors = _clip_round(students / mentor_load, 1, staff)
    n_course = f[:, [STAGES.index(s) for s in COURSE_STAGES]].sum(axis=1)
    course = np.where(q + noise() < -1.2, np.maximum(n_course - 1, 0), n_course)
    career = np.where(
        vocational,
        np.where(q + noise() > -0.8, 36.0, rng.choice(np.array([18.0, 24.0, 30.0]), n)),
        0.0,
    )
    theme = grades - _clip_round(-1.2 * q + noise(), 0, grades)
    life = grades - _clip_round(-1.2 * q + noise() - 0.3, 0, grades)
    share = (f @ screened_vec) / (f @ grade_vec).clip(min=1)
    target = _clip_round(students * np.clip(share * (1 + 0.03 * noise()), 0, 1), 0, students)
    done = _clip_round(target * np.clip(0.97 + 0.04 * q + 0.03 * noise(), 0.6, 1.0), 0, target)
    files = _clip_round(target * np.clip(0.9 + 0.1 * q + 0.1 * noise(), 0, 1), 0, target)
    parent_school = (q + 0.5 * noise() >= -2.2).astype(np.int64)
    sessions = np.where(parent_school == 1, _clip_round(4 + 2 * q + 1.5 * noise(), 0, 20), 0)
    has_room = q + 0.5 * noise() >= -2.0
    area = np.where(has_room, np.round(np.clip(55 + 20 * q + 15 * noise(), 15, 200), 1), 0.0)
    areas = np.where(has_room, _clip_round(3 + 0.8 * q + 0.7 * noise(), 1, 6), 0)
    hours = np.where(has_room, np.round(2 * np.clip(15 + 6 * q + 5 * noise(), 2, 60)) / 2, 0.0)

    values: dict[str, np.ndarray] = {
        "students": students,
        "grades": grades,
        "campuses": campuses,
        "staff": staff,
        "psych_fulltime": np.minimum(fulltime, staff),
        "psych_parttime": parttime,
        "mentors": mentors,
        "course_stages": course,
        "career_course_hours": career,
        "grades_theme_meeting": theme,
        "grades_life_activity": life,
        "screening_target": target,
        "screening_done": done,
        "student_files": files,
        "parent_school": parent_school,
        "parent_sessions": sessions,
        "room_area_m2": area,
        "room_function_areas": areas,
        "room_open_hours": hours,
    }
    out = schools.reset_index(drop=True).loc[:, list(SCHOOL_COLUMNS)].copy()
    for fact in FACT_FIELDS:
        # A fact added to FACT_FIELDS later gets its minimum until the generator learns about it.
        column = values.get(fact.name, np.full(n, fact.minimum))
        out[fact.name] = np.asarray(column, dtype=np.float64 if fact.kind == "float" else np.int64)
    return enforce_bounds(out)


def enforce_bounds(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts clipped to each field's range and to every FACT_BOUNDS pair (smaller ≤ larger)."""
    out = facts.copy()
    for fact in FACT_FIELDS:
        col = out[fact.name]
        clipped = col.clip(lower=fact.minimum, upper=fact.maximum)
        out[fact.name] = clipped.astype(col.dtype)
    for _ in range(len(FACT_BOUNDS) + 1):  # pairs may chain (done ≤ target ≤ students)
        changed = False
        for small, large in FACT_BOUNDS:
            over = out[small] > out[large]
            if over.any():
                out[small] = np.minimum(out[small], out[large]).astype(out[small].dtype)
                changed = True
        if not changed:
            break
    return out


# ------------------------------------------------------------------------------------------- ratings


def _bucket_of_slot(k: np.ndarray, kmax: int) -> np.ndarray:
    """(items × slots) bucket index: slot 0 good, last level poor, others partial, slot kmax N/A."""
    slots = np.arange(kmax + 1)[None, :]
    bucket = np.where(slots == 0, 0, np.where(slots >= k[:, None] - 1, 2, 1))
    return np.where(slots == kmax, 3, bucket)


def build_ratings(
    framework: Framework,
    plan: SchoolPlan,
    rng: np.random.Generator,
    na_rate: float = 0.05,
    hostile_rate: float = 0.0,
) -> pd.DataFrame:
    """Long ratings (self, inspector, consensus rows) for every rated item that applies to a school.

    Each (school, item) has a true position on the item's scale from the school's quality and the
    item's difficulty; inspectors add their severity and noise; the school adds its self bias
    (overraters rate themselves higher). Rows are ordered by school, role (self, inspectors in
    assignment order, consensus) and framework item order.
    """
    items = [item for item in framework.items() if not isinstance(item, QuantitativeItem)]
    n, m = len(plan.codes), len(items)
    if n == 0 or m == 0:
        return _empty_ratings()
    n_levels = np.array([len(item.levels) for item in items], dtype=np.int64)
    kmax = int(n_levels.max())
    applies = np.array([[s in item.applies_to for s in STAGES] for item in items])
    allow_na = np.array([item.allow_na for item in items])
    applicable = (plan.stage_flags.astype(np.int32) @ applies.T.astype(np.int32)) > 0

    # The true position on a four-level scale (0 best, 3 worst), rescaled to each item's own levels.
    difficulty = rng.normal(0.0, DIFFICULTY_SD, m)
    merit = LEVEL_OFFSET + 0.9 * plan.quality[:, None] + difficulty[None, :] + 0.5 * rng.standard_normal((n, m))
    position = (-merit * (n_levels[None, :] - 1) / 3).astype(np.float32)
    k_high = (n_levels - 1).astype(np.float32)[None, :]
    na = applicable & allow_na[None, :] & (rng.random((n, m)) < na_rate)

    n_insp = plan.inspectors.shape[1]
    severity = rng.normal(0.0, 0.25, len(plan.inspector_ids)).astype(np.float32)
    assigned = plan.inspectors >= 0
    insp_sev = np.where(assigned, severity[np.maximum(plan.inspectors, 0)], 0).astype(np.float32)
    noise = plan.rater_noise.astype(np.float32)
    eps = rng.standard_normal((n, n_insp, m), dtype=np.float32) * noise[:, None, None]
    insp_level = np.clip(np.rint(position[:, None, :] + insp_sev[:, :, None] + eps), 0, k_high[:, None, :])
    insp_level = insp_level.astype(np.int8)
    del eps
    self_eps = rng.standard_normal((n, m), dtype=np.float32) * noise[:, None]
    self_pos = position - plan.self_bias.astype(np.float32)[:, None] + self_eps
    self_level = np.clip(np.rint(self_pos), 0, k_high).astype(np.int8)
    del self_eps

    self_present = applicable & (rng.random((n, m)) >= plan.self_missing[:, None])
    missing_draw = rng.random((n, n_insp, m), dtype=np.float32)
    insp_present = applicable[:, None, :] & assigned[:, :, None] & (missing_draw >= plan.inspector_missing[:, :, None])
    del missing_draw

    rated = insp_present & ~na[:, None, :]
    count = rated.sum(axis=1)
    high = np.where(rated, insp_level, -1).max(axis=1)
    low = np.where(rated, insp_level, np.int8(kmax + 1)).min(axis=1)
    total = np.where(rated, insp_level, 0).sum(axis=1, dtype=np.int32)
    disputed = (count >= 2) & (high > low)
    consensus_present = plan.consensus[:, None] & disputed
    consensus_level = np.floor(total / np.maximum(count, 1) + 0.5).astype(np.int8)

    slots = n_insp + 2
    levels = np.full((n, slots, m), -1, dtype=np.int8)
    levels[:, 0, :] = np.where(self_present, np.where(na, kmax, self_level), -1)
    levels[:, 1 : n_insp + 1, :] = np.where(insp_present, np.where(na[:, None, :], kmax, insp_level), -1)
    levels[:, n_insp + 1, :] = np.where(consensus_present, consensus_level, -1)
    del insp_level, insp_present, rated

    flat = np.flatnonzero(levels.ravel() >= 0)
    school = (flat // (slots * m)).astype(np.int32)
    rest = flat % (slots * m)
    slot = (rest // m).astype(np.int32)
    item = (rest % m).astype(np.int32)
    level = levels.ravel()[flat].astype(np.int32)
    del flat, rest, levels

    level_ids: list[str] = []
    level_table = np.zeros((m, kmax + 1), dtype=np.int32)
    for i, it in enumerate(items):
        for j, lv in enumerate([*(lv.id for lv in it.levels), *([None] * (kmax - len(it.levels))), NA]):
            if lv is not None and lv not in level_ids:
                level_ids.append(lv)
            level_table[i, j] = level_ids.index(lv) if lv is not None else 0

    is_self = slot == 0
    is_consensus = slot == n_insp + 1
    role = np.where(is_self, 0, np.where(is_consensus, 2, 1)).astype(np.int8)
    insp_col = np.where(is_self | is_consensus, 0, slot - 1)
    inspector = plan.inspectors[school, insp_col]
    rater = np.where(is_self, school, n + inspector).astype(np.int32)

    bucket = _bucket_of_slot(n_levels, kmax)[item, level]
    n_acc = len(ACCOUNT_TEXTS["good"])
    account = np.where(is_self, 1 + bucket * n_acc + rng.integers(0, n_acc, len(school)), 0)
    if hostile_rate > 0:
        hostile = is_self & (rng.random(len(school)) < hostile_rate)
        hostile_text = 1 + 4 * n_acc + rng.integers(0, len(HOSTILE_ACCOUNTS), len(school))
        account = np.where(hostile, hostile_text, account)
    n_find = len(FINDING_TEXTS["good"])
    finding = 1 + bucket * n_find + rng.integers(0, n_find, len(school))
    finding = np.where(rng.random(len(school)) < 0.3, 0, finding)
    consensus_finding = 1 + 4 * n_find + rng.integers(0, len(CONSENSUS_FINDINGS), len(school))
    finding = np.where(is_self, 0, np.where(is_consensus, consensus_finding, finding))

    account_texts = ["", *(t for b in BUCKETS for t in ACCOUNT_TEXTS[b]), *HOSTILE_ACCOUNTS]
    finding_texts = ["", *(t for b in BUCKETS for t in FINDING_TEXTS[b]), *CONSENSUS_FINDINGS]
    raters = [f"{SELF_RATER_PREFIX}{c}" for c in plan.codes] + list(plan.inspector_ids)
    return pd.DataFrame(
        {
            "school_code": pd.Categorical.from_codes(school, categories=pd.Index(plan.codes, dtype=str)),
            "item_id": pd.Categorical.from_codes(item, categories=[it.id for it in items]),
            "rater": pd.Categorical.from_codes(rater, categories=pd.Index(raters, dtype=str)),
            "role": pd.Categorical.from_codes(role, categories=list(ROLES)),
            "level": pd.Categorical.from_codes(level_table[item, level], categories=level_ids),
            "account": pd.Categorical.from_codes(account, categories=account_texts),
            "finding": pd.Categorical.from_codes(finding, categories=finding_texts),
        }
    )


def _empty_ratings() -> pd.DataFrame:
    """A ratings frame without rows (no schools, or no rated items)."""
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in RATING_COLUMNS})


def build_assignments(plan: SchoolPlan) -> pd.DataFrame:
    """One row per (school, inspector) in assignment order; the first inspector of a school is the lead."""
    school, col = np.nonzero(plan.inspectors >= 0)
    ids = pd.Index(plan.inspector_ids, dtype=str)
    return pd.DataFrame(
        {
            "school_code": pd.Categorical.from_codes(school, categories=pd.Index(plan.codes, dtype=str)),
            "inspector": pd.Categorical.from_codes(plan.inspectors[school, col], categories=ids),
            "lead": col == 0,
        }
    )


# ----------------------------------------------------------------------------------------- generator


def _draw_inspectors(n: int, per_school: int, pool: int, rng: np.random.Generator) -> np.ndarray:
    """(schools × per_school) distinct inspector indexes: a random start and increasing random gaps."""
    start = rng.integers(0, pool, n)
    if per_school == 1:
        return start[:, None].astype(np.int32)
    max_gap = max(1, (pool - 1) // (per_school - 1))
    gaps = rng.integers(1, max_gap + 1, (n, per_school - 1))
    offsets = np.concatenate([np.zeros((n, 1), dtype=np.int64), np.cumsum(gaps, axis=1)], axis=1)
    return ((start[:, None] + offsets) % pool).astype(np.int32)


def _synthetic_schools(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """School columns, students and campuses for n generated schools."""
    shares = np.array([k.share for k in SCHOOL_KINDS])
    kind = rng.choice(len(SCHOOL_KINDS), n, p=shares / shares.sum())
    street_w = np.array([s[2] for s in STREETS])
    street = rng.choice(len(STREETS), n, p=street_w / street_w.sum())
    median = np.array([k.median_students for k in SCHOOL_KINDS])[kind]
    low = np.array([k.min_students for k in SCHOOL_KINDS])[kind]
    high = np.array([k.max_students for k in SCHOOL_KINDS])[kind]
    students = np.clip(np.rint(median * np.exp(0.45 * rng.standard_normal(n))), low, high).astype(np.int64)
    multi = rng.random(n) < 0.05 + 0.25 * (students > 1500)
    campuses = 1 + multi + (multi & (rng.random(n) < 0.2))
    private = rng.random(n) < np.array([k.private_share for k in SCHOOL_KINDS])[kind]

    width = max(6, len(str(n)))
    codes = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width).radd("S")
    frame = pd.DataFrame({"street": street, "kind": kind})
    seq = frame.groupby(["street", "kind"]).cumcount().to_numpy() + 1
    short = pd.Series(np.array([s[1] for s in STREETS], dtype=object)[street])
    suffix = pd.Series(np.array([k.suffix for k in SCHOOL_KINDS], dtype=object)[kind])
    prefix = pd.Series(np.where(private, "长宁区民办", "长宁区"))
    names = prefix + short + "第" + pd.Series(seq).astype(str) + suffix
    schools = pd.DataFrame(
        {
            "school_code": codes.astype(str).to_numpy(),
            "school_name": names.astype(str).to_numpy(),
            "stages": pd.Categorical.from_codes(kind, categories=[k.stages for k in SCHOOL_KINDS]),
            "street": pd.Categorical.from_codes(street, categories=[s[0] for s in STREETS]),
            "ownership": pd.Categorical.from_codes(private.astype(np.int8), categories=["public", "private"]),
        }
    )
    return schools, students, campuses


def generate_district(
    n_schools: int,
    seed: int,
    framework: Framework,
    *,
    inspectors_per_school: int = 3,
    na_rate: float = 0.05,
    overrater_share: float = 0.15,
    draft_share: float = 0.03,
    incomplete_inspection_share: float = 0.03,
    consensus_share: float = 0.3,
    hostile_rate: float = 0.001,
) -> District:
    """A synthetic district of `n_schools` rated against `framework`; the same seed gives identical frames.

    Facts depend only on the seed (not on the framework). Shares: `overrater_share` of schools rate
    themselves one to two levels high; `draft_share` left some items unrated in their self-assessment;
    `incomplete_inspection_share` have an inspector who left some items unrated; `consensus_share`
    have a lead inspector's consensus on the items the inspectors disagreed on.
    """
    if n_schools < 0:
        raise ValueError(f"n_schools must be at least 0, got {n_schools}")
    if inspectors_per_school < 1:
        raise ValueError(f"inspectors_per_school must be at least 1, got {inspectors_per_school}")
    facts_seed, plan_seed, ratings_seed = np.random.SeedSequence(seed).spawn(3)
    rng = np.random.default_rng(facts_seed)
    n = n_schools
    schools, students, campuses = _synthetic_schools(n, rng)
    quality = rng.standard_normal(n)
    flags = stage_flags(schools["stages"].astype(str).to_numpy())
    facts = build_facts(schools, flags, students, campuses, quality, rng)

    prng = np.random.default_rng(plan_seed)
    pool = max(inspectors_per_school, math.ceil(n * inspectors_per_school / SCHOOLS_PER_INSPECTOR))
    width = max(2, len(str(pool)))
    overrater = prng.random(n) < overrater_share
    incomplete = prng.random(n) < incomplete_inspection_share
    inspector_missing = np.zeros((n, inspectors_per_school))
    inspector_missing[:, -1] = np.where(incomplete, prng.uniform(0.2, 0.8, n), 0.0)
    plan = SchoolPlan(
        codes=facts["school_code"].to_numpy(dtype=str),
        stage_flags=flags,
        quality=quality,
        self_bias=np.where(overrater, prng.uniform(1.0, 2.0, n), prng.normal(0.15, 0.25, n)),
        rater_noise=np.full(n, 0.4),
        inspectors=_draw_inspectors(n, inspectors_per_school, pool, prng),
        inspector_ids=tuple(f"insp{k:0{width}d}" for k in range(1, pool + 1)),
        self_missing=np.where(prng.random(n) < draft_share, prng.uniform(0.1, 0.5, n), 0.0),
        inspector_missing=inspector_missing,
        consensus=prng.random(n) < consensus_share,
    )
    ratings = build_ratings(framework, plan, np.random.default_rng(ratings_seed), na_rate, hostile_rate)
    return District(facts=facts, ratings=ratings, assignments=build_assignments(plan))


# -------------------------------------------------------------------------------------------- files


def write_district(district: District, out_dir: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write facts.csv, ratings.csv and assignments.csv (UTF-8 without BOM, Unix line ends) into out_dir.

    Yes/no values are written as 1/0. Raises InputError (file.exists) when a file is there already,
    unless `overwrite`.
    """
    out = Path(out_dir)
    paths = [out / FACTS_FILE, out / RATINGS_FILE, out / ASSIGNMENTS_FILE]
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        raise InputError([Problem("file.exists", {"found": str(p)}, file=p.name) for p in existing])
    out.mkdir(parents=True, exist_ok=True)
    assignments = district.assignments.assign(lead=district.assignments["lead"].astype(np.int8))
    for frame, path in zip((district.facts, district.ratings, assignments), paths, strict=True):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.10g", chunksize=500_000)
    return paths


def read_district(in_dir: str | Path, framework: Framework | None = None) -> District:
    """The district written by `write_district`, in the same shape as `generate_district` gives.

    With a framework, the facts and ratings are first checked with `read_facts` and `read_ratings`
    (InputError naming file, line and column when they do not fit).
    """
    base = Path(in_dir)
    facts_text = read_csv_text(base / FACTS_FILE)
    ratings_text = read_csv_text(base / RATINGS_FILE)
    assignments_text = read_csv_text(base / ASSIGNMENTS_FILE)
    if framework is not None:
        read_facts(facts_text, file=FACTS_FILE)
        read_ratings(ratings_text, framework, facts_text["school_code"], file=RATINGS_FILE)
    facts = facts_text.copy()
    for col in ("stages", "street", "ownership"):
        if col in facts.columns:
            facts[col] = facts[col].astype("category")
    for name, fact in FACTS.items():
        if name in facts.columns:
            numbers = pd.to_numeric(facts[name])
            facts[name] = numbers.astype(np.float64 if fact.kind == "float" else np.int64)
    ratings = ratings_text.astype("category")
    lead = assignments_text["lead"].str.strip().str.lower()
    bad = np.flatnonzero((~lead.isin(["1", "0", "true", "false"])).to_numpy())
    if len(bad):
        found = assignments_text["lead"]
        where = {"file": ASSIGNMENTS_FILE, "column": "lead"}
        raise InputError([Problem("input.bad_bool", {"found": found.iloc[n]}, row=int(n) + 2, **where) for n in bad])
    assignments = assignments_text.astype({"school_code": "category", "inspector": "category"})
    assignments["lead"] = lead.isin(["1", "true"]).to_numpy()
    return District(facts=facts, ratings=ratings, assignments=assignments)


def main(
    schools: int, seed: int, out: str | Path, *, overwrite: bool = False, framework: Framework | None = None
) -> District:
    """Generate `schools` schools from `seed` against the bundled framework and write them to `out`.

    Meant for the CLI (`generate --schools N --seed S --out DIR`); 1 ≤ schools ≤ MAX_SCHOOLS.
    """
    if not 1 <= schools <= MAX_SCHOOLS:
        raise ValueError(f"schools must be between 1 and {MAX_SCHOOLS}, got {schools}")
    if framework is None:
        from criteria.loader import load_framework

        framework = load_framework()
    district = generate_district(schools, seed, framework)
    write_district(district, out, overwrite=overwrite)
    return district
