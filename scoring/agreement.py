"""Agreement between inspectors: exact agreement and Krippendorff's alpha (ordinal).

A unit is one item at one school; its values are the inspectors' level fractions (N/A votes and the
lead's consensus are left out). Fractions put every item on one ordinal scale (A 1.0 above B 0.8 …).
Units with fewer than two values carry no information about agreement and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.compiled import NOT_APPLICABLE
from scoring.engine import DistrictResult
from scoring.levels import ROLE_CODES


@dataclass(frozen=True)
class Agreement:
    """Exact agreement (share of agreeing pairs) and ordinal alpha over `units` units."""

    units: int
    pairs: int
    exact: float
    alpha: float


def inspector_values(result: DistrictResult) -> pd.DataFrame:
    """Inspector ratings with a level as a long frame: unit (school × item), rater, item, fraction.

    Ratings of items that do not apply to the school's stages are left out: they score nothing.
    """
    compiled, enc = result.compiled, result.ratings
    applies = result.inspection.levels[enc.school, enc.item] != NOT_APPLICABLE
    rows = (enc.role == ROLE_CODES["inspector"]) & (enc.level >= 0) & applies
    item = enc.item[rows]
    return pd.DataFrame(
        {
            "unit": enc.school[rows].astype(np.int64) * compiled.n_items + item,
            "school": enc.school[rows],
            "item": item,
            "domain": compiled.item_domain[item],
            "rater": enc.raters[enc.rater[rows]],
            "fraction": compiled.fractions[item, enc.level[rows]],
        }
    )


def agreement(values: pd.DataFrame) -> Agreement:
    """Exact agreement and Krippendorff's ordinal alpha of the values (columns unit, fraction)."""
    counts = _unit_counts(values)
    m = counts.sum(axis=1)
    counts = counts[m >= 2]
    m = m[m >= 2]
    if counts.size == 0:
        return Agreement(0, 0, float("nan"), float("nan"))
    pairs = (m * (m - 1) / 2).sum()
    agreeing = (counts * (counts - 1) / 2).sum()
    return Agreement(len(m), int(pairs), float(agreeing / pairs), _ordinal_alpha(counts, m))


def _unit_counts(values: pd.DataFrame) -> np.ndarray:
    """[units, distinct values] how many raters gave each value in each unit (values sorted ascending)."""
    if values.empty:
        return np.zeros((0, 0))
    value_codes, _ = pd.factorize(values["fraction"], sort=True)
    unit_codes, units = pd.factorize(values["unit"])
    counts = np.zeros((len(units), value_codes.max() + 1))
    np.add.at(counts, (unit_codes, value_codes), 1)
    return counts


def _ordinal_alpha(counts: np.ndarray, m: np.ndarray) -> float:
    """Krippendorff's alpha with the ordinal difference function, from per-unit value counts."""
    weighted = counts / (m - 1)[:, None]
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    cum = np.cumsum(n_c)
    # δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)², symmetric in c and k.
    lo = np.minimum.outer(np.arange(len(n_c)), np.arange(len(n_c)))
    hi = np.maximum.outer(np.arange(len(n_c)), np.arange(len(n_c)))
    between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)
    delta2 = (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    expected = (np.outer(n_c, n_c) * delta2).sum()
    if expected == 0:
        return float("nan")
    return float(1.0 - (n - 1) * (coincidence * delta2).sum() / expected)


def agreement_by(values: pd.DataFrame, column: str) -> pd.DataFrame:
    """Agreement within each group of `column` (e.g. domain), over the units of that group."""
    rows = [{column: key, **agreement(group).__dict__} for key, group in values.groupby(column, sort=True)]
    return pd.DataFrame(rows, columns=[column, "units", "pairs", "exact", "alpha"])


def inspector_profile(values: pd.DataFrame) -> pd.DataFrame:
    """Per inspector: units rated, agreement on the units they shared, and how far above their teams they rate.

    `bias` is the mean of (their fraction − the mean fraction of the other inspectors on the same unit):
    positive means systematically more generous than the team.
    """
    sums = values.groupby("unit")["fraction"].agg(["sum", "count"])
    joined = values.join(sums, on="unit")
    shared = joined[joined["count"] >= 2].copy()
    shared["others_mean"] = (shared["sum"] - shared["fraction"]) / (shared["count"] - 1)
    shared["deviation"] = shared["fraction"] - shared["others_mean"]
    rows = []
    for rater, mine in shared.groupby("rater", sort=True):
        own_units = values[values["unit"].isin(mine["unit"])]
        result = agreement(own_units)
        rows.append(
            {
                "rater": rater,
                "units": int(mine["unit"].nunique()),
                "exact": result.exact,
                "alpha": result.alpha,
                "bias": float(mine["deviation"].mean()),
            }
        )
    return pd.DataFrame(rows, columns=["rater", "units", "exact", "alpha", "bias"])
