"""Properties of the engine that hold for any district (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import NA, QuantitativeItem, load_framework
from scoring import score_district
from scoring.inputs import read_facts, read_ratings
from testkit import facts_rows

FW = load_framework(__import__("pathlib").Path(__file__).parents[1] / "data" / "mini.yaml")
RATED = [item for item in FW.items() if not isinstance(item, QuantitativeItem)]
STAGES = ["primary", "junior", "senior", "vocational", "special", "primary;junior"]


def school_strategy():
    level_choice = {
        item.id: st.sampled_from([*(lv.id for lv in item.levels), *([NA] if item.allow_na else []), None])
        for item in RATED
    }
    return st.fixed_dictionaries(
        {
            "stages": st.sampled_from(STAGES),
            "mentors": st.integers(0, 30),
            "levels": st.fixed_dictionaries(level_choice),
        }
    )


def build(schools):
    codes = [f"S{n}" for n in range(len(schools))]
    raw = pd.concat([facts_rows((c, s["stages"]), mentors=s["mentors"]) for c, s in zip(codes, schools, strict=True)])
    facts = read_facts(raw)
    rows = [
        (c, item, "self-user", "self", lv)
        for c, s in zip(codes, schools, strict=True)
        for item, lv in s["levels"].items()
        if lv
    ]
    ratings = read_ratings(
        pd.DataFrame(rows, columns=["school_code", "item_id", "rater", "role", "level"]), FW, facts.index
    )
    return facts, ratings


common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(st.lists(school_strategy(), min_size=1, max_size=6))
def test_score_stays_within_0_and_100(schools):
    facts, ratings = build(schools)
    scores = score_district(FW, facts, ratings).self_view.score_100
    finite = scores[~np.isnan(scores)]
    assert ((finite >= 0) & (finite <= 100)).all()


@common
@given(school_strategy(), st.data())
def test_raising_one_level_never_lowers_any_score(school, data):
    rated = [i for i in RATED if school["levels"][i.id] not in (None, NA) and i.levels[0].id != school["levels"][i.id]]
    if not rated:
        return
    item = data.draw(st.sampled_from(rated))
    ids = [lv.id for lv in item.levels]
    raised = dict(school["levels"]) | {item.id: ids[ids.index(school["levels"][item.id]) - 1]}
    before = score_district(FW, *build([school])).self_view
    after = score_district(FW, *build([school | {"levels": raised}])).self_view
    assert (after.earned_items >= before.earned_items).all()
    assert (np.nan_to_num(after.domain_pct, nan=0) >= np.nan_to_num(before.domain_pct, nan=0)).all()
    assert after.score_100[0] >= before.score_100[0]
    assert after.tier_index[0] >= before.tier_index[0]


@common
@given(school_strategy(), st.data())
def test_marking_na_never_changes_another_items_score(school, data):
    allow = [i for i in RATED if i.allow_na]
    item = data.draw(st.sampled_from(allow))
    before = score_district(FW, *build([school])).self_view
    after = score_district(FW, *build([school | {"levels": dict(school["levels"]) | {item.id: NA}}])).self_view
    others = [n for n, i in enumerate(FW.items()) if i.id != item.id]
    assert (after.earned_items[:, others] == before.earned_items[:, others]).all()


@common
@given(st.lists(school_strategy(), min_size=2, max_size=6))
def test_many_at_once_equals_each_alone(schools):
    together = score_district(FW, *build(schools)).to_frame("en").reset_index(drop=True)
    alone = pd.concat([score_district(FW, *build([s])).to_frame("en") for s in schools]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        together.drop(columns=["school_name"]), alone.drop(columns=["school_name"]), check_dtype=False
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 2), st.sampled_from([-2, 0, 1, 2, 3])), max_size=60),
    st.integers(1, 4),
)
def test_the_median_counted_in_blocks_of_schools_is_the_median_counted_at_once(votes, block):
    """Votes grouped by school are counted a block of schools at a time: the same medians and counts as all at once."""
    from scoring.levels import ROLE_CODES, EncodedRatings, _lower_median

    votes = sorted(votes)  # grouped by school, as exports write them
    school = np.array([v[0] for v in votes], dtype=np.int32)
    enc = EncodedRatings(
        school,
        np.array([v[1] for v in votes], dtype=np.int16),
        np.array([v[2] for v in votes], dtype=np.int16),
        np.full(len(votes), ROLE_CODES["inspector"], dtype=np.int8),
        np.zeros(len(votes), dtype=np.int32),
        np.array(["p"], dtype=object),
    )
    at_once = EncodedRatings(enc.school[::-1], enc.item[::-1], enc.level[::-1], enc.role, enc.rater, enc.raters)
    blocks, whole = _lower_median(7, 3, enc, block), _lower_median(7, 3, at_once)  # reversed: not grouped, all at once
    assert blocks[0].tolist() == whole[0].tolist() and blocks[1].tolist() == whole[1].tolist()


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_view_scored_in_chunks_on_every_core_is_the_view_scored_at_once(chunk):
    """Large districts are scored a chunk of schools per core at a time: the same sums as one chunk.

    (To the last bits: a chunk of one school takes BLAS's vector product, whose sums may differ in the
    last place; tiers compare with a tolerance of 1e-9.)
    """
    from sample_data.generator import generate_district
    from scoring.engine import score_view

    fw = load_framework()
    district = generate_district(150, seed=5, framework=fw)
    result = score_district(fw, read_facts(district.facts.astype(str)), district.ratings)
    for view in (result.self_view, result.inspection):
        again = score_view(result.compiled, view.name, view.levels, view.present, view.units, chunk=chunk)
        for field in ("domain_earned", "domain_possible", "earned", "possible"):
            np.testing.assert_allclose(getattr(again, field), getattr(view, field), rtol=0, atol=1e-9, err_msg=field)
