"""The plan's 2025 targets (长教〔2024〕11号 二): where the district stands on each, and the trend across cycles.

Seven targets are computed from the schools' facts and the finalized results; two (family-guidance
stations, community counselling coverage) are figures the bureau enters, stored per cycle. For each:
value, met or not, the gap, and the schools that keep it from being met.
"""

from __future__ import annotations

import streamlit as st

from i18n.problems import InputError, Problem
from scoring.targets import ENTERED, TARGET_BY_ID, check_entered
from ui import fields, state
from ui.bureau import charts
from ui.bureau.data import CycleData, cycle_data, data_version, oldest_first
from ui.bureau.downloads import download
from ui.bureau.filters import lang_key
from ui.bureau.targets import (
    blocking_frame,
    bullet_frame,
    entered_for,
    keep_entered,
    statuses,
    table,
    trend,
    trend_long,
)
from ui.context import AppCtx, current
from ui.text import plain, tr
from ui.widgets import guarded


def entered_key(cycle_id: int, target_id: str) -> str:
    """The session key of one entered figure's input."""
    return f"bureau.entered.{cycle_id}.{target_id}"


def render() -> None:
    """Draw the targets of the cycle, the entered figures and the trend."""
    ctx = current()
    st.title(tr("bureau.page.targets"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    st.caption(plain(tr("bureau.targets.caption", name=cycle.name)))
    version = data_version(ctx)
    data = cycle_data(ctx, cycle, version)
    entered = entered_for(ctx, cycle.id)
    entered_form(ctx, data, entered)
    current_block(ctx, data, entered)
    trend_block(ctx, version)


def entered_form(ctx: AppCtx, data: CycleData, kept: dict[str, float]) -> None:
    """The two figures the bureau enters, in percent."""
    with st.expander(tr("bureau.targets.entered"), expanded=not kept):
        st.info(tr("bureau.targets.saved_note"), icon=":material/info:")
        with st.form(entered_form_key(data.cycle.id)):
            for target_id in ENTERED:
                target = TARGET_BY_ID[target_id]
                st.number_input(  # no min/max here: the browser would refuse 120 without a word; we say why
                    f"{target.label(ctx.lang)}（{target.goal_text(ctx.lang)}）",
                    value=kept.get(target_id),
                    step=1.0,
                    key=entered_key(data.cycle.id, target_id),
                    placeholder=tr("bureau.targets.empty"),
                )
                fields.show(entered_form_key(data.cycle.id), target_id)
            st.form_submit_button(
                tr("bureau.targets.apply"),
                key=f"bureau.entered.send.{data.cycle.id}",
                on_click=guarded(apply_entered),
                args=(ctx, data.cycle.id),
            )


def at_fields(error: InputError) -> InputError:
    """The range problems of the entered figures, each located at its target's field and named in words."""
    problems = []
    for p in error.problems:
        target = p.params.get("target")
        if p.key == "bureau.entered.range" and target in TARGET_BY_ID:
            found = p.params.get("found")
            problems.append(Problem("guide.form.percent", {"found": f"{found:g}"}, path=str(target)))
    return InputError(problems or list(error.problems))


def entered_form_key(cycle_id: int) -> str:
    """The key of the entered-figures form of a cycle (also the key of its field messages)."""
    return f"bureau.entered.{cycle_id}"


def apply_entered(ctx: AppCtx, cycle_id: int) -> None:
    """Form callback: check the figures (percentages 0–100) and store them; a wrong one is named at its field."""
    s = state.session()
    figures = {t: s.get(entered_key(cycle_id, t)) for t in ENTERED}
    try:
        check_entered({k: v for k, v in figures.items() if v is not None})
    except InputError as error:
        located = at_fields(error)
        fields.keep(entered_form_key(cycle_id), located, lambda p: p.path, ctx.lang, lambda p, lang: p.message(lang))
        raise InputError([Problem("guide.form.not_saved", {"n": len(error.problems)})]) from None
    fields.clear(entered_form_key(cycle_id))
    keep_entered(ctx, cycle_id, figures)
    state.flash("success", tr("bureau.targets.applied"))


def current_block(ctx: AppCtx, data: CycleData, entered: dict[str, float]) -> None:
    """Each target: value, met, gap, schools short; bullets of the percentages; the blocking schools."""
    items = statuses(data, entered)
    frame = table(items, ctx.lang, total=len(data.assessments))
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.targets"), "targets.table")
    bullets = bullet_frame(items, ctx.lang)
    if not bullets.empty:
        chart = charts.bullet(bullets, tr("bureau.col.value_pct"), "", tr("bureau.col.goal"))
        st.altair_chart(chart, width="stretch")
        download(bullets, tr("bureau.file.targets_chart"), "targets.chart")
    blocked = [s for s in items if s.blocking]
    if not blocked:
        return
    st.subheader(tr("bureau.targets.blocking"))
    labels = {s.target.id: f"{s.target.label(ctx.lang)}（{len(s.blocking)}）" for s in blocked}
    chosen = st.selectbox(
        tr("bureau.col.target"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=lang_key("bureau.targets.pick"),
        placeholder=tr("app.choose"),
    )
    item = next((s for s in blocked if s.target.id == chosen), blocked[0])
    schools = blocking_frame(item)
    st.dataframe(schools, hide_index=True, width="stretch", placeholder="—")
    download(schools, tr("bureau.file.blocking", target=item.target.label(ctx.lang)), "targets.blocking")


def trend_block(ctx: AppCtx, version: int) -> None:
    """Every target's value in every cycle (with that cycle's stored figures), oldest first."""
    st.subheader(tr("bureau.targets.trend"))
    cycles = oldest_first(ctx)
    by_cycle = {c.name: statuses(cycle_data(ctx, c, version), entered_for(ctx, c.id)) for c in cycles}
    frame = trend(by_cycle, ctx.lang)
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.targets_trend"), "targets.trend")
    long = trend_long(by_cycle, ctx.lang)
    if len(cycles) > 1 and not long.empty:
        titles = {
            "cycle": tr("bureau.col.cycle"),
            "value": tr("bureau.col.value_pct"),
            "series": tr("bureau.col.target"),
        }
        st.altair_chart(charts.lines(long, titles, [c.name for c in cycles]), width="stretch")


if __name__ == "__main__":
    render()
