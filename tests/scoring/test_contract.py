"""The scoring contract of DESIGN.md, pinned with examples computed by hand on tests/data/mini.yaml.

mini.yaml: i1 rubric 4 pts (A 1.0, B 0.5, C 0) and i2 check 2 pts (N/A allowed) in D1; i3 rubric 3 pts
(primary only, N/A allowed; A 1.0, B 0.6, C 0.3, D 0) and i4 quantitative 1 pt (students per mentor:
A ≤ 15, B ≤ 20, else D) in D2. Standard: score ≥ 60, every domain ≥ 50%, veto i2 = Y. Model: ≥ 90,
veto i1 = A. Base facts: 300 students, 20 mentors → 15 per mentor → i4 = A.
"""

from __future__ import annotations

import math

import pytest

from i18n.problems import InputError
from scoring import improvement_path, score_district


def score(mini, make_facts, make_ratings, rows, stages="primary", **facts):
    f = make_facts(("S", stages), **facts)
    return score_district(mini, f, make_ratings(mini, f, rows))


def test_full_marks_reach_model(mini, make_facts, make_ratings):
    """4 + 2 + 3 + 1 = 10 of 10 → 100, every veto met → model."""
    r = score(
        mini,
        make_facts,
        make_ratings,
        [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "A")],
    )
    assert r.self_view.score_100[0] == 100.0
    assert r.to_frame()["self_tier"].iloc[0] == "model"


def test_na_rebases_on_applicable_points(mini, make_facts, make_ratings):
    """i2 N/A leaves 8 applicable points; earned 4×0.5 + 3×0.6 + 1 = 4.8 → 100 × 4.8 / 8 = 60.0."""
    r = score(
        mini,
        make_facts,
        make_ratings,
        [("S", "i1", "s", "self", "B"), ("S", "i2", "s", "self", "NA"), ("S", "i3", "s", "self", "B")],
    )
    v = r.self_view
    assert v.possible[0] == 8
    assert v.earned[0] == pytest.approx(4.8)
    assert v.score_100[0] == pytest.approx(60.0)
    # D1: 2 of 4 = 50%; D2: 2.8 of 4 = 70%; the N/A veto does not block: standard reached.
    assert v.domain_pct[0] == pytest.approx([50.0, 70.0])
    assert r.to_frame()["self_tier"].iloc[0] == "standard"


def test_stage_not_applicable_leaves_points(mini, make_facts, make_ratings):
    """A junior school: i3 is primary only, so 7 points apply; 4 + 2 + 1 = 7 → 100."""
    r = score(
        mini,
        make_facts,
        make_ratings,
        [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y")],
        stages="junior",
    )
    assert r.self_view.possible[0] == 7
    assert r.self_view.score_100[0] == 100.0


def test_even_count_median_takes_the_lower_middle(mini, make_facts, make_ratings):
    """Inspectors A, B, B, C on i1 (fractions 1, .5, .5, 0) → lower middle .5; A and C alone → C (0)."""
    rows = [("S", "i1", r, "inspector", lv) for r, lv in zip("pqrs", "ABBC", strict=True)]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.inspection.earned_items[0, 0] == 2.0
    r2 = score(
        mini,
        make_facts,
        make_ratings,
        [("S", "i1", "p", "inspector", "A"), ("S", "i1", "q", "inspector", "C")],
    )
    assert r2.inspection.earned_items[0, 0] == 0.0


def test_odd_count_median(mini, make_facts, make_ratings):
    """i3 rated A, D, B → fractions 1, 0, .6 → median .6 → 1.8 points."""
    rows = [("S", "i3", r, "inspector", lv) for r, lv in zip("pqr", "ADB", strict=True)]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.inspection.earned_items[0, 2] == pytest.approx(1.8)


def test_consensus_overrides_the_median(mini, make_facts, make_ratings):
    """Inspectors A, A on i1 but the lead's consensus is B → 0.5 × 4 = 2."""
    rows = [
        ("S", "i1", "p", "inspector", "A"),
        ("S", "i1", "q", "inspector", "A"),
        ("S", "i1", "p", "consensus", "B"),
    ]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.inspection.earned_items[0, 0] == 2.0
    assert r.inspection_source[0, 0] == 1


def test_na_by_majority_of_inspectors(mini, make_facts, make_ratings):
    """i2: N/A, N/A, Y → N/A (2 of 3); N/A, Y → not a majority → median of Y alone → 2 points."""
    rows = [
        ("S", "i2", "p", "inspector", "NA"),
        ("S", "i2", "q", "inspector", "NA"),
        ("S", "i2", "r", "inspector", "Y"),
    ]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.inspection.possible_items[0, 1] == 0
    r2 = score(
        mini,
        make_facts,
        make_ratings,
        [("S", "i2", "p", "inspector", "NA"), ("S", "i2", "q", "inspector", "Y")],
    )
    assert r2.inspection.earned_items[0, 1] == 2.0


def test_self_never_mixed_into_inspection(mini, make_facts, make_ratings):
    """Self A on i1 with inspectors C, C: inspection earns 0, self earns 4, gap = (1 − 0) × 4 = 4."""
    rows = [
        ("S", "i1", "s", "self", "A"),
        ("S", "i1", "p", "inspector", "C"),
        ("S", "i1", "q", "inspector", "C"),
    ]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.inspection.earned_items[0, 0] == 0.0
    assert r.self_view.earned_items[0, 0] == 4.0
    assert r.gap_items[0, 0] == 4.0
    assert r.overrating[0] == pytest.approx(4.0)  # i4 is computed the same in both views: gap 0


def test_veto_failure_blocks_standard(mini, make_facts, make_ratings):
    """i2 = N with everything else top: 8 of 10 = 80 ≥ 60, domains 66.7% and 100%, but the veto fails."""
    rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "N"), ("S", "i3", "s", "self", "A")]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.self_view.score_100[0] == 80.0
    assert r.self_view.tier_index[0] == -1
    reasons = r.reasons("S", "self", "en")
    assert "Standard school: must-pass item 'i2 项目二' needs level Y, found N" in reasons
    assert "Model school: the school must first reach Standard school" in reasons


def test_domain_minimum(mini, make_facts, make_ratings):
    """i1 C, i2 Y, i3 A, i4 A: 6 of 10 = 60 ≥ 60, but D1 = 2/6 = 33.3% < 50% → no tier."""
    rows = [("S", "i1", "s", "self", "C"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "A")]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.self_view.score_100[0] == 60.0
    assert r.self_view.tier_index[0] == -1
    assert r.reasons("S", "self", "en") == [
        "Standard school: domain 'D1 Domain one' reached 33.3%, below 50.0%",
        "Model school: the school must first reach Standard school",
        "Model school: score 60.0 is below 90.0",
        "Model school: must-pass item 'i1 Item one' needs level A, found C",
    ]


def test_tier_chain_needs_the_lower_tier(mini, mini_data, make_facts, make_ratings):
    """Standard's domain minimum at 100%: 4 + 2 + 1.8 + 1 = 8.8 → 88, D2 = 70% fails standard, so model too."""
    from criteria import parse_framework

    mini_data["tiers"][0]["domain_min_pct"] = 100
    fw = parse_framework(mini_data)
    f = make_facts(("S", "primary"))
    rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "B")]
    r = score_district(fw, f, make_ratings(fw, f, rows))
    assert r.self_view.score_100[0] == pytest.approx(88.0)
    assert r.self_view.tier_index[0] == -1
    assert "Model school: the school must first reach Standard school" in r.reasons("S", "self", "en")


def test_model_min_score_boundary(mini, make_facts, make_ratings):
    """300 students / 15 mentors = 20 per mentor → i4 B (0.5): 4 + 2 + 3 + 0.5 = 9.5 → 95 ≥ 90 → model."""
    rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "A")]
    r = score(mini, make_facts, make_ratings, rows, mentors=15)  # 300 / 15 = 20 → B
    assert r.self_view.score_100[0] == pytest.approx(95.0)
    assert r.self_view.tier_index[0] == 1


def test_metric_that_cannot_be_computed_is_not_applicable(mini, make_facts, make_ratings):
    """No mentors at all → students per mentor is infinite → D (not N/A): 0 of 1."""
    r = score(mini, make_facts, make_ratings, [("S", "i1", "s", "self", "A")], mentors=0)
    assert r.self_view.levels[0, 3] == 2  # D
    assert r.self_view.possible_items[0, 3] == 1


def test_unrated_counts_zero_in_a_draft_and_is_an_error_when_complete_is_required(mini, make_facts, make_ratings):
    """Only i1 A rated: earned 4 + 1 (i4) of 10 → 50, two unrated items counted."""
    f = make_facts(("S", "primary"))
    ratings = make_ratings(mini, f, [("S", "i1", "s", "self", "A")])
    r = score_district(mini, f, ratings)
    assert r.self_view.score_100[0] == 50.0
    assert r.self_view.unrated[0].sum() == 2
    with pytest.raises(InputError) as err:
        score_district(mini, f, ratings, require_complete=True)
    assert [p.params["item"] for p in err.value.problems] == ["i2", "i3"]


def test_display_rounds_to_one_decimal_but_keeps_precision(mini, make_facts, make_ratings):
    """i1 B, i2 Y, i3 C, i4 A: 2 + 2 + 0.9 + 1 = 5.9 of 10 → 59.0; with i2 N/A: 3.9 / 8 = 48.75 → shown 48.8."""
    rows = [("S", "i1", "s", "self", "B"), ("S", "i2", "s", "self", "NA"), ("S", "i3", "s", "self", "C")]
    r = score(mini, make_facts, make_ratings, rows)
    assert r.self_view.score_100[0] == 48.75
    assert r.to_frame()["self_score"].iloc[0] == 48.8


def test_no_ratings_means_no_view(mini, make_facts, make_ratings):
    r = score(mini, make_facts, make_ratings, [])
    frame = r.to_frame("en")
    assert math.isnan(frame["self_score"].iloc[0])
    assert frame["reasons"].iloc[0] == "no ratings yet"


class TestImprovementPath:
    def test_fewest_steps_to_standard(self, mini, make_facts, make_ratings):
        """i1 C, i2 N, i3 D, i4 A: earned 1 of 10.

        Standard needs i2 Y (veto, 1 step, +2), D1 ≥ 3 of 6 → i1 C→B (1 step, +2), D2 ≥ 2 of 4 → i3 D→B
        (2 steps, +1.8; D→C gives only .9), total 1 + 2 + 2 + 1.8 = 6.8 ≥ 6: 4 steps, 3 items, 68.0.
        """
        rows = [("S", "i1", "s", "self", "C"), ("S", "i2", "s", "self", "N"), ("S", "i3", "s", "self", "D")]
        r = score(mini, make_facts, make_ratings, rows)
        path = improvement_path(r.self_view, 0)
        assert path is not None and path.tier_id == "standard"
        assert path.steps == 4
        assert {(x.item_id, x.from_level, x.to_level) for x in path.raises} == {
            ("i1", "C", "B"),
            ("i2", "N", "Y"),
            ("i3", "D", "B"),
        }
        assert path.score_after == pytest.approx(68.0)

    def test_path_to_model_honours_its_veto(self, mini, make_facts, make_ratings):
        """i1 B, i2 Y, i3 B, i4 A: 2 + 2 + 1.8 + 1 = 6.8 → 68, standard (D1 66.7%, D2 70%).

        Model needs 9 points and i1 = A (veto): i1 B→A (+2) gives 8.8, one more step i3 B→A (+1.2) → 10.
        """
        rows = [("S", "i1", "s", "self", "B"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "B")]
        r = score(mini, make_facts, make_ratings, rows)
        assert r.self_view.tier_index[0] == 0
        path = improvement_path(r.self_view, 0)
        assert path is not None and path.tier_id == "model"
        assert sorted((x.item_id, x.to_level, x.steps) for x in path.raises) == [
            ("i1", "A", 1),
            ("i3", "A", 1),
        ]
        assert path.score_after == pytest.approx(100.0)

    def test_ties_broken_by_fewest_items(self, mini, make_facts, make_ratings):
        """i1 A, i2 Y, i3 D, i4 D (mentors 10 → 30 per mentor): 6/10; model needs 9 → +3 in 2 steps.

        Two steps either as i3 D→B (+1.8) + i4 D→A... i4 is one item with 2 steps D→B→A (+1): options
        of 2 steps: i3 D→B (+1.8, 1 item), i3 D→C + i4 D→B (+1.4, 2 items) — neither reaches +3;
        3 steps: i3 D→A (+3, 1 item) reaches 9 exactly → chosen over 2-item mixes of 3 steps.
        """
        rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "D")]
        r = score(mini, make_facts, make_ratings, rows, mentors=10)
        assert r.self_view.score_100[0] == pytest.approx(60.0)
        path = improvement_path(r.self_view, 0, tier_index=1)
        assert path is not None
        assert path.steps == 3
        assert [(x.item_id, x.to_level) for x in path.raises] == [("i3", "A")]

    def test_none_above_the_top_tier(self, mini, make_facts, make_ratings):
        rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "A")]
        r = score(mini, make_facts, make_ratings, rows)
        assert improvement_path(r.self_view, 0) is None


def test_overrating_needs_both_views(mini, make_facts, make_ratings):
    """Only inspectors rated: the computed item i4 is equal in both views, but there is no self view → no gap."""
    r = score(mini, make_facts, make_ratings, [("S", "i1", "p", "inspector", "A")])
    assert math.isnan(r.overrating[0])


def test_a_score_just_below_the_minimum_is_not_shown_equal_to_it():
    from scoring.tiers import below_pair

    assert below_pair(74.96, 75) == ("74.96", "75.00")
    assert below_pair(70.04, 75) == ("70.0", "75.0")


def test_missing_facts_leave_computed_items_unrated(mini, make_facts, make_ratings):
    """Mentors not given (NaN): i4 is unrated (0 of 1, a warning), not N/A; the score stays 4+2+3 = 9 of 10."""
    f = make_facts(("S", "primary"))
    f.loc["S", "mentors"] = float("nan")
    rows = [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y"), ("S", "i3", "s", "self", "A")]
    r = score_district(mini, f, make_ratings(mini, f, rows))
    assert r.self_view.possible[0] == 10
    assert r.self_view.score_100[0] == 90.0
    assert r.self_view.unrated[0, 3]
    with pytest.raises(InputError) as err:
        score_district(mini, f, make_ratings(mini, f, rows), require_complete=True)
    assert err.value.problems[0].key == "result.facts_missing"


def test_improvement_path_only_uses_levels_the_facts_can_give(mini_data, make_facts, make_ratings):
    """i4's thresholds name only A (≤ 15 per mentor) and D: from D the path must go straight to A (2 steps)."""
    from criteria import parse_framework

    rule = mini_data["domains"][1]["indicators"][0]["items"][1]["rule"]
    rule["thresholds"] = [{"level": "A", "bound": 15}, {"level": "D"}]
    fw = parse_framework(mini_data)
    f = make_facts(("S", "junior"), mentors=10)  # 30 per mentor → D; junior: i3 does not apply
    r = score_district(fw, f, make_ratings(fw, f, [("S", "i1", "s", "self", "A"), ("S", "i2", "s", "self", "Y")]))
    # earned 6 of 7 → 85.7; model needs 90 → +0.3: only i4 can move, D→A is 2 steps (B is unreachable).
    path = improvement_path(r.self_view, 0)
    assert [(x.item_id, x.from_level, x.to_level, x.steps) for x in path.raises] == [("i4", "D", "A", 2)]


def test_no_path_when_nothing_applies(mini_data, make_facts, make_ratings):
    """Without i4 and with i1 N/A allowed: a junior school (no i3) rating i1 and i2 N/A has 0 applicable points."""
    from criteria import parse_framework

    del mini_data["domains"][1]["indicators"][0]["items"][1]
    mini_data["domains"][0]["indicators"][0]["items"][0]["allow_na"] = True
    mini_data["total_points"] = 9
    fw = parse_framework(mini_data)
    f = make_facts(("S", "junior"))
    r = score_district(fw, f, make_ratings(fw, f, [("S", "i1", "s", "self", "NA"), ("S", "i2", "s", "self", "NA")]))
    assert r.self_view.possible[0] == 0
    assert math.isnan(r.self_view.score_100[0])
    assert improvement_path(r.self_view, 0) is None
