"""District overview for the bureau: where the cycle stands and where the district stands against the plan.

How many schools are at each step, every school's status and official result, then for the chosen
results (official, every inspection so far, or self-assessments) and filters (stage, street or town,
ownership): the standard-school pass rate against the plan's 95%, the tier distribution, the heatmap
of schools × domains, the ranking and the weakest items with the schools behind each.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
import streamlit as st

from store.records import Status
from ui.bureau import charts
from ui.bureau.board import headline
from ui.bureau.data import CycleData, View, cycle_data
from ui.bureau.district import (
    PASS_GOAL,
    by_street,
    heatmap_frame,
    item_schools,
    pass_frame,
    pass_rate,
    ranking_frame,
    schools_frame,
    tiers_frame,
    weakest_frame,
)
from ui.bureau.downloads import download
from ui.bureau.filters import lang_key, school_filters, view_picker
from ui.bureau.labels import domain_titles, met_word
from ui.context import AppCtx, current
from ui.text import plain, tr
from ui.widgets import status_text


def render() -> None:
    """Draw the district overview of the cycle."""
    ctx = current()
    st.title(tr("app.page.district"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    st.caption(plain(cycle.name))
    data = cycle_data(ctx, cycle)
    status_counts(data)
    every_school(ctx, data)
    st.subheader(tr("bureau.home.results"))
    view = view_picker()
    codes = school_filters(data, ctx.lang)
    left, right = st.columns(2)
    with left:
        pass_rate_block(data, view, codes)
    with right:
        tiers_block(ctx, data, view, codes)
    heatmap_block(ctx, data, view, codes)
    ranking_block(ctx, data, view, codes)
    weakest_block(ctx, data, view, codes)


def status_counts(data: CycleData) -> None:
    """How many schools are at each step of the workflow."""
    counts = Counter(a.status for a in data.assessments)
    for col, status in zip(st.columns(len(Status)), Status, strict=True):
        col.metric(status_text(status), counts.get(status, 0))
    not_started, late = headline(data, date.today())
    st.caption(tr("bureau.home.headline", not_started=not_started, overdue=late))


def every_school(ctx: AppCtx, data: CycleData) -> None:
    """Every school of the cycle with its status and official result."""
    frame = schools_frame(data, ctx.lang)
    with st.expander(tr("bureau.home.every_school", n=len(frame))):
        st.dataframe(frame, hide_index=True, width="stretch", height=360, placeholder="—")
        download(frame, tr("bureau.file.schools"), "home.schools")


def pass_rate_block(data: CycleData, view: View, codes: pd.Index) -> None:
    """The standard-school pass rate against the plan's 95%."""
    st.markdown(f"**{tr('bureau.target.standard_pass_rate')}**")
    rate = pass_rate(data, view, codes)
    if rate.rate is None:
        st.info(tr("bureau.home.no_results", view=tr(f"bureau.view.{view}")))
        return
    if not rate.complete:  # a rate over part of the district says so, and judges nothing yet
        st.markdown(
            tr(
                "guide.headline.partial",
                rate=f"{rate.rate:.1f}",
                passed=rate.passed,
                counted=rate.counted,
                total=rate.total,
                done=tr(f"guide.headline.done.{view}"),
                goal=f"{PASS_GOAL:g}",
            )
        )
    else:
        st.markdown(
            tr(
                "bureau.home.pass_line",
                rate=f"{rate.rate:.1f}",
                passed=rate.passed,
                counted=rate.counted,
                goal=f"{PASS_GOAL:g}",
                verdict=met_word(rate.verdict),
                gap=f"{rate.gap:.1f}",
            )
        )
    frame = pass_frame(rate)
    st.altair_chart(charts.bullet(frame, tr("bureau.col.value_pct"), "", tr("bureau.col.goal")), width="stretch")
    download(frame, tr("bureau.file.pass_rate"), "home.pass")


def tiers_block(ctx: AppCtx, data: CycleData, view: View, codes: pd.Index) -> None:
    """Schools per tier."""
    st.markdown(f"**{tr('bureau.home.tiers')}**")
    frame = tiers_frame(data, view, codes, ctx.lang)
    st.altair_chart(charts.counts_bar(frame, tr("bureau.col.tier"), tr("bureau.col.schools")), width="stretch")
    download(
        frame.rename(columns={"label": tr("bureau.col.tier"), "count": tr("bureau.col.schools")}),
        tr("bureau.file.tiers"),
        "home.tiers",
    )


def heatmap_block(ctx: AppCtx, data: CycleData, view: View, codes: pd.Index) -> None:
    """Schools × domains; above 5,000 schools, streets × domains (said in words)."""
    st.subheader(tr("bureau.home.heatmap"))
    frame = heatmap_frame(data, view, codes, ctx.lang)
    if frame.empty:
        st.info(tr("bureau.home.no_results", view=tr(f"bureau.view.{view}")))
        return
    shown = frame
    if not charts.heatmap_rows(frame):
        shown = by_street(frame)
        st.info(tr("bureau.home.heatmap_streets", n=len(frame), max=charts.MAX_ROWS))
    titles = {k: tr(f"bureau.chart.{k}") for k in ("school", "domain", "pct", "score")}
    domains = list(domain_titles(data.framework, ctx.lang).values())
    st.altair_chart(charts.heatmap(shown, domains, titles), width="stretch")
    download(
        frame.rename(
            columns={"label": tr("app.col.school"), "street": tr("bureau.col.street"), "score": tr("bureau.col.score")}
        ),
        tr("bureau.file.heatmap"),
        "home.heatmap",
    )


def ranking_block(ctx: AppCtx, data: CycleData, view: View, codes: pd.Index) -> None:
    """The ranking of the filtered schools."""
    st.subheader(tr("bureau.home.ranking"))
    frame = ranking_frame(data, view, codes, ctx.lang)
    st.caption(tr("bureau.home.ranking_count", n=len(frame), total=len(codes)))
    st.dataframe(frame, hide_index=True, width="stretch", height=420, placeholder="—")
    download(frame, tr("bureau.file.ranking"), "home.ranking")


def weakest_block(ctx: AppCtx, data: CycleData, view: View, codes: pd.Index) -> None:
    """The weakest items district-wide, and the schools behind the one picked."""
    st.subheader(tr("bureau.home.weakest"))
    frame = weakest_frame(data, view, codes, ctx.lang)
    if frame.empty:
        st.info(tr("bureau.home.no_results", view=tr(f"bureau.view.{view}")))
        return
    shown = frame.rename(columns={"item_id": tr("bureau.col.item")})
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="—")
    download(shown, tr("bureau.file.weakest"), "home.weakest")
    bars = pd.DataFrame(
        {
            "label": frame["item_id"] + " " + frame[tr("bureau.col.item_title")],
            "value": frame[tr("bureau.col.mean_pct")],
        }
    )
    st.altair_chart(charts.hbar(bars, tr("bureau.col.mean_pct"), "", domain=(0, 100)), width="stretch")
    titles = dict(zip(frame["item_id"], frame[tr("bureau.col.item_title")], strict=True))
    item = st.selectbox(
        tr("bureau.home.drill"),
        options=list(titles),
        format_func=lambda i: f"{i} {titles[i]}",
        key=lang_key("bureau.drill"),
        placeholder=tr("app.choose"),
    )
    schools = item_schools(data, view, codes, item)
    st.dataframe(schools, hide_index=True, width="stretch", placeholder="—")
    download(schools, tr("bureau.file.item_schools", item=item), "home.drill")


if __name__ == "__main__":
    render()
