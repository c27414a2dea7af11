"""Follow-up: each finalized school's action plan (owners, due date), its progress in the next cycle, re-checks.

Pick the cycle whose finalized inspections the plans come from (by default the latest one before the
current cycle that has finalized schools); the next cycle's inspection ratings show how far each plan
got. Schools that reached no tier are listed for a re-check visit.
"""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st

from reports.action_plan import action_plan_xlsx
from reports.context import ReportContext, notes_from_ratings
from store.records import Assignment, Cycle
from ui.bureau.data import (
    CycleData,
    assignments_of,
    cycle_data,
    data_version,
    inspector_names,
    next_cycle,
    oldest_first,
)
from ui.bureau.downloads import download, download_bytes
from ui.bureau.followup import default_due, plans, recheck, school_plan, summary
from ui.context import AppCtx, current
from ui.text import plain, tr

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    """Draw the plans, their progress and the re-check list."""
    ctx = current()
    st.title(tr("bureau.page.followup"))
    if ctx.cycle is None:
        st.info(tr("app.cycle.none"))
        return
    version = data_version(ctx)
    cycle = plan_cycle_picker(ctx, version)
    data = cycle_data(ctx, cycle, version)
    later_cycle = next_cycle(ctx, cycle)
    later = cycle_data(ctx, later_cycle, version) if later_cycle is not None else None
    st.caption(
        plain(
            tr(
                "bureau.followup.caption",
                plan=cycle.name,
                next=later_cycle.name if later_cycle else tr("bureau.followup.no_next"),
            )
        )
    )
    if data.finalized.empty:
        st.info(tr("bureau.followup.none_finalized"))
        return
    due = st.date_input(
        tr("bureau.col.due"), value=default_due(data, date.today()), key=f"bureau.followup.due.{cycle.id}"
    )
    all_plans = plans(data, due)
    teams = assignments_of(ctx, later_cycle, version) if later_cycle is not None else ()
    recheck_block(ctx, data, later, teams)
    summary_block(ctx, data, all_plans, later)
    school_block(ctx, data, all_plans, later, due)


def plan_cycle_picker(ctx: AppCtx, version: int) -> Cycle:
    """The cycle the plans come from: by default the latest before the current one with finalized schools."""
    ordered = oldest_first(ctx)
    upto = ordered[: [c.id for c in ordered].index(ctx.cycle.id) + 1] if ctx.cycle else ordered
    earlier = [c for c in upto[:-1] if len(cycle_data(ctx, c, version).finalized)]
    default = (earlier or upto)[-1]
    names = {c.id: c.name for c in reversed(ordered)}
    chosen = st.selectbox(
        tr("bureau.followup.plan_cycle"),
        options=list(names),
        format_func=names.__getitem__,
        index=list(names).index(default.id),
        key="bureau.followup.cycle",
        placeholder=tr("app.choose"),
    )
    return next(c for c in ordered if c.id == chosen)


def recheck_block(ctx: AppCtx, data: CycleData, later: CycleData | None, teams: tuple[Assignment, ...]) -> None:
    """Schools that reached no tier: a re-check visit."""
    st.subheader(tr("bureau.followup.recheck"))
    frame = recheck(data, later, teams, inspector_names(ctx), ctx.lang)
    if frame.empty:
        st.success(tr("bureau.followup.no_recheck"))
        return
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.recheck"), "followup.recheck")


def summary_block(ctx: AppCtx, data: CycleData, all_plans: dict, later: CycleData | None) -> None:
    """Every finalized school's plan size and progress."""
    st.subheader(tr("bureau.followup.summary"))
    frame = summary(data, all_plans, later, ctx.lang)
    st.dataframe(frame, hide_index=True, width="stretch", height=360, placeholder="—")
    download(frame, tr("bureau.file.plans"), "followup.summary")


def school_block(ctx: AppCtx, data: CycleData, all_plans: dict, later: CycleData | None, due: date) -> None:
    """One school's plan with its progress, and the plan as the school's Excel sheet."""
    st.subheader(tr("bureau.followup.school"))
    names = {c: f"{c} {data.facts['school_name'].get(c, '')}" for c in all_plans}
    code = st.selectbox(
        tr("bureau.chart.school"),
        options=list(names),
        format_func=names.__getitem__,
        key="bureau.followup.school",
        placeholder=tr("app.choose"),
    )
    if code is None:
        return
    frame = school_plan(data, all_plans[code], later, ctx.lang)
    if frame.empty:
        st.success(tr("bureau.followup.nothing_to_do"))
        return
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.school_plan", code=code), "followup.school")
    build = functools.partial(plan_workbook, data, code, ctx.lang, due)
    download_bytes(
        build, f"{code}_{tr('bureau.file.school_plan_xlsx')}.xlsx", "followup.xlsx", tr("bureau.followup.xlsx"), XLSX
    )


def plan_workbook(data: CycleData, code: str, lang: str, due: date) -> bytes:
    """The school's action plan as the Excel sheet it fills in (built when the button is pressed)."""
    ctx = ReportContext(data.result, code, data.cycle.name, notes=notes_from_ratings(data.ratings, code))
    return action_plan_xlsx(ctx, lang, due)


if __name__ == "__main__":
    render()
