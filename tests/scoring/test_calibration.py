"""Calibration figures of a small round, computed by hand, checked by a plain count and by `krippendorff`.

The round (framework tests/data/mini.yaml: i1 rubric A/B/C and i2 check in domain D1, i3 rubric A–D in D2,
i4 computed from facts and never calibrated) has two cases, both primary, with master levels
c1: i1 A, i2 Y, i3 B and c2: i1 B, i2 N, i3 D — six master-rated items, four in D1, two in D2.

- x rates c1 A Y B, c2 B N C: exact 5/6; c2 i3 is one step from D, so adjacent 6/6; D1 4/4, D2 2/2.
- y rates c1 B N D, c2 C N and leaves c2 i3 unrated: exact 1/6 (c2 i2); adjacent c1 i1 (B~A), c2 i1 (C~B),
  c2 i2 → 3/6 = 0.5 (c1 i2 is a check: adjacent means exact; c1 i3 D is two steps from B); D1 3/4, D2 0/2.
- z rates c1 A Y A, c2 C Y D: exact 3/6; adjacent 5/6 (all but c2 i2); D1 3/4, D2 2/2.

With the default rule (≥ 80 % adjacent, no domain below 60 %) x and z are certified, y is not (adjacent 50 %,
D2 0 %). Items most missed (not exact): c1 i3, c2 i1, c2 i3 by two of three; c1 i1, c1 i2, c2 i2 by one.
"""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from criteria.loader import load_framework
from scoring.calibration import (
    Band,
    CertificationRule,
    ConsistencyLimits,
    alpha_band,
    compare_round,
    flagged,
    master_problems,
)

FRAMEWORK = load_framework(Path(__file__).parents[1] / "data" / "mini.yaml")
MASTER = pd.DataFrame(
    [("c1", "i1", "A"), ("c1", "i2", "Y"), ("c1", "i3", "B"), ("c2", "i1", "B"), ("c2", "i2", "N"), ("c2", "i3", "D")],
    columns=["case", "item", "level"],
)
GIVEN = {
    "x": {
        ("c1", "i1"): "A",
        ("c1", "i2"): "Y",
        ("c1", "i3"): "B",
        ("c2", "i1"): "B",
        ("c2", "i2"): "N",
        ("c2", "i3"): "C",
    },
    "y": {("c1", "i1"): "B", ("c1", "i2"): "N", ("c1", "i3"): "D", ("c2", "i1"): "C", ("c2", "i2"): "N"},
    "z": {
        ("c1", "i1"): "A",
        ("c1", "i2"): "Y",
        ("c1", "i3"): "A",
        ("c2", "i1"): "C",
        ("c2", "i2"): "Y",
        ("c2", "i3"): "D",
    },
}
RATINGS = pd.DataFrame(
    [(r, c, i, lv) for r, given in GIVEN.items() for (c, i), lv in given.items()],
    columns=["rater", "case", "item", "level"],
)
FRACTIONS = {("i1", "A"): 1.0, ("i1", "B"): 0.5, ("i1", "C"): 0.0, ("i2", "Y"): 1.0, ("i2", "N"): 0.0}
FRACTIONS |= {("i3", "A"): 1.0, ("i3", "B"): 0.6, ("i3", "C"): 0.3, ("i3", "D"): 0.0}


@pytest.fixture(scope="module")
def result():
    return compare_round(FRAMEWORK, MASTER, RATINGS, ["x", "y", "z", "absent"])


def test_exact_and_adjacent_by_hand(result) -> None:
    by = result.by_rater().set_index("rater")
    assert by.loc["x", "exact"] == pytest.approx(5 / 6) and by.loc["x", "adjacent"] == 1.0
    assert by.loc["y", "exact"] == pytest.approx(1 / 6) and by.loc["y", "adjacent"] == pytest.approx(0.5)
    assert by.loc["z", "exact"] == pytest.approx(0.5) and by.loc["z", "adjacent"] == pytest.approx(5 / 6)
    assert by.loc["y", "rated"] == 5 and by.loc["y", "items"] == 6
    assert by.loc["absent", "rated"] == 0 and by.loc["absent", "exact"] == 0.0


def test_a_plain_count_gives_the_same_shares(result) -> None:
    """Count agreement item by item with nothing but dicts (the master's level order from the framework)."""
    order = {"i1": "ABC", "i2": "YN", "i3": "ABCD"}
    master = {(c, i): lv for c, i, lv in MASTER.itertuples(index=False)}
    by = result.by_rater().set_index("rater")
    for rater, given in GIVEN.items():
        exact = adjacent = 0
        for key, want in master.items():
            got = given.get(key)
            exact += got == want
            steps = abs(order[key[1]].index(got) - order[key[1]].index(want)) if got else 99
            adjacent += got == want or (len(order[key[1]]) >= 3 and steps <= 1)
        assert by.loc[rater, "exact"] == pytest.approx(exact / len(master)), rater
        assert by.loc[rater, "adjacent"] == pytest.approx(adjacent / len(master)), rater


def test_by_domain_by_hand(result) -> None:
    adj = result.by_domain("adjacent")
    assert adj.loc["x"].tolist() == [1.0, 1.0]
    assert adj.loc["y"].tolist() == [0.75, 0.0]
    assert adj.loc["z"].tolist() == [0.75, 1.0]
    exact = result.by_domain("exact")
    assert exact.loc["x"].tolist() == [1.0, 0.5]
    assert list(adj.columns) == ["D1", "D2"]


def test_alpha_against_the_master_matches_krippendorff(result) -> None:
    by = result.by_rater().set_index("rater")
    for rater, given in GIVEN.items():
        keys = [(c, i) for c, i, _ in MASTER.itertuples(index=False)]
        own = [FRACTIONS[(k[1], given[k])] if k in given else np.nan for k in keys]
        master = [FRACTIONS[(i, lv)] for _, i, lv in MASTER.itertuples(index=False)]
        expected = krippendorff.alpha(reliability_data=[own, master], level_of_measurement="ordinal")
        assert by.loc[rater, "alpha"] == pytest.approx(expected), rater
    assert by.loc["x", "alpha"] > by.loc["z", "alpha"] > by.loc["y", "alpha"]


def test_most_missed_by_hand(result) -> None:
    missed = result.most_missed(limit=None)
    real = missed[missed["raters"] == 4]  # "absent" misses every item
    assert real["missed"].tolist() == [3, 3, 3, 2, 2, 2]
    top = compare_round(FRAMEWORK, MASTER, RATINGS).most_missed(limit=3)
    assert list(zip(top["case"], top["item"], strict=True)) == [("c1", "i3"), ("c2", "i1"), ("c2", "i3")]
    assert top["share"].tolist() == pytest.approx([2 / 3] * 3)


def test_certification_by_the_default_rule(result) -> None:
    cert = result.certify(CertificationRule()).set_index("rater")
    assert cert["passed"].to_dict() == {"x": True, "y": False, "z": True, "absent": False}
    assert cert.loc["y", "short"] == ("adjacent", "domain:D2")
    assert cert.loc["z", "min_domain"] == 0.75
    strict = result.certify(CertificationRule(min_adjacent=0.9)).set_index("rater")
    assert strict["passed"].to_dict()["z"] is False


def test_computed_items_are_never_calibrated() -> None:
    master = pd.concat([MASTER, pd.DataFrame([("c1", "i4", "A")], columns=MASTER.columns)])
    assert len(compare_round(FRAMEWORK, master, RATINGS).pairs) == 18
    problems = master_problems(FRAMEWORK, ["primary"], {"i4": "A", "i1": "Z", "i9": "A", "i2": "NA"}, complete=True)
    assert {(i, code) for i, code, _ in problems} == {
        ("i4", "computed_item"),
        ("i1", "bad_level"),
        ("i9", "unknown_item"),
        ("i3", "missing"),
    }
    assert master_problems(FRAMEWORK, ["junior"], {"i3": "A"}) == [("i3", "not_applicable", "i3")]


def test_alpha_bands_and_flags() -> None:
    assert [alpha_band(a) for a in (0.85, 0.8, 0.7, 0.667, 0.5, float("nan"), None)] == [
        Band.RELIABLE, Band.RELIABLE, Band.TENTATIVE, Band.TENTATIVE, Band.UNRELIABLE, Band.UNKNOWN, Band.UNKNOWN,
    ]  # fmt: skip
    profile = pd.DataFrame(
        {"rater": ["a", "b", "c", "d"], "alpha": [0.9, 0.5, 0.9, np.nan], "bias": [0.0, 0.0, -0.2, 0]}
    )
    out = flagged(profile, ConsistencyLimits(alpha_min=0.667, bias_max=0.1))
    assert out["rater"].tolist() == ["b", "c"]
    assert out["low_alpha"].tolist() == [True, False] and out["leaning"].tolist() == [False, True]
    assert CertificationRule(min_adjacent=1.2, valid_days=0).problems() == ["min_adjacent", "valid_days"]
