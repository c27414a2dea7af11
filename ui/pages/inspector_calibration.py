"""Calibration (inspector): rate the cases of a round blind, in the scoring layout of a visit; results after.

While the round is open: each case's facts, the school's level, account and evidence per item beside
one's own level and finding (the same pieces as the visit's scoring page), saved as they change; no
other inspector's levels and no master level. Once closed: one's own agreement with the master levels,
item by item with the master's reasons, and the round's items most often missed.
"""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

from criteria.models import QuantitativeItem
from store.calibration_records import CalibrationCase, CalibrationRating, CalibrationRound
from store.errors import StoreError
from ui import state
from ui.calibration_ui import cert_word, missed_frame, pct, round_picker
from ui.context import AppCtx, current
from ui.pages.inspector_rate import finding_area, level_radio
from ui.services import framework
from ui.text import plain, tr
from ui.widgets import file_size, guarded, item_caption, item_title, level_label, show_error


def render() -> None:
    """Draw the inspector's rounds."""
    ctx = current()
    st.title(tr("calibration.page.inspector"))
    held = ctx.services.calibration.certifications(ctx.user).get(ctx.user.username)
    st.caption(f"{tr('calibration.col.certification')}: {cert_word(held, date.today())}")
    rounds = ctx.services.calibration.rounds(ctx.user)
    if not rounds:
        st.info(tr("calibration.rate.none"))
        return
    by_id = {r.id: r for r in rounds}
    chosen = round_picker(rounds, "calibrate.round")
    rnd = by_id[int(chosen)]
    try:
        if rnd.closed:
            my_results(ctx, rnd)
        else:
            rate_round(ctx, rnd)
    except StoreError as error:
        show_error(error)


def rate_round(ctx: AppCtx, rnd: CalibrationRound) -> None:
    """Pick a case, then rate its items one domain at a time."""
    st.info(tr("calibration.rate.blind"), icon=":material/visibility_off:")
    cases = {c: ctx.services.calibration.case(ctx.user, c) for c in rnd.case_ids}
    mine = ctx.services.calibration.my_ratings(ctx.user, rnd.id)
    given = {(r.case_id, r.item_id): r for r in mine}
    labels = {}
    for case_id, case in cases.items():
        items = rated(ctx, case)
        done = sum((case_id, i.id) in given for i in items)
        labels[case_id] = f"{case.title} ({done}/{len(items)})"
    case_id = st.selectbox(
        tr("calibration.case.pick"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=f"calibrate.case.{rnd.id}",
        placeholder=tr("app.choose"),
    )
    case = cases[int(case_id)]
    total = sum(len(rated(ctx, c)) for c in cases.values())
    st.progress(
        len(given) / total if total else 1.0, text=tr("calibration.round.progress", done=len(given), total=total)
    )
    if case.facts:
        with st.expander(tr("calibration.case.facts")):
            st.dataframe(pd.Series(case.facts, name=tr("calibration.case.facts")), width="stretch")
    fw = framework(ctx.services, ctx.user, case.framework_version_id).framework
    domains = {d.id: f"{d.id} {d.title.get(ctx.lang)}" for d in fw.domains}
    domain_id = st.selectbox(
        tr("app.walk.domain"),
        options=list(domains),
        format_func=domains.__getitem__,
        key=f"calibrate.domain.{case.id}",
        placeholder=tr("app.choose"),
    )
    domain = next(d for d in fw.domains if d.id == domain_id)
    wanted = set(case.stages)
    for ind in domain.indicators:
        for item in ind.items:
            if isinstance(item, QuantitativeItem) or not wanted & {s.value for s in item.applies_to}:
                continue
            with st.container(border=True, key=f"cal-item-{case.id}-{item.id.replace('.', '-')}"):
                case_item(ctx, rnd, case, item, given.get((case.id, item.id)))


def rated(ctx: AppCtx, case: CalibrationCase) -> list:
    """The items of a case a rater judges."""
    fw = framework(ctx.services, ctx.user, case.framework_version_id).framework
    wanted = set(case.stages)
    return [i for i in fw.items() if not isinstance(i, QuantitativeItem) and wanted & {s.value for s in i.applies_to}]


def widget_key(field: str, round_id: int, case_id: int, item_id: str) -> str:
    """The session key of one widget of a case's item."""
    return f"calibrate.{field}.{round_id}.{case_id}.{item_id}"


def case_item(
    ctx: AppCtx, rnd: CalibrationRound, case: CalibrationCase, item: object, mine: CalibrationRating | None
) -> None:
    """The case's side (school's level, account, evidence) and the inspector's level and finding."""
    lang = ctx.lang
    st.markdown(f"**{plain(item_title(item, lang))}**")  # type: ignore[arg-type]
    st.caption(item_caption(item, lang))  # type: ignore[arg-type]
    left, right = st.columns(2, gap="medium")
    shown = case.items.get(item.id)  # type: ignore[attr-defined]
    with left:
        label = level_label(item, lang)  # type: ignore[arg-type]
        level = label(shown.level) if shown and shown.level else tr("level.unrated")
        st.markdown(f"{tr('calibration.rate.case_level')}: **{plain(level)}**")
        if shown and shown.account:
            st.caption(plain(shown.account))
        for f in [f for f in case.evidence if f.item_id == item.id]:  # type: ignore[attr-defined]
            cols = st.columns([6, 2], vertical_alignment="center")
            cols[0].markdown(f":material/attach_file: {plain(f.filename)} · {file_size(f.size)}")
            cols[1].download_button(
                tr("app.evidence.download"),
                data=functools.partial(_file, ctx, case.id, f.index),
                file_name=f.filename,
                key=f"calibrate.dl.{rnd.id}.{case.id}.{f.index}",
                on_click="ignore",
                icon=":material/download:",
            )
    s = state.session()
    keys = {field: widget_key(field, rnd.id, case.id, item.id) for field in ("level", "finding")}  # type: ignore[attr-defined]
    if keys["level"] not in s:
        s[keys["level"]] = mine.level if mine else None
    if keys["finding"] not in s:
        s[keys["finding"]] = mine.finding if mine else ""
    state.bucket("calibrate.known").pop((rnd.id, case.id, item.id), None)  # type: ignore[attr-defined]
    args = (ctx, rnd.id, case.id, item.id, mine.version if mine else None)  # type: ignore[attr-defined]
    with right:
        level_radio(item, lang, keys["level"], guarded(save), args, disabled=False)  # type: ignore[arg-type]
        finding_area(keys["finding"], guarded(save), args, disabled=False)


def _file(ctx: AppCtx, case_id: int, index: int) -> bytes:
    return ctx.services.calibration.case_file(ctx.user, case_id, index)[1]


def save(ctx: AppCtx, round_id: int, case_id: int, item_id: str, version: int | None) -> None:
    """Widget callback: store the level and finding of one item (a finding waits for a level)."""
    s = state.session()
    level = s.get(widget_key("level", round_id, case_id, item_id))
    finding = str(s.get(widget_key("finding", round_id, case_id, item_id)) or "")
    known = state.bucket("calibrate.known")  # versions saved in this session since the page was drawn
    version = known.get((round_id, case_id, item_id), version)
    if level is None and version is None:
        return
    saved = ctx.services.calibration.save_rating(
        ctx.user, round_id, case_id, item_id, level, finding, expected_version=version
    )
    known[(round_id, case_id, item_id)] = saved.version if saved else None


def my_results(ctx: AppCtx, rnd: CalibrationRound) -> None:
    """One's own agreement with the master levels, item by item with the reasons, and the round's most missed."""
    found = ctx.services.calibration.results(ctx.user, rnd.id)
    st.info(tr("calibration.rate.closed"), icon=":material/lock:")
    st.subheader(tr("calibration.results.mine"))
    by = found.result.by_rater()
    if not by.empty:
        row = by.iloc[0]
        st.markdown(
            tr("calibration.results.summary", exact=f"{pct(row['exact'])}%", adjacent=f"{pct(row['adjacent'])}%")
        )
    fw = framework(ctx.services, ctx.user, found.framework_version_id).framework
    titles = {i.id: f"{i.id} {i.title.get(ctx.lang)}" for i in fw.items()}
    reasons = {(int(c), str(i)): str(r) for c, i, r in found.master[["case", "item", "reason"]].itertuples(index=False)}
    pairs = found.result.pairs
    table = pd.DataFrame(
        {
            tr("calibration.col.case"): [found.titles.get(int(c), str(c)) for c in pairs["case"]],
            tr("calibration.col.item"): [titles.get(str(i), str(i)) for i in pairs["item"]],
            tr("calibration.col.mine"): pairs["level"].replace("", "—").to_numpy(),
            tr("calibration.col.master"): pairs["master"].to_numpy(),
            tr("calibration.col.reason"): [
                reasons.get((int(c), str(i)), "") for c, i in zip(pairs["case"], pairs["item"], strict=True)
            ],
        }
    )
    st.subheader(tr("calibration.results.master_reason"))
    st.dataframe(table, hide_index=True, width="stretch")
    st.subheader(tr("calibration.results.missed"))
    st.dataframe(missed_frame(found, titles), hide_index=True, width="stretch", placeholder="—")


if __name__ == "__main__":
    render()
