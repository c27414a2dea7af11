"""Altair charts of the bureau's pages, every title and label in the session's language.

Data is passed one row per mark except in the heatmap, which gets one row per school (domains as
columns) and lets Vega-Lite fold the domains into cells: a 2,000-school district is 2,000 rows of
inline data (14,000 cells drawn). Above `MAX_ROWS` schools the caller aggregates (see `heatmap_rows`),
so no chart ever carries more than 5,000 rows of data.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

MAX_ROWS = 5000
"""Altair's inline-data limit outside Streamlit; charts here stay at or below it."""
LABELLED_ROWS = 60
"""Up to this many rows, a chart of rows (heatmap, bars) names each row on its axis; above, the tooltip does."""
ROW_STEP, BAR_STEP, THIN_STEP = 24, 28, 16
"""Height of one named row of the heatmap, of one bar, and of one bar of a long list (pixels per row)."""
BIG_HEIGHT = (400, 1600)
"""Least and greatest height of a heatmap too long to name its rows (2 pixels per school in between)."""
GOOD, BAD, GOAL = "#2e7d32", "#c62828", "#37474f"
TIER_COLORS = ("#c62828", "#f9a825", "#2e7d32", "#1565c0", "#9e9e9e")
PADDING = {"left": 8, "right": 16, "top": 8, "bottom": 8}
"""Room around every chart, so that axis titles and the last label are never cut off."""


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Padding and axis titles that fit: the size given is the plot's, axes and titles come on top of it."""
    return chart.properties(padding=PADDING).configure_axis(
        titlePadding=10, labelFontSize=12, titleFontSize=12, labelOverlap=False
    )


def row_height(n: int, step: int) -> alt.Step | int:
    """The height of a chart of n rows: `step` pixels per named row; a long list a bounded height."""
    if n <= LABELLED_ROWS:
        return alt.Step(step)
    if step == ROW_STEP:
        return min(max(2 * n, BIG_HEIGHT[0]), BIG_HEIGHT[1])
    return alt.Step(THIN_STEP)


def heatmap(frame: pd.DataFrame, domains: Sequence[str], titles: dict[str, str]) -> alt.Chart:
    """Schools (rows, best score first) × domains (columns), coloured by the domain percentage.

    `frame`: one row per school with `label`, `score` and one column per domain label in `domains`;
    `titles`: axis and legend words (`school`, `domain`, `pct`, `score`). One school or sixty: one
    named row of `ROW_STEP` pixels each; more: a bounded height, rows named in the tooltip.
    """
    n = len(frame)
    y_axis = alt.Axis(labelLimit=240) if n <= LABELLED_ROWS else alt.Axis(labels=False, ticks=False)
    chart = (
        alt.Chart(frame)
        .transform_fold(list(domains), as_=["domain", "pct"])
        .mark_rect()
        .encode(
            x=alt.X(
                "domain:N",
                sort=list(domains),
                title=titles["domain"],
                axis=alt.Axis(labelAngle=-30, labelLimit=180, orient="top"),
            ),
            y=alt.Y(
                "label:N", sort=alt.EncodingSortField("score", order="descending"), title=titles["school"], axis=y_axis
            ),
            color=alt.Color(
                "pct:Q",
                title=titles["pct"],
                scale=alt.Scale(domain=[0, 100], scheme="redyellowgreen"),
                legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=240),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=titles["school"]),
                alt.Tooltip("domain:N", title=titles["domain"]),
                alt.Tooltip("pct:Q", title=titles["pct"], format=".1f"),
                alt.Tooltip("score:Q", title=titles["score"], format=".1f"),
            ],
        )
        .properties(height=row_height(n, ROW_STEP))
    )
    return _finish(chart)


def heatmap_rows(frame: pd.DataFrame) -> bool:
    """Whether the schools fit in one chart (else the caller aggregates them)."""
    return len(frame) <= MAX_ROWS


def counts_bar(frame: pd.DataFrame, x_title: str, y_title: str, colors: Sequence[str] = TIER_COLORS) -> alt.Chart:
    """Vertical bars of `count` per `label`, in the frame's order (tier distribution, status counts)."""
    order = list(frame["label"])
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=order, title=x_title, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            y=alt.Y("count:Q", title=y_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("label:N", sort=order, scale=alt.Scale(range=list(colors)[: len(order)]), legend=None),
            tooltip=[alt.Tooltip("label:N", title=x_title), alt.Tooltip("count:Q", title=y_title)],
        )
    )
    counts = bars.mark_text(dy=-8, fontSize=12).encode(text="count:Q", color=alt.value(GOAL))
    return _finish((bars + counts).properties(height=260))


def bullet(frame: pd.DataFrame, x_title: str, y_title: str, goal_title: str, maximum: float = 100.0) -> alt.Chart:
    """Horizontal bars of `value` per `label` with a tick at each row's `goal`; green when `met`."""
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=y_title or None, axis=alt.Axis(labelLimit=320))
    )
    bars = base.mark_bar(height=14).encode(
        x=alt.X("value:Q", title=x_title, scale=alt.Scale(domain=[0, maximum])),
        color=alt.condition("datum.met", alt.value(GOOD), alt.value(BAD)),
        tooltip=[
            alt.Tooltip("label:N", title=y_title),
            alt.Tooltip("value:Q", title=x_title, format=".1f"),
            alt.Tooltip("goal:Q", title=goal_title, format=".1f"),
        ],
    )
    ticks = base.mark_tick(color=GOAL, thickness=3, size=24).encode(x="goal:Q")
    return _finish((bars + ticks).properties(height=alt.Step(34)))


def hbar(frame: pd.DataFrame, x_title: str, y_title: str, domain: Sequence[float] | None = None) -> alt.Chart:
    """Horizontal bars of `value` per `label` in the frame's order; negative values red (bias, gaps).

    Every row is named on its axis (labels never thinned out), one `BAR_STEP` row each.
    """
    scale = alt.Scale(domain=list(domain)) if domain is not None else alt.Undefined
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                sort=list(frame["label"]),
                title=y_title or None,
                axis=alt.Axis(labelLimit=320, labelOverlap=False),
            ),
            x=alt.X("value:Q", title=x_title, scale=scale),
            color=alt.condition("datum.value < 0", alt.value(BAD), alt.value("#1565c0")),
            tooltip=[alt.Tooltip("label:N", title=y_title), alt.Tooltip("value:Q", title=x_title, format=".3f")],
        )
        .properties(height=row_height(len(frame), BAR_STEP))
    )
    return _finish(chart)


def grouped_bars(frame: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Domain percentages of a few schools side by side: `domain` on x, one bar per `school`."""
    domains = list(dict.fromkeys(frame["domain"]))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("domain:N", sort=domains, title=titles["domain"], axis=alt.Axis(labelAngle=-30, labelLimit=180)),
            xOffset=alt.XOffset("school:N"),
            y=alt.Y("pct:Q", title=titles["pct"], scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "school:N", title=titles["school"], legend=alt.Legend(orient="bottom", columns=2, labelLimit=400)
            ),
            tooltip=[
                alt.Tooltip("school:N", title=titles["school"]),
                alt.Tooltip("domain:N", title=titles["domain"]),
                alt.Tooltip("pct:Q", title=titles["pct"], format=".1f"),
            ],
        )
        .properties(height=300)
    )
    return _finish(chart)


def lines(frame: pd.DataFrame, titles: dict[str, str], order: Sequence[str]) -> alt.Chart:
    """`value` over `cycle` (in `order`), one line per `series`, with points; percentages on a 0–100 axis.

    With one cycle there is no line to draw: one bar per series over that cycle instead, on the same axes.
    """
    legend = alt.Legend(orient="bottom", columns=1, labelLimit=400)
    x = alt.X("cycle:N", sort=list(order), title=titles["cycle"], axis=alt.Axis(labelAngle=0, labelLimit=260))
    y = alt.Y("value:Q", title=titles["value"], scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("series:N", title=titles["series"]),
        alt.Tooltip("cycle:N", title=titles["cycle"]),
        alt.Tooltip("value:Q", title=titles["value"], format=".1f"),
    ]
    color = alt.Color("series:N", title=titles["series"], legend=legend)
    base = alt.Chart(frame)
    if frame["cycle"].nunique() <= 1:
        chart = base.mark_bar().encode(x=x, xOffset=alt.XOffset("series:N"), y=y, color=color, tooltip=tooltip)
    else:
        chart = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
            x=x, y=y, color=color, tooltip=tooltip
        )
    return _finish(chart.properties(height=320))
