"""The synthetic district generator: deterministic, valid for the readers, realistic in shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import Framework, QuantitativeItem, Stage
from i18n.problems import InputError
from sample_data.generator import (
    ASSIGNMENTS_FILE,
    FACTS_FILE,
    HOSTILE_ACCOUNTS,
    RATINGS_FILE,
    SCHOOL_KINDS,
    STREETS,
    District,
    generate_district,
    main,
    read_district,
    write_district,
)
from scoring.facts import FACT_BOUNDS, FACT_FIELDS
from scoring.inputs import read_facts, read_ratings


def assert_frames_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same columns, dtypes and values (categoricals compared by categories and codes, which is fast)."""
    assert list(a.columns) == list(b.columns)
    assert a.dtypes.astype(str).tolist() == b.dtypes.astype(str).tolist()
    for col in a.columns:
        if isinstance(a[col].dtype, pd.CategoricalDtype):
            assert a[col].cat.categories.equals(b[col].cat.categories), col
            np.testing.assert_array_equal(a[col].cat.codes.to_numpy(), b[col].cat.codes.to_numpy(), err_msg=col)
        else:
            assert a[col].equals(b[col]), col


def assert_same(a: District, b: District) -> None:
    assert_frames_identical(a.facts, b.facts)
    assert_frames_identical(a.ratings, b.ratings)
    assert_frames_identical(a.assignments, b.assignments)


def applicable_items(framework: Framework, stages: str) -> set[str]:
    """Rated items (not computed) whose stages overlap the school's."""
    own = {Stage(s) for s in stages.split(";")}
    return {
        item.id for item in framework.items() if not isinstance(item, QuantitativeItem) and own & set(item.applies_to)
    }


def check_facts_bounds(facts: pd.DataFrame) -> None:
    for fact in FACT_FIELDS:
        values = facts[fact.name].to_numpy(dtype=float)
        assert (values >= fact.minimum).all(), fact.name
        if fact.maximum is not None:
            assert (values <= fact.maximum).all(), fact.name
        if fact.kind in ("int", "bool"):
            assert (values == np.round(values)).all(), fact.name
        if fact.kind == "bool":
            assert set(np.unique(values)) <= {0.0, 1.0}, fact.name
    for small, large in FACT_BOUNDS:
        assert (facts[small] <= facts[large]).all(), (small, large)


# ------------------------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_frames(built_framework: Framework) -> None:
    assert_same(generate_district(300, 7, built_framework), generate_district(300, 7, built_framework))


def test_different_seeds_give_different_districts(built_framework: Framework) -> None:
    a, b = generate_district(300, 7, built_framework), generate_district(300, 8, built_framework)
    assert not a.facts.equals(b.facts)
    assert not a.ratings.equals(b.ratings)


def test_facts_depend_on_the_seed_only(built_framework: Framework, make_framework: Callable[..., Framework]) -> None:
    small = make_framework(rated=3, quantitative=1)
    a, b = generate_district(200, 3, built_framework), generate_district(200, 3, small)
    assert_frames_identical(a.facts, b.facts)
    assert_frames_identical(a.assignments, b.assignments)


# --------------------------------------------------------------------------------- valid for readers


def test_written_files_pass_the_readers(framework: Framework, tmp_path: Path) -> None:
    district = generate_district(250, 11, framework)
    write_district(district, tmp_path)
    facts = read_facts(tmp_path / FACTS_FILE)
    ratings = read_ratings(tmp_path / RATINGS_FILE, framework, facts.index)
    assert len(facts) == 250
    assert len(ratings) == len(district.ratings)
    assert set(ratings["role"]) == {"self", "inspector", "consensus"}
    text = (tmp_path / RATINGS_FILE).read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    assert "\r" not in text


def test_frames_pass_the_readers_directly(framework: Framework) -> None:
    district = generate_district(120, 2, framework)
    facts = read_facts(district.facts)
    read_ratings(district.ratings, framework, facts.index)


def test_read_district_round_trip(built_framework: Framework, tmp_path: Path) -> None:
    district = generate_district(80, 5, built_framework)
    write_district(district, tmp_path)
    back = read_district(tmp_path, built_framework)
    for name in ("facts", "ratings", "assignments"):
        ours, theirs = getattr(district, name), getattr(back, name)
        assert list(ours.columns) == list(theirs.columns)
        for col in ours.columns:
            left, right = ours[col], theirs[col]
            if pd.api.types.is_numeric_dtype(left) or pd.api.types.is_bool_dtype(left):
                np.testing.assert_array_equal(left.to_numpy(), right.to_numpy(), err_msg=f"{name}.{col}")
            else:
                assert left.astype(str).tolist() == right.astype(str).tolist(), f"{name}.{col}"


def test_write_refuses_to_overwrite(built_framework: Framework, tmp_path: Path) -> None:
    district = generate_district(5, 1, built_framework)
    write_district(district, tmp_path)
    with pytest.raises(InputError) as caught:
        write_district(district, tmp_path)
    assert {p.key for p in caught.value.problems} == {"file.exists"}
    write_district(district, tmp_path, overwrite=True)


def test_main_writes_the_three_files(built_framework: Framework, tmp_path: Path) -> None:
    district = main(40, 9, tmp_path / "out", framework=built_framework)
    for name in (FACTS_FILE, RATINGS_FILE, ASSIGNMENTS_FILE):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert len(district.facts) == 40
    lead = pd.read_csv(tmp_path / "out" / ASSIGNMENTS_FILE)["lead"]
    assert set(lead) == {0, 1}


@pytest.mark.parametrize("schools", [0, -1, 100_001])
def test_main_refuses_sizes_out_of_range(built_framework: Framework, tmp_path: Path, schools: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 100000"):
        main(schools, 1, tmp_path, framework=built_framework)


# ------------------------------------------------------------------------------------- sizes, shape


def test_sizes_and_assignments(built_framework: Framework) -> None:
    district = generate_district(400, 4, built_framework, inspectors_per_school=3)
    facts, ratings, assignments = district.facts, district.ratings, district.assignments
    assert len(facts) == 400 and facts["school_code"].is_unique
    assert list(facts.columns[:5]) == ["school_code", "school_name", "stages", "street", "ownership"]
    assert list(facts.columns[5:]) == [f.name for f in FACT_FIELDS]
    assert list(ratings.columns) == ["school_code", "item_id", "rater", "role", "level", "account", "finding"]
    assert len(assignments) == 1200
    per_school = assignments.groupby("school_code", observed=True)
    assert (per_school["inspector"].nunique() == 3).all()
    assert (per_school["lead"].sum() == 1).all()
    assert all(isinstance(ratings[c].dtype, pd.CategoricalDtype) for c in ratings.columns)


def test_ratings_follow_the_rules(built_framework: Framework) -> None:
    district = generate_district(300, 6, built_framework)
    ratings = district.ratings.astype(str)
    stages = district.facts.set_index("school_code")["stages"].astype(str)
    computed = {item.id for item in built_framework.items() if isinstance(item, QuantitativeItem)}
    assert not set(ratings["item_id"]) & computed
    allowed = {code: applicable_items(built_framework, s) for code, s in stages.items()}
    assert all(item in allowed[code] for code, item in zip(ratings["school_code"], ratings["item_id"], strict=True))

    self_rows = ratings[ratings["role"] == "self"]
    assert (self_rows["rater"] == "school-" + self_rows["school_code"]).all()
    assert not self_rows.duplicated(["school_code", "item_id"]).any()
    assert (self_rows["finding"] == "").all()

    assigned = set(
        zip(
            district.assignments["school_code"].astype(str),
            district.assignments["inspector"].astype(str),
            strict=True,
        )
    )
    inspector_rows = ratings[ratings["role"] == "inspector"]
    assert set(zip(inspector_rows["school_code"], inspector_rows["rater"], strict=True)) <= assigned
    assert (inspector_rows["account"] == "").all()
    assert (inspector_rows["finding"] == "").mean() == pytest.approx(0.3, abs=0.05)

    leads = district.assignments[district.assignments["lead"]]
    lead_of = dict(zip(leads["school_code"].astype(str), leads["inspector"].astype(str), strict=True))
    consensus = ratings[ratings["role"] == "consensus"]
    assert len(consensus) > 0
    assert (consensus["rater"] == consensus["school_code"].map(lead_of)).all()
    spread = inspector_rows[inspector_rows["level"] != "NA"].groupby(["school_code", "item_id"])["level"].nunique()
    disputed = set(spread[spread > 1].index)
    assert set(zip(consensus["school_code"], consensus["item_id"], strict=True)) <= disputed


def test_na_only_where_allowed_and_shared_by_raters(built_framework: Framework) -> None:
    ratings = generate_district(500, 8, built_framework, na_rate=0.2).ratings.astype(str)
    na = ratings[ratings["level"] == "NA"]
    assert len(na) > 0
    assert set(na["item_id"]) <= {item.id for item in built_framework.items() if item.allow_na}
    # N/A is a fact about the school: whoever rated the item said N/A
    per_cell = (ratings["level"] == "NA").groupby([ratings["school_code"], ratings["item_id"]]).mean()
    assert set(per_cell.unique()) <= {0.0, 1.0}


@pytest.mark.parametrize("per_school", [1, 2, 5])
def test_inspectors_per_school(built_framework: Framework, per_school: int) -> None:
    district = generate_district(60, 1, built_framework, inspectors_per_school=per_school)
    counts = district.assignments.groupby("school_code", observed=True)["inspector"].nunique()
    assert (counts == per_school).all()
    inspector_rows = district.ratings[district.ratings["role"] == "inspector"]
    assert inspector_rows.groupby("school_code", observed=True)["rater"].nunique().max() == per_school


def test_empty_district(built_framework: Framework) -> None:
    district = generate_district(0, 1, built_framework)
    assert district.facts.empty and district.ratings.empty and district.assignments.empty


# -------------------------------------------------------------------------------------- realism


def test_facts_respect_bounds_and_stages(built_framework: Framework) -> None:
    facts = generate_district(3000, 12, built_framework).facts
    check_facts_bounds(facts)
    assert facts["students"].between(150, 3000).all()
    grades = {
        "primary": 5,
        "junior": 4,
        "primary;junior": 9,
        "junior;senior": 7,
        "senior": 3,
        "vocational": 3,
    }
    for stages, expected in grades.items():
        assert (facts.loc[facts["stages"] == stages, "grades"] == expected).all(), stages
    vocational = facts["stages"].astype(str).str.contains("vocational")
    assert (facts.loc[~vocational, "career_course_hours"] == 0).all()
    assert (facts.loc[vocational, "career_course_hours"] > 0).all()
    ratio = facts.loc[facts["stages"] != "special", "students"] / facts.loc[facts["stages"] != "special", "staff"]
    assert 10 <= ratio.median() <= 14
    assert 0.005 < (facts["psych_fulltime"] == 0).mean() < 0.08
    assert 0.005 < (facts["room_area_m2"] == 0).mean() < 0.08


def test_stage_mix_streets_and_ownership(built_framework: Framework) -> None:
    facts = generate_district(6000, 13, built_framework).facts
    shares = facts["stages"].astype(str).value_counts(normalize=True)
    for kind in SCHOOL_KINDS:
        assert shares[kind.stages] == pytest.approx(kind.share, abs=0.02), kind.stages
    assert set(facts["street"].astype(str)) == {s[0] for s in STREETS}
    private = (facts["ownership"] == "private").mean()
    assert 0.05 < private < 0.15
    assert not ((facts["ownership"] == "private") & (facts["stages"].isin(["vocational", "special"]))).any()
    assert facts["school_name"].str.startswith("长宁区").all()


def test_quality_links_facts_levels_and_overrating(built_framework: Framework) -> None:
    district = generate_district(2000, 21, built_framework, overrater_share=0.15)
    fraction = {(i.id, lv.id): lv.fraction for i in built_framework.items() for lv in i.levels}
    ratings = district.ratings.astype(str)
    rated = ratings[ratings["level"] != "NA"]
    values = [fraction[key] for key in zip(rated["item_id"], rated["level"], strict=True)]
    rated = rated.assign(fraction=values)
    mean = rated.groupby(["school_code", "role"])["fraction"].mean().unstack()
    gap = mean["self"] - mean["inspector"]
    assert gap.mean() > 0.01  # schools tend to rate themselves higher
    assert 0.05 < (gap > 0.12).mean() < 0.30  # a minority of strong overraters
    facts = district.facts.set_index("school_code")
    # the same latent quality drives facts and ratings
    staffed = facts["psych_fulltime"] > 0
    assert mean.loc[staffed[staffed].index, "inspector"].mean() > mean.loc[staffed[~staffed].index, "inspector"].mean()


def test_hostile_accounts_appear_at_the_given_rate(built_framework: Framework) -> None:
    ratings = generate_district(3000, 2, built_framework, hostile_rate=0.01).ratings
    hostile = ratings["account"].astype(str).isin(HOSTILE_ACCOUNTS)
    assert hostile.sum() > 100
    assert (ratings.loc[hostile, "role"] == "self").all()
    assert (
        generate_district(300, 2, built_framework, hostile_rate=0.0)
        .ratings["account"]
        .astype(str)
        .str[:1]
        .isin(["=", "+"])
        .sum()
        == 0
    )


def test_incomplete_self_and_inspection(built_framework: Framework) -> None:
    district = generate_district(1000, 31, built_framework, draft_share=0.1, incomplete_inspection_share=0.1)
    ratings = district.ratings.astype(str)
    stages = district.facts.set_index("school_code")["stages"].astype(str)
    expected = stages.map(lambda s: len(applicable_items(built_framework, s)))
    self_count = ratings[ratings["role"] == "self"].groupby("school_code").size().reindex(stages.index, fill_value=0)
    short = (self_count < expected).mean()
    assert 0.05 < short < 0.15
    per_inspector = ratings[ratings["role"] == "inspector"].groupby(["school_code", "rater"]).size()
    short_inspector = per_inspector < expected.reindex(per_inspector.index.get_level_values(0)).to_numpy()
    assert 0.01 < short_inspector.mean() < 0.1


def test_large_district_is_compact(built_framework: Framework) -> None:
    district = generate_district(10_000, 1, built_framework)
    assert len(district.ratings) > 500_000
    assert district.ratings.memory_usage(deep=True).sum() < 40 * len(district.ratings)


# ----------------------------------------------------------------------------------- property test


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    per_school=st.integers(min_value=1, max_value=4),
)
def test_any_small_district_is_valid(built_framework: Framework, n: int, seed: int, per_school: int) -> None:
    district = generate_district(n, seed, built_framework, inspectors_per_school=per_school)
    facts = read_facts(district.facts)
    read_ratings(district.ratings, built_framework, facts.index)
    check_facts_bounds(district.facts)
    assert len(district.facts) == n
    assert len(district.assignments) == n * per_school
    assert (district.assignments.groupby("school_code", observed=True)["lead"].sum() == 1).all()
    assert_same(district, generate_district(n, seed, built_framework, inspectors_per_school=per_school))
