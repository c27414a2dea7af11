"""Inspector consistency tables: agreement overall, per domain, per inspector (and per domain), overrating.

`scoring.agreement` computes exact agreement and Krippendorff's ordinal alpha over the inspectors'
ratings of the cycle; this module names and rounds them. Where the issue is silent we chose: an
inspector rates systematically higher (lower) than the team when their mean deviation from the other
inspectors on the same school and item is at least +5 (at most −5) percentage points of the item's
points, over at least 10 shared units.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from scoring.agreement import Agreement, agreement, agreement_by, inspector_profile, inspector_values
from ui.bureau.data import CycleData
from ui.bureau.labels import domain_titles, status_word
from ui.text import tr

BIAS_POINTS = 5.0
MIN_UNITS = 10
TOP_OVERRATING = 15


def values(data: CycleData) -> pd.DataFrame:
    """The inspectors' ratings with a level, one row per (school × item, inspector)."""
    return inspector_values(data.result)


def _pct(x: float) -> float:
    return float(np.round(100 * x, 1)) if np.isfinite(x) else np.nan


def _alpha(x: float) -> float:
    return float(np.round(x, 3)) if np.isfinite(x) else np.nan


def by_domain(vals: pd.DataFrame, data: CycleData, lang: str) -> pd.DataFrame:
    """Per domain: units, exact agreement (%), alpha."""
    found = agreement_by(vals, "domain")
    titles = list(domain_titles(data.framework, lang).values())
    return pd.DataFrame(
        {
            tr("app.col.domain"): [titles[int(d)] for d in found["domain"]],
            tr("bureau.col.units"): found["units"].to_numpy(),
            tr("bureau.col.exact"): [_pct(x) for x in found["exact"]],
            tr("bureau.col.alpha"): [_alpha(x) for x in found["alpha"]],
        }
    )


def leaning(bias_points: float, units: int) -> str:
    """Whether an inspector rates `higher`, `lower` or `in_line` with the team."""
    if units >= MIN_UNITS and bias_points >= BIAS_POINTS:
        return "higher"
    if units >= MIN_UNITS and bias_points <= -BIAS_POINTS:
        return "lower"
    return "in_line"


def profiles(vals: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Per inspector: units shared with others, exact agreement, alpha, mean deviation and its reading."""
    found = inspector_profile(vals)
    bias = (100 * found["bias"]).round(1)
    return pd.DataFrame(
        {
            "rater": found["rater"].astype(str).to_numpy(),
            tr("bureau.col.inspector"): [names.get(str(r), str(r)) for r in found["rater"]],
            tr("bureau.col.units"): found["units"].to_numpy(),
            tr("bureau.col.exact"): [_pct(x) for x in found["exact"]],
            tr("bureau.col.alpha"): [_alpha(x) for x in found["alpha"]],
            tr("bureau.col.bias"): bias.to_numpy(),
            tr("bureau.col.leaning"): [
                tr(f"bureau.leaning.{leaning(b, int(u))}") for b, u in zip(bias, found["units"], strict=True)
            ],
        }
    )


def inspector_domains(vals: pd.DataFrame, data: CycleData, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Inspectors × domains: exact agreement (%) on the units each inspector shared with another."""
    titles = list(domain_titles(data.framework, lang).values())
    shared = vals[vals.groupby("unit")["rater"].transform("size") >= 2]
    rows = {}
    for rater, mine in shared.groupby("rater", sort=True):
        per = agreement_by(shared[shared["unit"].isin(mine["unit"])], "domain")
        rows[names.get(str(rater), str(rater))] = {
            titles[int(d)]: _pct(x) for d, x in zip(per["domain"], per["exact"], strict=True)
        }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=titles)
    frame.index.name = tr("bureau.col.inspector")
    return frame


@dataclass(frozen=True)
class Consistency:
    """Every table of the page: agreement overall, per domain, per inspector and per both; overrating."""

    overall: Agreement
    domains: pd.DataFrame
    inspectors: pd.DataFrame
    matrix: pd.DataFrame
    overrating: pd.DataFrame


def consistency(data: CycleData, names: Mapping[str, str], lang: str) -> Consistency:
    """The page's tables, computed once per cycle data, language and inspector names."""
    return _consistency(data.key, lang, dict(names), data)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _consistency(key: tuple[str, int, int, int], lang: str, names: dict[str, str], _data: CycleData) -> Consistency:
    vals = values(_data)
    if vals.empty:
        empty = pd.DataFrame()
        return Consistency(agreement(vals), empty, empty, empty, overrating(_data))
    return Consistency(
        agreement(vals),
        by_domain(vals, _data, lang),
        profiles(vals, names).drop(columns="rater"),
        inspector_domains(vals, _data, names, lang),
        overrating(_data),
    )


def overrating(data: CycleData, top: int = TOP_OVERRATING) -> pd.DataFrame:
    """The schools whose self-assessment exceeds the inspection most (points), highest first."""
    result = data.result
    gap = result.overrating
    rows = np.flatnonzero(np.isfinite(gap))
    rows = rows[np.argsort(-gap[rows], kind="stable")][:top]
    codes = result.schools[rows]
    return pd.DataFrame(
        {
            tr("app.col.code"): codes.to_numpy(),
            tr("app.col.school"): result.facts["school_name"].to_numpy()[rows],
            tr("app.home.status"): [status_word(data.status[c]) if c in data.status.index else "" for c in codes],
            tr("bureau.col.self_score"): np.round(result.self_view.score_100[rows], 1),
            tr("bureau.col.inspection_score"): np.round(result.inspection.score_100[rows], 1),
            tr("bureau.col.overrating"): np.round(gap[rows], 1),
        }
    )
