"""District-wide views for the bureau: filters, rankings, tier counts and the weakest items.

Everything reads a `DistrictResult` (and its facts) and returns new frames; no result is changed.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from criteria.models import Stage
from scoring.compare import NO_TIER, tier_ids
from scoring.engine import DistrictResult
from scoring.metrics import STAGE_COLUMNS


def filter_schools(
    facts: pd.DataFrame,
    stages: Collection[str] | None = None,
    streets: Collection[str] | None = None,
    ownership: Collection[str] | None = None,
) -> pd.Index:
    """School codes having any of `stages`, in one of `streets`, of one of `ownership` (None: no filter)."""
    keep = np.ones(len(facts), dtype=bool)
    if stages:
        keep &= facts[[STAGE_COLUMNS[Stage(s)] for s in stages]].any(axis=1).to_numpy()
    if streets:
        keep &= facts["street"].isin(list(streets)).to_numpy()
    if ownership:
        keep &= facts["ownership"].isin(list(ownership)).to_numpy()
    return facts.index[keep]


def _rows(result: DistrictResult, view: str, schools: Collection[str] | None) -> np.ndarray:
    """[schools] rows with ratings in the view, limited to `schools` when given."""
    keep = result.view(view).present.copy()
    if schools is not None:
        keep &= result.schools.isin(list(schools))
    return keep


# ----------------------------------------------------------------------------------------- (d) weakest items


def weakest_items(
    result: DistrictResult,
    below: str = "B",
    view: str = "inspection",
    schools: Collection[str] | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Items by mean fraction over the schools with a level, weakest first.

    `below_share`: the share of those schools below the item's level `below` (an item without that
    level, e.g. a yes/no check, counts schools below its best level); `points_lost`: points short of
    full marks summed over the schools.
    """
    compiled = result.compiled
    v = result.view(view)
    rows = _rows(result, view, schools)
    codes = v.levels[rows]
    rated = codes >= 0
    fractions = compiled.fraction_of(codes)
    bar = np.array([ids.index(below) if below in ids else 0 for ids in compiled.level_ids])
    counted = rated.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counted > 0, (fractions * rated).sum(axis=0) / counted, np.nan)
        below_share = np.where(counted > 0, (rated & (codes > bar)).sum(axis=0) / counted, np.nan)
    items = compiled.framework.items()
    out = pd.DataFrame(
        {
            "domain": np.array(compiled.domain_ids)[compiled.item_domain],
            "title": [item.title.get(lang) for item in items],
            "points": compiled.points,
            "schools": counted,
            "mean_fraction": mean,
            "below_share": below_share,
            "points_lost": ((1.0 - fractions) * rated * compiled.points).sum(axis=0),
            "order": np.arange(compiled.n_items),
        },
        index=pd.Index(compiled.item_ids, name="item_id"),
    )
    out = out[out["schools"] > 0].sort_values(["mean_fraction", "below_share", "order"], ascending=[True, False, True])
    return out.drop(columns="order")


# ----------------------------------------------------------------------------------------- (e) ranking, tiers


def ranking(result: DistrictResult, view: str = "inspection", schools: Collection[str] | None = None) -> pd.DataFrame:
    """Schools with ratings in the view, best score first (equal scores share a rank; then by code)."""
    v = result.view(view)
    rows = _rows(result, view, schools)
    facts = result.facts
    out = pd.DataFrame(index=result.schools[rows].copy())
    for col in ("school_name", "stages", "street", "ownership"):
        out[col] = facts[col].to_numpy()[rows] if col in facts.columns else ""
    out["score"] = v.score_100[rows]
    out["tier"] = tier_ids(result, view).to_numpy()[rows]
    for d, domain_id in enumerate(result.compiled.domain_ids):
        out[f"{domain_id}_pct"] = v.domain_pct[rows, d]
    out = out.rename_axis("school_code").reset_index()
    out = out.sort_values(["score", "school_code"], ascending=[False, True], kind="stable")
    out.insert(0, "rank", out["score"].rank(method="min", ascending=False).astype("Int64"))
    return out.set_index("school_code")


def tier_distribution(
    result: DistrictResult,
    view: str = "inspection",
    by: str | None = None,
    schools: Collection[str] | None = None,
) -> pd.DataFrame:
    """Schools per tier (`none`, then the framework's tiers), `not_assessed` and `total`, per group of `by`.

    `by`: None (one row `all`), a facts column (e.g. `street`, `ownership`), or `stage`, where a school of
    several stages counts once in each of them.
    """
    in_scope = np.ones(len(result.schools), dtype=bool)
    if schools is not None:
        in_scope = result.schools.isin(list(schools))
    tiers = tier_ids(result, view).where(result.view(view).present, "not_assessed")[in_scope]
    groups = _groups(result.facts[in_scope], by)
    columns = [NO_TIER, *(tier.id for tier in result.compiled.framework.tiers), "not_assessed"]
    frame = pd.DataFrame({"group": groups.to_numpy(), "tier": tiers.reindex(groups.index).to_numpy()})
    out = pd.crosstab(frame["group"], pd.Categorical(frame["tier"], categories=columns), dropna=False)
    out = out.reindex(columns=columns, fill_value=0)
    out.columns.name = None
    out["total"] = out.sum(axis=1)
    return out.rename_axis(by or "group")


def _groups(facts: pd.DataFrame, by: str | None) -> pd.Series:
    """School code → group label (a school of several stages repeats, once per stage)."""
    if by is None:
        return pd.Series("all", index=facts.index)
    if by != "stage":
        return facts[by].astype(str)
    parts = [pd.Series(s.value, index=facts.index[facts[STAGE_COLUMNS[s]].to_numpy(dtype=bool)]) for s in Stage]
    return pd.concat(parts)
