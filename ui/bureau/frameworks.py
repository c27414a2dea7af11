"""Framework-version tables: the stored versions, what changed between two, and a cycle re-scored under another.

`criteria.diff` finds the changes and `scoring.compare.rescore` re-scores; a re-scored result is a new
object used for comparison only (cached per cycle data and version), never stored and never replacing
the cycle's official result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from criteria import Framework
from criteria.diff import FrameworkDiff
from scoring.compare import Rescored, compare_results, rescore
from store.records import Cycle, FrameworkVersion
from ui.bureau.data import CycleData, View, core_view
from ui.bureau.labels import item_titles, tier_words, yes_no
from ui.text import tr


def versions_frame(versions: Sequence[FrameworkVersion], cycles: Sequence[Cycle]) -> pd.DataFrame:
    """Every stored version: version, name, active, who added it when, and the cycles scored with it."""
    sep = tr("bureau.list_sep")
    return pd.DataFrame(
        {
            tr("bureau.col.version_id"): [v.id for v in versions],
            tr("bureau.col.framework_id"): [v.framework_id for v in versions],
            tr("bureau.col.version"): [v.version for v in versions],
            tr("bureau.col.name"): [v.name for v in versions],
            tr("bureau.col.active"): [yes_no(v.active) for v in versions],
            tr("bureau.col.added"): [f"{v.created_at:%Y-%m-%d %H:%M} · {v.created_by}" for v in versions],
            tr("bureau.col.cycles"): [
                sep.join(c.name for c in cycles if c.framework_version_id == v.id) for v in versions
            ],
        }
    )


def framework_facts(fw: Framework, lang: str) -> str:
    """`id version · name · N domains, M items, P points`."""
    return tr(
        "bureau.fw.facts",
        id=fw.id,
        version=fw.version,
        name=fw.name.get(lang),
        domains=len(fw.domains),
        items=len(fw.items()),
        points=f"{fw.total_points:g}",
    )


def diff_table(diff: FrameworkDiff, lang: str) -> pd.DataFrame:
    """One row per change: what changed, on which item, tier or domain, before and after."""
    frame = diff.to_frame(lang)
    return pd.DataFrame(
        {
            tr("bureau.col.change"): frame["change"],
            tr("bureau.col.subject"): frame["subject"],
            tr("bureau.col.title"): frame["title"],
            tr("bureau.col.before"): frame["before"],
            tr("bureau.col.after"): frame["after"],
        }
    )


def rescored(data: CycleData, version_id: int, framework: Framework) -> Rescored:
    """The cycle scored under another version (cached per cycle data and version); nothing is stored."""
    return _rescored(data.key, version_id, data, framework)


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _rescored(key: tuple[str, int, int, int], version_id: int, _data: CycleData, _framework: Framework) -> Rescored:
    return rescore(_data.result, _framework)


def rescore_table(data: CycleData, again: Rescored, view: View, lang: str) -> pd.DataFrame:
    """Per school in the view: official score and tier, under the other version, and the change."""
    found = compare_results(data.result, again.result, core_view(view))
    found = found[found.index.isin(data.in_view(view))]
    fw, other = data.framework, again.result.compiled.framework
    return pd.DataFrame(
        {
            tr("app.col.code"): found.index.to_numpy(),
            tr("app.col.school"): found["school_name"].to_numpy(),
            tr("bureau.col.score_before"): found["score_before"].round(1).to_numpy(),
            tr("bureau.col.tier_before"): tier_words(fw, found["tier_before"], lang),
            tr("bureau.col.score_after"): found["score_after"].round(1).to_numpy(),
            tr("bureau.col.tier_after"): tier_words(other, found["tier_after"], lang),
            tr("bureau.col.change_points"): found["change"].round(1).to_numpy(),
            tr("bureau.col.tier_changed"): [yes_no(x) for x in found["tier_changed"]],
        }
    )


def dropped_table(again: Rescored, data: CycleData, lang: str) -> pd.DataFrame:
    """How many ratings could not be carried over, per item and reason."""
    dropped = again.dropped
    if dropped.empty:
        return pd.DataFrame()
    counts = dropped.groupby(["item_id", "reason"], sort=True).size().reset_index(name="n")
    titles = item_titles(data.framework, lang)
    return pd.DataFrame(
        {
            tr("bureau.col.item"): counts["item_id"],
            tr("bureau.col.title"): [titles.get(i, "") for i in counts["item_id"]],
            tr("bureau.col.reason"): [tr(f"bureau.drop.{r}") for r in counts["reason"]],
            tr("bureau.col.ratings"): counts["n"],
        }
    )


def mean_change(table: pd.DataFrame) -> float | None:
    """The mean score change over the schools compared."""
    change = table[tr("bureau.col.change_points")].astype(float)
    return float(np.nanmean(change)) if change.notna().any() else None
