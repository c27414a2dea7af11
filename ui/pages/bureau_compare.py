"""Schools side by side, and one school across cycles.

Two to six schools of the cycle in columns: score and tier, domain percentages (highest and lowest of
each domain marked) and every item's level, items where the schools differ highlighted. Then one
school across cycles on the items the cycles' framework versions share with the same levels.
"""

from __future__ import annotations

import streamlit as st

from scoring.compare import SIDE_BY_SIDE_RANGE, SideBySide, school_across_cycles, side_by_side
from ui import native
from ui.bureau import charts
from ui.bureau.compare import (
    across_frames,
    changed_rows,
    domains_frame,
    domains_long,
    items_frame,
    school_labels,
    style_extremes,
    style_rows,
    summary_frame,
    trend_long,
)
from ui.bureau.data import CycleData, View, core_view, cycle_data, data_version, oldest_first
from ui.bureau.downloads import download
from ui.bureau.filters import lang_key, view_picker
from ui.bureau.labels import catalog_words, status_word
from ui.context import AppCtx, current
from ui.text import plain, tr

LOW, HIGH = SIDE_BY_SIDE_RANGE


def render() -> None:
    """Draw the two comparisons."""
    ctx = current()
    st.title(tr("bureau.page.compare"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    st.caption(plain(cycle.name))
    version = data_version(ctx)
    data = cycle_data(ctx, cycle, version)
    side, across = st.tabs([tr("bureau.compare.tab.side"), tr("bureau.compare.tab.across")])
    with side:
        side_by_side_block(ctx, data)
    with across:
        across_block(ctx, data, version)


def side_by_side_block(ctx: AppCtx, data: CycleData) -> None:
    """Pick 2–6 schools with results in the chosen view; their scores, domains and levels."""
    view = view_picker("bureau.compare.view")
    codes = list(data.in_view(view))
    labels = school_labels(data, codes)
    chosen = st.multiselect(
        tr("bureau.compare.pick", low=LOW, high=HIGH),
        options=codes,
        format_func=labels.__getitem__,
        max_selections=HIGH,
        key=f"bureau.compare.schools.{view}",
        placeholder=tr("guide.choose_many"),
        select_all=native.select_all(),
    )
    if len(chosen) < LOW:
        st.info(tr("bureau.compare.fewer", low=LOW, n=len(codes), view=tr(f"bureau.view.{view}")))
        return
    sbs = side_by_side(data.result, chosen, core_view(view))
    summary = summary_frame(data, sbs, ctx.lang)
    st.dataframe(summary, hide_index=True, width="stretch", placeholder="—")
    download(summary, tr("bureau.file.compare_summary"), "compare.summary")
    domains_block(ctx, data, sbs)
    items_block(ctx, data, sbs)


def domains_block(ctx: AppCtx, data: CycleData, sbs: SideBySide) -> None:
    """Domain percentages, highest and lowest of each row marked, and as grouped bars."""
    st.subheader(tr("bureau.compare.domains"))
    frame = domains_frame(data, sbs, ctx.lang)
    st.dataframe(style_extremes(frame), width="stretch", placeholder="—")
    download(frame, tr("bureau.file.compare_domains"), "compare.domains", index=True)
    titles = {k: tr(f"bureau.chart.{k}") for k in ("school", "domain", "pct")}
    st.altair_chart(charts.grouped_bars(domains_long(frame), titles), width="stretch")


def items_block(ctx: AppCtx, data: CycleData, sbs: SideBySide) -> None:
    """Every item's level per school, rows where they differ highlighted (or only those)."""
    st.subheader(tr("bureau.compare.items"))
    frame, flags = items_frame(data, sbs, ctx.lang)
    st.caption(tr("bureau.compare.differ", n=sum(flags), total=len(flags)))
    if st.toggle(tr("bureau.compare.only_differ"), key="bureau.compare.only"):
        frame, flags = frame[flags].reset_index(drop=True), [True] * sum(flags)
    st.dataframe(style_rows(frame, flags), hide_index=True, width="stretch", height=520, placeholder="—")
    download(frame.assign(**{tr("bureau.col.differs"): flags}), tr("bureau.file.compare_items"), "compare.items")


def across_block(ctx: AppCtx, data: CycleData, version: int) -> None:
    """One school across the cycles it took part in, on the items the versions share."""
    view: View = st.radio(
        tr("bureau.view.label"),
        options=["inspection", "self"],
        format_func=catalog_words("bureau.view."),
        key=lang_key("bureau.across.view"),
        horizontal=True,
    )
    labels = school_labels(data, list(data.result.schools))
    code = st.selectbox(
        tr("bureau.chart.school"),
        options=list(labels),
        format_func=labels.__getitem__,
        key="bureau.across.school",
        placeholder=tr("app.choose"),
    )
    if code is None:
        return
    cycles = {c.name: cycle_data(ctx, c, version) for c in oldest_first(ctx)}
    present = {name: d for name, d in cycles.items() if code in d.result.schools}
    statuses = {name: status_word(d.status[code]) for name, d in present.items() if code in d.status.index}
    comparison = school_across_cycles({n: d.result for n, d in present.items()}, code, core_view(view))
    frames = across_frames(comparison, data, statuses, ctx.lang)
    st.dataframe(frames["score"], hide_index=True, width="stretch", placeholder="—")
    download(frames["score"], tr("bureau.file.across_scores", code=code), "across.score")
    if comparison.excluded:
        st.caption(
            tr(
                "bureau.compare.excluded",
                n=len(comparison.excluded),
                items=tr("bureau.list_sep").join(comparison.excluded),
            )
        )
    st.subheader(tr("bureau.compare.domains"))
    st.dataframe(frames["domains"], width="stretch", placeholder="—")
    download(frames["domains"], tr("bureau.file.across_domains", code=code), "across.domains", index=True)
    titles = {"cycle": tr("bureau.col.cycle"), "value": tr("bureau.chart.pct"), "series": tr("bureau.chart.domain")}
    st.altair_chart(charts.lines(trend_long(frames["domains"]), titles, list(present)), width="stretch")
    st.subheader(tr("bureau.compare.items"))
    flags = changed_rows(frames["levels"])
    st.caption(tr("bureau.compare.changed", n=sum(flags), total=len(flags)))
    st.dataframe(style_rows(frames["levels"], flags), width="stretch", height=480, placeholder="—")
    download(frames["levels"], tr("bureau.file.across_levels", code=code), "across.levels", index=True)


if __name__ == "__main__":
    render()
