"""The dashboard's tables as frames in the session's language: schools, ranking, tiers, heatmap, weakest items.

Each reads the scoring core's answer (`scoring.district`, `scoring.compare`) for the schools in view
and passing the filters, and renames and rounds it for the screen and the CSV downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.compare import NO_TIER, level_words, tier_ids
from scoring.district import ranking, tier_distribution, weakest_items
from scoring.targets import TARGET_BY_ID
from ui.bureau.data import CycleData, View, core_view, rows_of
from ui.bureau.labels import (
    NOT_ASSESSED,
    domain_titles,
    ownership_word,
    stages_text,
    status_word,
    tier_word,
    tier_words,
)
from ui.text import tr

PASS_GOAL = TARGET_BY_ID["standard_pass_rate"].goal
WEAKEST = 10
BELOW = "B"


def schools_frame(data: CycleData, lang: str) -> pd.DataFrame:
    """Every school of the cycle: code, name, street, stages, status, official score and tier."""
    result, fw = data.result, data.framework
    official = result.schools.isin(data.finalized) & result.inspection.present
    tiers = tier_ids(result).where(official, "")
    status = data.status.reindex(result.schools)
    return pd.DataFrame(
        {
            tr("app.col.code"): result.schools.to_numpy(),
            tr("app.col.school"): result.facts["school_name"].to_numpy(),
            tr("bureau.col.street"): result.facts["street"].to_numpy(),
            tr("bureau.col.stages"): [stages_text(s, lang) for s in result.facts["stages"]],
            tr("app.home.status"): [status_word(s) if isinstance(s, str) else "" for s in status],
            tr("bureau.col.official_score"): np.where(official, np.round(result.inspection.score_100, 1), np.nan),
            tr("bureau.col.official_tier"): tier_words(fw, tiers, lang),
        }
    )


def scoped(data: CycleData, view: View, codes: pd.Index) -> pd.Index:
    """The filtered schools that have scores in the view."""
    return data.in_view(view).intersection(codes, sort=False)


@dataclass(frozen=True)
class PassRate:
    """Schools counted (with a result in the view) and passing the lowest tier; the rate in percent.

    `total` is how many schools the rate speaks for (the filtered schools of the cycle): while fewer
    have a result, the rate is over part of them and the plan's goal is not judged (`verdict` None).
    """

    counted: int
    passed: int
    total: int = 0

    @property
    def complete(self) -> bool:
        """Whether every school the rate speaks for has a result in the view."""
        return self.counted >= self.total

    @property
    def verdict(self) -> bool | None:
        """Met or not once the results are complete; None while they are not (or none count)."""
        return self.met if self.complete else None

    @property
    def rate(self) -> float | None:
        """The pass rate in percent, None when no school counts."""
        return 100.0 * self.passed / self.counted if self.counted else None

    @property
    def gap(self) -> float | None:
        """Percentage points short of the plan's 95% (0 when reached)."""
        return None if self.rate is None else max(0.0, PASS_GOAL - self.rate)

    @property
    def met(self) -> bool | None:
        """Whether the plan's 95% is reached."""
        return None if self.rate is None else self.rate >= PASS_GOAL - 1e-9


def pass_rate(data: CycleData, view: View, codes: pd.Index) -> PassRate:
    """Standard-school pass rate among the filtered schools with a result in the view."""
    rows = rows_of(data.result, scoped(data, view, codes))
    passed = data.result.view(core_view(view)).tier_index[rows] >= 0
    return PassRate(len(rows), int(passed.sum()), len(codes))


def pass_frame(rate: PassRate) -> pd.DataFrame:
    """The pass rate and the plan's goal as one bullet-chart row."""
    label = tr("bureau.target.standard_pass_rate")
    return pd.DataFrame({"label": [label], "value": [rate.rate], "goal": [PASS_GOAL], "met": [rate.met]})


def tiers_frame(data: CycleData, view: View, codes: pd.Index, lang: str) -> pd.DataFrame:
    """Schools per tier (no tier, each tier, no result in the view) among the filtered schools."""
    counted = scoped(data, view, codes)
    ids = [NO_TIER, *(t.id for t in data.framework.tiers)]
    dist = tier_distribution(data.result, core_view(view), schools=counted) if len(counted) else None
    counts = [int(dist.iloc[0][i]) if dist is not None else 0 for i in ids] + [len(codes) - len(counted)]
    labels = [tier_word(data.framework, i, lang) for i in [*ids, NOT_ASSESSED]]
    return pd.DataFrame({"label": labels, "count": counts})


def ranking_frame(data: CycleData, view: View, codes: pd.Index, lang: str) -> pd.DataFrame:
    """The filtered schools with a result in the view, best first, with their domain percentages."""
    ranked = ranking(data.result, core_view(view), schools=scoped(data, view, codes))
    titles = domain_titles(data.framework, lang)
    out = pd.DataFrame(
        {
            tr("bureau.col.rank"): ranked["rank"].to_numpy(),
            tr("app.col.code"): ranked.index.to_numpy(),
            tr("app.col.school"): ranked["school_name"].to_numpy(),
            tr("bureau.col.stages"): [stages_text(s, lang) for s in ranked["stages"]],
            tr("bureau.col.street"): ranked["street"].to_numpy(),
            tr("bureau.col.ownership"): [ownership_word(str(o)) for o in ranked["ownership"]],
            tr("bureau.col.score"): ranked["score"].round(1).to_numpy(),
            tr("bureau.col.tier"): tier_words(data.framework, ranked["tier"], lang),
        }
    )
    for domain_id, title in titles.items():
        out[title] = ranked[f"{domain_id}_pct"].round(1).to_numpy()
    return out


def heatmap_frame(data: CycleData, view: View, codes: pd.Index, lang: str) -> pd.DataFrame:
    """One row per school in view: `label`, `score`, and each domain's percentage under its title."""
    counted = scoped(data, view, codes)
    rows = rows_of(data.result, counted)
    v = data.result.view(core_view(view))
    names = data.facts["school_name"].to_numpy()[rows]
    out = pd.DataFrame({"label": [f"{c} {n}" for c, n in zip(counted, names, strict=True)]})
    out["street"] = data.facts["street"].to_numpy()[rows]
    out["score"] = np.round(v.score_100[rows], 1)
    for d, title in enumerate(domain_titles(data.framework, lang).values()):
        out[title] = np.round(v.domain_pct[rows, d], 1)
    return out


def by_street(frame: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's schools averaged per street or town (for selections too large to draw one by one)."""
    numbers = frame.drop(columns="label").groupby("street", sort=True).mean().round(1)
    counts = frame.groupby("street", sort=True).size()
    numbers.insert(0, "label", [f"{s} ({n})" for s, n in counts.items()])
    return numbers.reset_index()


def weakest_frame(data: CycleData, view: View, codes: pd.Index, lang: str, top: int = WEAKEST) -> pd.DataFrame:
    """The `top` items with the lowest mean level among the filtered schools in view."""
    weak = weakest_items(data.result, BELOW, core_view(view), scoped(data, view, codes), lang).head(top)
    titles = domain_titles(data.framework, lang)
    return pd.DataFrame(
        {
            "item_id": weak.index.to_numpy(),
            tr("bureau.col.item_title"): weak["title"].to_numpy(),
            tr("app.col.domain"): [titles.get(d, d) for d in weak["domain"]],
            tr("app.col.points"): weak["points"].to_numpy(),
            tr("bureau.col.schools_rated"): weak["schools"].to_numpy(),
            tr("bureau.col.mean_pct"): (100 * weak["mean_fraction"]).round(1).to_numpy(),
            tr("bureau.col.below_share", level=BELOW): (100 * weak["below_share"]).round(1).to_numpy(),
            tr("bureau.col.points_lost"): weak["points_lost"].round(1).to_numpy(),
        }
    )


def item_schools(data: CycleData, view: View, codes: pd.Index, item_id: str) -> pd.DataFrame:
    """Each filtered school's level on one item, lowest level first (drill-down of a weak item)."""
    counted = scoped(data, view, codes)
    rows = rows_of(data.result, counted)
    compiled = data.result.compiled
    pos = compiled.item_position[item_id]
    levels = data.result.view(core_view(view)).levels[rows, pos]
    words = level_words(compiled)[pos, levels]
    out = pd.DataFrame(
        {
            tr("app.col.code"): counted.to_numpy(),
            tr("app.col.school"): data.facts["school_name"].to_numpy()[rows],
            tr("app.col.level"): words,
            "_order": np.where(levels >= 0, -levels, 1),
        }
    )
    out = out[levels >= 0].sort_values(["_order", tr("app.col.code")], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
