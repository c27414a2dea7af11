"""Re-scoring under another version, a school across cycles, side by side, weakest items, rankings.

Hand computations use mini.yaml and its version 2 (see conftest.py).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from criteria import load_framework
from sample_data.demo import load_demo
from scoring import read_facts, read_ratings, score_district
from scoring.compare import (
    compare_results,
    decode_ratings,
    rescore,
    school_across_cycles,
    side_by_side,
    tier_ids,
)
from scoring.district import filter_schools, ranking, tier_distribution, weakest_items


@pytest.fixture
def cycle_2024(mini, make_district, make_ratings):
    """P (primary, 15 per mentor): consensus i1 B, i2 Y, i3 A; self i1 C, i2 Y, i3 B.
    Official inspection: 4 × .5 + 2 + 3 + 1 = 8 / 10 = 80 → standard (model needs 90)."""
    facts = make_district(("P", "primary", {}), ("Q", "junior", {}))
    rows = [
        ("P", "i1", "lead", "consensus", "B"),
        ("P", "i2", "lead", "consensus", "Y"),
        ("P", "i3", "lead", "consensus", "A"),
        ("P", "i1", "school", "self", "C"),
        ("P", "i2", "school", "self", "Y"),
        ("P", "i3", "school", "self", "B"),
        ("Q", "i1", "lead", "consensus", "A"),
        ("Q", "i2", "lead", "consensus", "Y"),
    ]
    return score_district(mini, facts, make_ratings(mini, facts, rows))


def test_rescoring_leaves_the_official_result_alone(cycle_2024, mini_v2):
    official = cycle_2024
    arrays = ("levels", "earned_items", "possible_items", "present")
    before = {
        (view, name): getattr(official.view(view), name).copy() for view in ("self", "inspection") for name in arrays
    }
    frame_before = official.to_frame()
    rescored = rescore(official, mini_v2)
    assert rescored.result is not official
    assert rescored.result.compiled.framework.version == "2"
    assert official.compiled.framework.version == "1"
    for (view, name), values in before.items():
        assert np.array_equal(getattr(official.view(view), name), values), (view, name)
    pd.testing.assert_frame_equal(official.to_frame(), frame_before)


def test_rescoring_by_hand(cycle_2024, mini_v2):
    """v2 for P: i1 B .4 × 3 = 1.2, i5 unrated 0 of 4, i2 Y 2, i4 15 per mentor → B (A ≤ 12) .5:
    inspection 3.7 / 10 = 37 → no tier (65 needed). Self: i1 C no longer exists → unrated; 2 + .5 = 25.
    Dropped: i3's two ratings (item removed) and P's self C on i1 (level gone)."""
    rescored = rescore(cycle_2024, mini_v2)
    new = rescored.result
    assert new.inspection.score_100[0] == pytest.approx(37.0)
    assert new.self_view.score_100[0] == pytest.approx(25.0)
    assert rescored.removed_item_ratings == 2
    lost = rescored.lost_levels
    assert lost[["school_code", "item_id", "role", "level", "reason"]].values.tolist() == [
        ["P", "i1", "self", "C", "unknown_level"]
    ]
    assert rescored.new_items == ("i5",)
    diff = compare_results(cycle_2024, new).loc["P"]
    assert (diff["score_before"], diff["score_after"]) == pytest.approx((80.0, 37.0))
    assert diff["change"] == pytest.approx(-43.0)
    assert (diff["tier_before"], diff["tier_after"], diff["tier_changed"]) == ("standard", "none", True)


def test_decoded_ratings_score_the_same_on_the_demo():
    """Round trip on the demo district: ratings decoded from a result score to the same result."""
    fw = load_framework()
    demo = load_demo(fw)
    facts = read_facts(demo.facts.astype(str))
    result = score_district(fw, facts, read_ratings(demo.ratings, fw, facts.index))
    again = score_district(fw, facts, decode_ratings(result))
    assert np.array_equal(again.inspection.levels, result.inspection.levels)
    assert np.array_equal(again.self_view.levels, result.self_view.levels)
    same = rescore(result, fw)
    assert same.dropped.empty
    assert np.allclose(same.result.inspection.score_100, result.inspection.score_100, equal_nan=True)


def test_a_school_across_cycles_on_shared_items(cycle_2024, mini_v2, make_district, make_ratings):
    """Shared and comparable: i2, i4 (i1's levels changed, i3 removed, i5 new).
    2024 P: i2 Y, i4 A (15 ≤ 15) → D2 of v2 (i2 + i4): 3 / 3 = 100%.
    2025 P, 25 mentors (12 each): i2 N, i4 A (12 ≤ 12) → 1 / 3 = 33.3%."""
    facts = make_district(("P", "primary", {"mentors": 25}))
    rows = [("P", "i1", "lead", "consensus", "A"), ("P", "i2", "lead", "consensus", "N")]
    cycle_2025 = score_district(mini_v2, facts, make_ratings(mini_v2, facts, rows))
    cmp = school_across_cycles({"2024": cycle_2024, "2025": cycle_2025}, "P")
    assert cmp.items == ("i2", "i4")
    assert cmp.excluded == ("i1", "i5", "i3")
    assert cmp.levels.to_dict("index") == {"i2": {"2024": "Y", "2025": "N"}, "i4": {"2024": "A", "2025": "A"}}
    assert cmp.fractions.loc["i2"].tolist() == [1.0, 0.0]
    assert cmp.domain_pct.index.tolist() == ["D2"]
    assert cmp.domain_pct.loc["D2"].tolist() == pytest.approx([100.0, 100 / 3])
    assert cmp.score_pct.tolist() == pytest.approx([100.0, 100 / 3])
    absent = school_across_cycles({"2024": cycle_2024, "2025": cycle_2025}, "Q")
    assert absent.levels["2025"].tolist() == ["", ""]
    assert math.isnan(absent.score_pct["2025"])


@pytest.fixture
def four_schools(mini, make_district, make_ratings):
    """i1 A, B, C, C and i2 Y, Y, N, NA (consensus) for A1..A4; A3 and A4 are junior (i3 not applicable),
    A2 has 25 per mentor (i4 D). i3: A1 B, A2 B."""
    facts = make_district(
        ("A1", "primary", {"street": "华阳路街道"}),
        ("A2", "primary", {"mentors": 12, "street": "新华路街道", "ownership": "private"}),
        ("A3", "junior", {"street": "华阳路街道"}),
        ("A4", "junior;senior", {"street": "新华路街道"}),
        ("A5", "primary", {"street": "华阳路街道"}),
    )
    levels = {"A1": ("A", "Y", "B"), "A2": ("B", "Y", "B"), "A3": ("C", "N", None), "A4": ("C", "NA", None)}
    rows = [
        (code, item, "lead", "consensus", lv)
        for code, triple in levels.items()
        for item, lv in zip(("i1", "i2", "i3"), triple, strict=True)
        if lv is not None
    ]
    return score_district(mini, facts, make_ratings(mini, facts, rows))


def test_weakest_items_by_hand(four_schools):
    """i1: (1 + .5 + 0 + 0) / 4 = .375, below B: 2 / 4, lost 4 × (0 + .5 + 1 + 1) = 10.
    i2 (yes/no, no level B: below its best): (1 + 1 + 0) / 3, below 1 / 3, lost 2.
    i3: B, B → .6, below B: 0, lost 3 × .4 × 2 = 2.4.  i4: A, D, A, A → .75, below 1 / 4, lost 1.
    A5 has no inspection ratings and is left out."""
    weak = weakest_items(four_schools)
    assert weak.index.tolist() == ["i1", "i3", "i2", "i4"]
    assert weak.loc["i1", ["schools", "mean_fraction", "below_share", "points_lost"]].tolist() == pytest.approx(
        [4, 0.375, 0.5, 10.0]
    )
    assert weak.loc["i2", ["schools", "mean_fraction", "below_share", "points_lost"]].tolist() == pytest.approx(
        [3, 2 / 3, 1 / 3, 2.0]
    )
    assert weak.loc["i3", "points_lost"] == pytest.approx(2.4)
    assert weak.loc["i4", "below_share"] == pytest.approx(0.25)
    only_juniors = weakest_items(four_schools, schools=filter_schools(four_schools.facts, stages=["junior"]))
    assert only_juniors.loc["i1", "mean_fraction"] == 0.0


def test_side_by_side_flags_differences(four_schools):
    """A1 i1 A vs A3 C differ; i2 Y vs N differ; i3 B vs not applicable does not count as a difference."""
    sbs = side_by_side(four_schools, ["A1", "A3"])
    assert sbs.items.loc["i1", ["A1", "A3", "differs"]].tolist() == ["A", "C", True]
    assert sbs.items.loc["i3", ["A1", "A3", "differs"]].tolist() == ["B", "—", False]
    assert sbs.items.loc["i4", "differs"] == np.False_
    # A1: D1 (4 + 2) / 6 = 100%, D2 (1.8 + 1) / 4 = 70%; A3: D1 0 / 6, D2 1 / 1.
    assert sbs.domains["A1"].tolist() == pytest.approx([100.0, 70.0])
    assert sbs.domains["A3"].tolist() == pytest.approx([0.0, 100.0])
    assert sbs.summary.loc["A1", "tier"] == "standard"
    for wrong in (["A1"], ["A1", "A1"], ["A1", "A2", "A3", "A4", "A5", "A1", "A2"]):
        with pytest.raises(ValueError):
            side_by_side(four_schools, wrong)


def test_ranking_filters_and_tier_counts(four_schools):
    """Scores: A1 8.8 / 10 = 88; A2 (2 + 2 + 1.8 + 0) / 10 = 58; A3 1 / 7 = 14.3; A4 (0 + 1) / 5 = 20."""
    ranks = ranking(four_schools)
    assert ranks.index.tolist() == ["A1", "A2", "A4", "A3"]
    assert ranks["score"].tolist() == pytest.approx([88.0, 58.0, 20.0, 100 / 7])
    assert ranks["rank"].tolist() == [1, 2, 3, 4]
    street = ranking(four_schools, schools=filter_schools(four_schools.facts, streets=["华阳路街道"]))
    assert street.index.tolist() == ["A1", "A3"]
    private = filter_schools(four_schools.facts, ownership=["private"])
    assert private.tolist() == ["A2"]
    assert tier_ids(four_schools).tolist() == ["standard", "none", "none", "none", ""]
    counts = tier_distribution(four_schools)
    assert counts.loc["all"].to_dict() == {"none": 3, "standard": 1, "model": 0, "not_assessed": 1, "total": 5}
    by_stage = tier_distribution(four_schools, by="stage")
    assert by_stage.loc["junior"].to_dict() == {"none": 2, "standard": 0, "model": 0, "not_assessed": 0, "total": 2}
    assert by_stage.loc["senior", "total"] == 1
    assert by_stage.loc["primary", "not_assessed"] == 1


def test_equal_scores_share_a_rank(mini, make_district, make_ratings):
    facts = make_district(("X", "junior", {}), ("Y", "junior", {}), ("Z", "junior", {}))
    rows = [(c, "i1", "lead", "consensus", "A") for c in "XY"] + [("Z", "i1", "lead", "consensus", "C")]
    ranks = ranking(score_district(mini, facts, make_ratings(mini, facts, rows)))
    assert ranks["rank"].tolist() == [1, 1, 3]
