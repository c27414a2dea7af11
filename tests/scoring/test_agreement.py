"""Rater agreement matches the `krippendorff` package on the same data, and exact agreement by hand."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import agreement_by, inspector_profile, inspector_values, score_district
from scoring.agreement import agreement

LEVELS = [1.0, 0.8, 0.6, 0.0]


def long_form(matrix: np.ndarray) -> pd.DataFrame:
    rows = [
        (u, matrix[r, u]) for r in range(matrix.shape[0]) for u in range(matrix.shape[1]) if not np.isnan(matrix[r, u])
    ]
    return pd.DataFrame(rows, columns=["unit", "fraction"])


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda raters: st.lists(
            st.lists(st.sampled_from([*LEVELS, np.nan]), min_size=raters, max_size=raters), min_size=3, max_size=40
        )
    )
)
def test_alpha_matches_the_krippendorff_package(units):
    matrix = np.array(units, dtype=float).T  # raters × units
    values = long_form(matrix)
    ours = agreement(values).alpha
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    distinct = np.unique(matrix[:, pairable][~np.isnan(matrix[:, pairable])])
    if pairable.sum() == 0 or len(distinct) < 2:
        assert np.isnan(ours) or ours == 1.0
        return
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_exact_agreement_by_hand():
    """Unit 0: A, A, B → 1 agreeing pair of 3; unit 1: B, B → 1 of 1; unit 2: one value only → skipped. 2/4 = 0.5."""
    values = pd.DataFrame({"unit": [0, 0, 0, 1, 1, 2], "fraction": [1.0, 1.0, 0.8, 0.8, 0.8, 0.0]})
    result = agreement(values)
    assert (result.units, result.pairs, result.exact) == (2, 4, 0.5)


def test_profiles_find_the_generous_inspector(mini, make_facts, make_ratings):
    """Inspector g always rates A where p and q rate C: bias of g is +1.0, of p and q −0.5."""
    facts = make_facts(("S1", "primary"), ("S2", "primary"))
    rows = [(s, "i1", r, "inspector", lv) for s in ("S1", "S2") for r, lv in (("g", "A"), ("p", "C"), ("q", "C"))]
    result = score_district(mini, facts, make_ratings(mini, facts, rows))
    values = inspector_values(result)
    profile = inspector_profile(values).set_index("rater")
    assert profile.loc["g", "bias"] == pytest.approx(1.0)
    assert profile.loc["p", "bias"] == pytest.approx(-0.5)
    by_domain = agreement_by(values, "domain")
    assert list(by_domain["units"]) == [2]
    assert by_domain["exact"].iloc[0] == pytest.approx(1 / 3)
