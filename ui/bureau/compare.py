"""Comparison tables in the session's language: schools side by side, and one school across cycles.

The numbers come from `scoring.compare` (`side_by_side`, `school_across_cycles`); this module names
rows and columns and marks what differs, for the screen and for the CSV downloads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scoring.compare import CycleComparison, SideBySide
from ui.bureau.data import CycleData
from ui.bureau.labels import domain_titles, item_titles, stages_text, tier_words
from ui.text import tr

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

DIFFERS = "background-color: #fde7e4"
HIGH, LOW = "background-color: #e3f2e5", "background-color: #fde7e4"


def school_labels(data: CycleData, codes: Sequence[str]) -> dict[str, str]:
    """Code → `code name`."""
    names = data.facts["school_name"]
    return {c: f"{c} {names.get(c, '')}" for c in codes}


def summary_frame(data: CycleData, sbs: SideBySide, lang: str) -> pd.DataFrame:
    """One row per school: code, name, stages, score and tier."""
    s = sbs.summary
    return pd.DataFrame(
        {
            tr("app.col.code"): s.index.to_numpy(),
            tr("app.col.school"): s["school_name"].to_numpy(),
            tr("bureau.col.stages"): [stages_text(x, lang) for x in s["stages"]],
            tr("bureau.col.score"): s["score"].round(1).to_numpy(),
            tr("bureau.col.tier"): tier_words(data.framework, s["tier"], lang),
        }
    )


def domains_frame(data: CycleData, sbs: SideBySide, lang: str) -> pd.DataFrame:
    """Domains (rows, by title) × schools (columns, by `code name`): percentages."""
    labels = school_labels(data, list(sbs.domains.columns))
    titles = domain_titles(data.framework, lang)
    out = sbs.domains.round(1).rename(columns=labels)
    out.index = pd.Index([titles.get(d, d) for d in out.index], name=tr("app.col.domain"))
    return out


def domains_long(frame: pd.DataFrame) -> pd.DataFrame:
    """The domains frame as long rows (domain, school, pct) for the grouped bar chart."""
    long = frame.reset_index().melt(id_vars=frame.index.name, var_name="school", value_name="pct")
    return long.rename(columns={frame.index.name: "domain"})


def items_frame(data: CycleData, sbs: SideBySide, lang: str) -> tuple[pd.DataFrame, list[bool]]:
    """Items (rows) × schools (columns): levels; and per row whether the schools with a level differ."""
    items = sbs.items
    labels = school_labels(data, [c for c in items.columns if c not in ("domain", "differs")])
    titles = item_titles(data.framework, lang)
    out = pd.DataFrame(
        {
            tr("bureau.col.item"): items.index.to_numpy(),
            tr("bureau.col.item_title"): [titles.get(i, i) for i in items.index],
            tr("app.col.domain"): items["domain"].to_numpy(),
        }
    )
    for code, label in labels.items():
        out[label] = items[code].to_numpy()
    return out, [bool(x) for x in items["differs"]]


def style_rows(frame: pd.DataFrame, flags: Sequence[bool]) -> Styler:
    """The frame with the flagged rows highlighted."""
    return frame.style.apply(lambda col: [DIFFERS if f else "" for f in flags], axis=0)


def style_extremes(frame: pd.DataFrame) -> Styler:
    """Per row, the highest value green and the lowest red, where they differ."""

    def row(values: pd.Series) -> list[str]:
        if values.nunique(dropna=True) < 2:
            return [""] * len(values)
        return [HIGH if v == values.max() else LOW if v == values.min() else "" for v in values]

    return frame.style.apply(row, axis=1).format("{:.1f}", na_rep="—")


def across_frames(
    comparison: CycleComparison, data: CycleData, statuses: Mapping[str, str], lang: str
) -> dict[str, pd.DataFrame]:
    """One school across cycles: the scores (with each cycle's status), domain percentages and levels."""
    titles, domains = item_titles(data.framework, lang), domain_titles(data.framework, lang)
    score = pd.DataFrame(
        {
            tr("bureau.col.cycle"): list(comparison.score_pct.index),
            tr("app.home.status"): [statuses.get(c, "") for c in comparison.score_pct.index],
            tr("bureau.col.shared_pct"): comparison.score_pct.round(1).to_numpy(),
        }
    )
    pct = comparison.domain_pct.round(1)
    pct.index = pd.Index([domains.get(d, d) for d in pct.index], name=tr("app.col.domain"))
    levels = comparison.levels.copy()
    levels.insert(0, tr("bureau.col.item_title"), [titles.get(i, i) for i in levels.index])
    levels.index.name = tr("bureau.col.item")
    return {"score": score, "domains": pct, "levels": levels}


def changed_rows(levels: pd.DataFrame) -> list[bool]:
    """Rows whose level differs between the cycles that have one."""
    cells = levels.iloc[:, 1:].astype(str)
    return [len({v for v in row if v}) > 1 for row in cells.to_numpy()]


def trend_long(domains: pd.DataFrame) -> pd.DataFrame:
    """Domain × cycle percentages as long rows (series, cycle, value) for the line chart."""
    long = domains.reset_index().melt(id_vars=domains.index.name, var_name="cycle", value_name="value")
    return long.rename(columns={domains.index.name: "series"}).replace({np.nan: None}).dropna()
