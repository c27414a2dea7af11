"""The demo district: 40 fictional Changning schools of every stage, with the cases a demo should show.

The CSV files under `sample_data/demo/` are built by this script from the hand-written table below
and a fixed seed; regenerate them after the bundled framework changes with

    python -m sample_data.demo --write

Deliberate cases (see `DemoSchool.traits`): clear model schools, drafts with items left unrated,
inspections not finished or not started, veto failures (no full-time psychology teacher, no
counselling room, more than 15 students per mentor, students due left unscreened; and, from the
generated facts, schools without the activity course in a stage), strong overraters, disputed
items settled by the lead inspector's consensus, and accounts that look like spreadsheet formulas.
School names are fictional.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.models import Framework
from sample_data.generator import (
    COURSE_STAGES,
    STAGES,
    District,
    SchoolPlan,
    build_assignments,
    build_facts,
    build_ratings,
    read_district,
    stage_flags,
    write_district,
)

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_SEED = 20250901

DEMO_INSPECTORS: dict[str, str] = {
    "insp01": "王立群",
    "insp02": "李慧敏",
    "insp03": "张建国",
    "insp04": "陈静",
    "insp05": "刘晓东",
    "insp06": "周文娟",
    "insp07": "吴志强",
    "insp08": "徐佳怡",
}
"""Inspector rater ids of the demo and their display names."""

TRAITS = frozenset(
    {
        "model",
        "draft",
        "inspection_incomplete",
        "not_inspected",
        "no_psych",
        "no_room",
        "mentor_gap",
        "screening_gap",
        "overrater",
        "disputed",
    }
)
"""The demo cases a school can show."""


@dataclass(frozen=True)
class DemoSchool:
    """One hand-written demo school: who it is, how good it is, and which demo cases it shows."""

    code: str
    name: str
    stages: str
    street: str
    students: int
    quality: float
    ownership: str = "public"
    campuses: int = 1
    traits: frozenset[str] = frozenset()
    hostile_account: str | None = None


def _s(*traits: str) -> frozenset[str]:
    """Traits of a demo school, checked against TRAITS so that a typo fails at import."""
    unknown = set(traits) - TRAITS
    if unknown:
        raise ValueError(f"unknown demo traits {sorted(unknown)}")
    return frozenset(traits)


DEMO_SCHOOLS: tuple[DemoSchool, ...] = (
    # primary
    DemoSchool("CN001", "长宁区华阳路第一小学", "primary", "华阳路街道", 860, 0.6),
    DemoSchool("CN002", "长宁区江苏路第二小学", "primary", "江苏路街道", 720, 0.3, traits=_s("disputed")),
    DemoSchool(
        "CN003",
        "长宁区新华路小学",
        "primary",
        "新华路街道",
        1050,
        1.2,
        hostile_account="=已完成全部工作，详见附件",
    ),
    DemoSchool("CN004", "长宁区周家桥小学", "primary", "周家桥街道", 640, 0.0, traits=_s("draft")),
    DemoSchool("CN005", "长宁区天山路第二小学", "primary", "天山路街道", 930, -1.1, traits=_s("overrater")),
    DemoSchool("CN006", "长宁区仙霞新村小学", "primary", "仙霞新村街道", 580, -0.2),
    DemoSchool("CN007", "长宁区虹桥实验小学", "primary", "虹桥街道", 1280, 2.5, campuses=2, traits=_s("model")),
    DemoSchool("CN008", "长宁区程家桥小学", "primary", "程家桥街道", 420, -0.4),
    DemoSchool("CN009", "长宁区北新泾第二小学", "primary", "北新泾街道", 760, 0.2, traits=_s("disputed")),
    DemoSchool(
        "CN010",
        "长宁区新泾镇中心小学",
        "primary",
        "新泾镇",
        1420,
        0.5,
        campuses=2,
        traits=_s("inspection_incomplete"),
    ),
    DemoSchool("CN011", "长宁区古北路小学", "primary", "虹桥街道", 990, 1.0),
    DemoSchool("CN012", "长宁区安化路小学", "primary", "江苏路街道", 380, -0.8, traits=_s("no_psych")),
    DemoSchool("CN013", "长宁区愚园路第三小学", "primary", "江苏路街道", 690, -1.3, traits=_s("overrater")),
    DemoSchool("CN014", "长宁区法华镇路小学", "primary", "新华路街道", 810, 0.1),
    DemoSchool(
        "CN015",
        "上海长宁区民办启明星小学",
        "primary",
        "仙霞新村街道",
        460,
        -0.6,
        "private",
        traits=_s("no_room"),
    ),
    DemoSchool(
        "CN016",
        "上海长宁区民办博雅小学",
        "primary",
        "虹桥街道",
        540,
        0.4,
        "private",
        traits=_s("not_inspected"),
    ),
    DemoSchool("CN017", "长宁区茅台路小学", "primary", "仙霞新村街道", 650, -1.4),
    DemoSchool("CN018", "长宁区泉口路小学", "primary", "新泾镇", 1100, 0.7),
    # junior secondary
    DemoSchool("CN019", "上海市延宁初级中学", "junior", "华阳路街道", 980, 2.4, traits=_s("model")),
    DemoSchool("CN020", "长宁区娄山路初级中学", "junior", "仙霞新村街道", 760, 0.0, traits=_s("disputed")),
    DemoSchool("CN021", "长宁区凯旋初级中学", "junior", "华阳路街道", 620, -1.0, traits=_s("overrater")),
    DemoSchool("CN022", "长宁区剑河初级中学", "junior", "程家桥街道", 540, -0.3, traits=_s("draft")),
    DemoSchool("CN023", "长宁区番禺初级中学", "junior", "新华路街道", 700, 0.4),
    DemoSchool("CN024", "长宁区绥宁初级中学", "junior", "北新泾街道", 830, 0.2, traits=_s("inspection_incomplete")),
    DemoSchool(
        "CN025",
        "上海市民办华新初级中学",
        "junior",
        "周家桥街道",
        1200,
        -0.7,
        "private",
        traits=_s("no_psych"),
    ),
    DemoSchool("CN026", "长宁区天山初级中学", "junior", "天山路街道", 880, 0.9),
    # nine-year schools
    DemoSchool("CN027", "长宁区新泾实验学校", "primary;junior", "新泾镇", 2100, 2.6, campuses=2, traits=_s("model")),
    DemoSchool("CN028", "长宁区虹古实验学校", "primary;junior", "虹桥街道", 1650, 0.3, traits=_s("disputed")),
    DemoSchool("CN029", "长宁区北新泾实验学校", "primary;junior", "北新泾街道", 1380, -0.5),
    DemoSchool(
        "CN030",
        "上海长宁区民办博文实验学校",
        "primary;junior",
        "程家桥街道",
        1500,
        0.8,
        "private",
        hostile_account="+2 场家长讲座已补充",
    ),
    # complete secondary
    DemoSchool(
        "CN031",
        "上海市长宁区虹霞中学",
        "junior;senior",
        "仙霞新村街道",
        1700,
        2.3,
        campuses=2,
        traits=_s("model"),
    ),
    DemoSchool("CN032", "上海市长宁区玉屏中学", "junior;senior", "天山路街道", 1450, 0.5, traits=_s("screening_gap")),
    DemoSchool("CN033", "上海市长宁区程桥中学", "junior;senior", "程家桥街道", 1250, -1.2, traits=_s("overrater")),
    # senior secondary
    DemoSchool(
        "CN034", "上海市长宁区北新泾高级中学", "senior", "北新泾街道", 900, 0.1, traits=_s("disputed", "mentor_gap")
    ),
    DemoSchool("CN035", "上海市长宁区新华路高级中学", "senior", "新华路街道", 1100, 0.6, traits=_s("draft")),
    DemoSchool("CN036", "上海市长宁区周家桥高级中学", "senior", "周家桥街道", 780, -1.5),
    # vocational
    DemoSchool("CN037", "上海市长宁区新泾职业技术学校", "vocational", "新泾镇", 1600, 0.2, traits=_s("disputed")),
    DemoSchool(
        "CN038",
        "上海市长宁区现代服务职业技术学校",
        "vocational",
        "天山路街道",
        1300,
        -0.9,
        campuses=2,
        traits=_s("no_room"),
    ),
    # special education
    DemoSchool("CN039", "长宁区启智特殊教育学校", "special", "周家桥街道", 210, 0.5),
    DemoSchool("CN040", "长宁区启慧辅读学校", "special", "华阳路街道", 160, -0.1),
)

PLAN_NORMS_QUALITY = -1.0
"""Schools of at least this quality meet the plan's norms for every school (at most 15 students per mentor,
every student due screened, the full 36-hour career course), as the district's 2025 push intends; weaker
schools and those marked `mentor_gap` or `screening_gap` keep the shortfalls the generator gave them."""

DRAFT_UNRATED_SHARE = 0.3
"""A draft school stopped before the last 30% of its items (in framework order)."""

UNFINISHED_INSPECTOR_SHARE = 0.5
"""In an unfinished inspection, the last inspector has rated only the first half of the items."""


def _team(index: int, students: int, pool: int) -> list[int]:
    """Inspector indexes of the index-th school: lead first; two inspectors for a small school, else three."""
    lead = index % pool
    team = [lead, (lead + 3) % pool, (lead + 5) % pool]
    return team[:2] if students < 600 else team


def _has(schools: Sequence[DemoSchool], trait: str) -> np.ndarray:
    """Which schools show a trait."""
    return np.array([trait in s.traits for s in schools])


def build_demo(framework: Framework, schools: Sequence[DemoSchool] = DEMO_SCHOOLS, seed: int = DEMO_SEED) -> District:
    """The demo district rated against `framework`, built from the hand-written table and a fixed seed."""
    facts_seed, ratings_seed = np.random.SeedSequence(seed).spawn(2)
    table = pd.DataFrame(
        {
            "school_code": [s.code for s in schools],
            "school_name": [s.name for s in schools],
            "stages": [s.stages for s in schools],
            "street": [s.street for s in schools],
            "ownership": [s.ownership for s in schools],
        }
    )
    flags = stage_flags(table["stages"].to_numpy())
    quality = np.array([s.quality for s in schools])
    facts = build_facts(
        table,
        flags,
        np.array([s.students for s in schools]),
        np.array([s.campuses for s in schools]),
        quality,
        np.random.default_rng(facts_seed),
    )
    facts = _override_facts(facts, schools)

    pool = tuple(DEMO_INSPECTORS)
    inspectors = np.full((len(schools), 3), -1, dtype=np.int32)
    for n, school in enumerate(schools):
        team = _team(n, school.students, len(pool))
        inspectors[n, : len(team)] = team
    overrater, disputed = _has(schools, "overrater"), _has(schools, "disputed")
    plan = SchoolPlan(
        codes=table["school_code"].to_numpy(dtype=str),
        stage_flags=flags,
        quality=quality,
        self_bias=np.where(overrater, 2.0, np.where(_has(schools, "model"), 0.0, 0.2)),
        rater_noise=np.where(disputed, 0.55, 0.35),
        inspectors=inspectors,
        inspector_ids=pool,
        self_missing=np.zeros(len(schools)),
        inspector_missing=np.zeros(inspectors.shape),
        consensus=disputed,
    )
    ratings = build_ratings(framework, plan, np.random.default_rng(ratings_seed), na_rate=0.05)
    ratings = _unfinished(ratings, schools, plan)
    ratings = _hostile_accounts(ratings, schools)
    return District(facts=facts, ratings=ratings, assignments=build_assignments(plan))


def _override_facts(facts: pd.DataFrame, schools: Sequence[DemoSchool]) -> pd.DataFrame:
    """Model schools get exemplary facts; veto cases lose their psychology teacher or counselling room."""
    out = facts.copy()
    model, no_psych, no_room = _has(schools, "model"), _has(schools, "no_psych"), _has(schools, "no_room")
    vocational = out["stages"].astype(str).str.contains("vocational").to_numpy()
    flags = stage_flags(out["stages"].astype(str).to_numpy())
    course_stages = flags[:, [STAGES.index(s) for s in COURSE_STAGES]].sum(axis=1)
    exemplary: dict[str, np.ndarray] = {
        "psych_fulltime": np.full(len(out), 4),
        "staff": np.maximum(out["staff"], np.ceil(out["students"] / 10)).to_numpy(),
        "mentors": np.ceil(out["students"] / 12).to_numpy(),
        "course_stages": course_stages,
        "career_course_hours": np.where(vocational, 36.0, 0.0),
        "grades_theme_meeting": out["grades"].to_numpy(),
        "grades_life_activity": out["grades"].to_numpy(),
        "screening_done": out["screening_target"].to_numpy(),
        "student_files": out["screening_target"].to_numpy(),
        "parent_school": np.ones(len(out)),
        "parent_sessions": np.full(len(out), 8),
        "room_area_m2": np.full(len(out), 86.0),
        "room_function_areas": np.full(len(out), 5),
        "room_open_hours": np.full(len(out), 30.0),
    }
    for name, values in exemplary.items():
        out[name] = np.where(model, values, out[name]).astype(out[name].dtype)
    out["psych_fulltime"] = np.where(no_psych, 0, out["psych_fulltime"])
    out["psych_parttime"] = np.where(no_psych, np.maximum(out["psych_parttime"], 2), out["psych_parttime"])
    for name in ("room_area_m2", "room_function_areas", "room_open_hours"):
        out[name] = np.where(no_room, 0, out[name]).astype(out[name].dtype)
    return _plan_norms(out, schools)


def _plan_norms(facts: pd.DataFrame, schools: Sequence[DemoSchool]) -> pd.DataFrame:
    """Schools at PLAN_NORMS_QUALITY or better meet the plan's per-school norms, except where marked."""
    out = facts.copy()
    norms = np.array([s.quality >= PLAN_NORMS_QUALITY for s in schools])
    mentors_ok = norms & ~_has(schools, "mentor_gap")
    screened_ok = norms & ~_has(schools, "screening_gap")
    vocational = out["stages"].astype(str).str.contains("vocational").to_numpy()
    enough = np.ceil(out["students"] / 15).astype(out["mentors"].dtype)
    out["mentors"] = np.where(mentors_ok, np.maximum(out["mentors"], enough), out["mentors"])
    out["staff"] = np.maximum(out["staff"], out["mentors"]).astype(out["staff"].dtype)
    out["screening_done"] = np.where(screened_ok, out["screening_target"], out["screening_done"])
    out["career_course_hours"] = np.where(norms & vocational, 36.0, out["career_course_hours"])
    return out


def _unfinished(ratings: pd.DataFrame, schools: Sequence[DemoSchool], plan: SchoolPlan) -> pd.DataFrame:
    """Drop the ratings a draft or an unfinished inspection has not reached yet (the last items in order)."""
    codes = ratings["school_code"].astype(str)
    role = ratings["role"].astype(str)
    rater = ratings["rater"].astype(str)
    position = ratings.groupby(["school_code", "rater", "role"], observed=True).cumcount()
    size = ratings.groupby(["school_code", "rater", "role"], observed=True)["item_id"].transform("size")
    drafts = {s.code for s in schools if "draft" in s.traits}
    unfinished = {s.code for s in schools if "inspection_incomplete" in s.traits}
    not_started = {s.code for s in schools if "not_inspected" in s.traits}
    teams = zip(plan.codes, plan.inspectors, strict=True)
    last_inspector = {code: plan.inspector_ids[team[team >= 0][-1]] for code, team in teams}
    keep_share = pd.Series(1.0, index=ratings.index)
    keep_share[codes.isin(drafts) & (role == "self")] = 1 - DRAFT_UNRATED_SHARE
    last = rater == codes.map(last_inspector)
    keep_share[codes.isin(unfinished) & (role == "inspector") & last] = 1 - UNFINISHED_INSPECTOR_SHARE
    keep_share[codes.isin(not_started) & (role != "self")] = 0.0
    keep = position < np.floor(size * keep_share)
    return ratings[keep.to_numpy()].reset_index(drop=True)


def _hostile_accounts(ratings: pd.DataFrame, schools: Sequence[DemoSchool]) -> pd.DataFrame:
    """Put each school's formula-looking account on its first self rating."""
    out = ratings.copy()
    account = out["account"].astype(str)
    for school in schools:
        if school.hostile_account is None:
            continue
        rows = np.flatnonzero(((out["school_code"] == school.code) & (out["role"] == "self")).to_numpy())
        if len(rows):
            account.iloc[rows[0]] = school.hostile_account
    out["account"] = account.astype("category")
    return out


def load_demo(framework: Framework) -> District:
    """The committed demo district, checked against `framework` (InputError when it does not fit)."""
    return read_district(DEMO_DIR, framework)


def write_demo(framework: Framework, out_dir: str | Path = DEMO_DIR) -> list[Path]:
    """Build the demo against `framework` and write its CSV files, replacing those there."""
    return write_district(build_demo(framework), out_dir, overwrite=True)


def _main(argv: Sequence[str] | None = None) -> int:
    """`python -m sample_data.demo [--write] [--out DIR]`: build the demo, write it, print a summary."""
    parser = argparse.ArgumentParser(prog="python -m sample_data.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rebuild the CSV files against the bundled framework")
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help=f"output folder (default {DEMO_DIR})")
    args = parser.parse_args(argv)
    from criteria.loader import load_framework

    framework = load_framework()
    district = build_demo(framework)
    if args.write:
        for path in write_district(district, args.out, overwrite=True):
            print(path)
    roles = district.ratings["role"].value_counts().to_dict()
    print(f"{len(district.facts)} schools, {len(district.ratings)} ratings {roles}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
