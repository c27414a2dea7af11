"""The plan's 2025 targets on one cycle and across cycles, as the targets page shows them.

`scoring.targets` computes each target; this module feeds it a cycle's facts and results (the pass
rate counts finalized schools only) and the two figures the bureau enters, and names the columns.
The entered figures are stored per cycle (`Cycles.entered_figures` / `set_entered_figures`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from scoring.targets import ENTERED, TargetStatus, district_targets, targets_frame, targets_trend
from ui.bureau.data import CycleData
from ui.bureau.labels import met_word
from ui.context import AppCtx
from ui.text import tr


def entered_for(ctx: AppCtx, cycle_id: int) -> dict[str, float]:
    """The figures stored for a cycle (target id → percent)."""
    kept = ctx.services.cycles.entered_figures(ctx.user, cycle_id)
    return {k: float(v) for k, v in kept.items() if k in ENTERED}


def keep_entered(ctx: AppCtx, cycle_id: int, figures: Mapping[str, float | None]) -> dict[str, float]:
    """Store the figures of a cycle (None removes one); every figure of the cycle afterwards."""
    return ctx.services.cycles.set_entered_figures(ctx.user, cycle_id, figures)


def statuses(data: CycleData, entered: Mapping[str, float] | None = None) -> list[TargetStatus]:
    """Every target of the plan on the cycle, with its entered figures; the pass rate over its finalized schools."""
    return district_targets(data.facts, data.result, entered or {}, inspected=list(data.finalized))


def partial(item: TargetStatus, total: int | None) -> bool:
    """Whether a target counted from results (the pass rate) is over part of the cycle's schools only."""
    return total is not None and item.target.source == "results" and 0 < item.counted < total


def verdicts(items: list[TargetStatus], total: int | None = None) -> list[str]:
    """Met / not met per target; "not judged yet, n / total finalized" while the results are incomplete."""
    return [
        tr("guide.headline.not_yet", counted=s.counted, total=total) if partial(s, total) else met_word(s.met)
        for s in items
    ]


def table(items: list[TargetStatus], lang: str, total: int | None = None) -> pd.DataFrame:
    """One row per target: clause, what it measures, goal, source, value, met, gap, schools short, blockers.

    `total`: the schools of the cycle; a target from results over fewer of them is not judged yet.
    """
    frame = targets_frame(items, lang).reset_index()
    return pd.DataFrame(
        {
            tr("bureau.col.clause"): frame["clause"],
            tr("bureau.col.target"): frame["label"],
            tr("bureau.col.goal"): frame["goal"],
            tr("bureau.col.source"): frame["source"],
            tr("bureau.col.value"): frame["value"],
            tr("bureau.col.met"): verdicts(items, total),
            tr("bureau.col.gap"): frame["gap"],
            tr("bureau.col.meeting"): [
                f"{m} / {c}" if c else "—" for m, c in zip(frame["meeting"], frame["counted"], strict=True)
            ],
            tr("bureau.col.short"): frame["short"],
            tr("bureau.col.blocking"): [len(s.blocking) for s in items],
        }
    )


def bullet_frame(items: list[TargetStatus], lang: str) -> pd.DataFrame:
    """The percentage targets with a value: label, value, goal, met (for the bullet chart)."""
    rows = [
        {"label": s.target.label(lang), "value": s.value, "goal": s.target.goal, "met": bool(s.met)}
        for s in items
        if s.target.unit == "pct" and s.value is not None
    ]
    return pd.DataFrame(rows, columns=["label", "value", "goal", "met"])


def blocking_frame(item: TargetStatus) -> pd.DataFrame:
    """The schools that keep a target from being met."""
    return pd.DataFrame(list(item.blocking), columns=[tr("app.col.code"), tr("app.col.school")])


def trend(by_cycle: Mapping[str, list[TargetStatus]], lang: str) -> pd.DataFrame:
    """Targets × cycles of values, each target's label and goal first."""
    frame = targets_trend(by_cycle, lang)
    frame[list(by_cycle)] = frame[list(by_cycle)].round(1)
    return frame.rename(columns={"label": tr("bureau.col.target"), "goal": tr("bureau.col.goal")})


def trend_long(by_cycle: Mapping[str, list[TargetStatus]], lang: str) -> pd.DataFrame:
    """The percentage targets' values per cycle as long rows (series, cycle, value) for the line chart."""
    rows = [
        {"series": s.target.label(lang), "cycle": cycle, "value": s.value}
        for cycle, items in by_cycle.items()
        for s in items
        if s.target.unit == "pct" and s.value is not None
    ]
    return pd.DataFrame(rows, columns=["series", "cycle", "value"])
