"""Exports: the district workbook, every school's reports in one zip (with a progress bar), the cycle's data.

The workbook and the data files are built when their button is pressed; the zip is built on request,
school by school, with the progress shown, and then offered for download in this session.
"""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st

from reports.batch import reports_zip
from ui import state
from ui.bureau.data import CycleData, assignments_of, cycle_data, inspector_names
from ui.bureau.downloads import csv_bytes, download_bytes
from ui.bureau.exports import KINDS, contexts, workbook
from ui.bureau.filters import lang_key
from ui.bureau.labels import catalog_words
from ui.bureau.targets import entered_for
from ui.context import AppCtx, current
from ui.shell import district_name
from ui.text import plain, tr

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_BUCKET = "bureau.exports"
KIND, SCOPE = "bureau.exports.kind", "bureau.exports.finalized"


def render() -> None:
    """Draw the three exports of the cycle."""
    ctx = current()
    st.title(tr("bureau.page.exports"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    st.caption(plain(cycle.name))
    data = cycle_data(ctx, cycle)
    district = district_name(ctx.settings, ctx.lang)
    workbook_block(ctx, data, district)
    zip_block(ctx, data, district)
    data_block(ctx, data)


def workbook_block(ctx: AppCtx, data: CycleData, district: str) -> None:
    """The district workbook: schools × domains, tiers, ranking, targets, inspector agreement."""
    st.subheader(tr("bureau.exports.workbook"))
    st.caption(tr("bureau.exports.workbook_help"))
    build = functools.partial(workbook, data, ctx.lang, district, entered_for(ctx, data.cycle.id))
    name = f"{tr('bureau.file.workbook')}_{data.cycle.name}.xlsx"
    download_bytes(build, name, "exports.workbook", tr("bureau.exports.workbook_button"), XLSX)


def zip_block(ctx: AppCtx, data: CycleData, district: str) -> None:
    """Every school's report of one kind in a zip, built with a progress bar."""
    st.subheader(tr("bureau.exports.reports"))
    cols = st.columns(2)
    kind = cols[0].selectbox(
        tr("bureau.exports.kind"),
        options=list(KINDS),
        format_func=catalog_words("bureau.exports.kind."),
        key=lang_key(KIND),
        placeholder=tr("app.choose"),
    )
    finalized_only = cols[1].toggle(tr("bureau.exports.finalized_only"), value=True, key=SCOPE)
    wanted = (data.cycle.id, kind, finalized_only, data.key)
    if st.button(tr("bureau.exports.build"), key="bureau.exports.build", icon=":material/folder_zip:"):
        build_zip(ctx, data, district, wanted)
    kept = state.bucket(ZIP_BUCKET).get("zip")
    if kept is not None and kept[0] == wanted:
        _, count, payload = kept
        st.success(tr("bureau.exports.ready", n=count, size=f"{len(payload) / 1048576:.1f}"))
        name = f"{tr('bureau.file.reports')}_{data.cycle.name}_{kind}.zip"
        st.download_button(
            tr("bureau.exports.zip_button"),
            data=payload,
            file_name=name,
            mime="application/zip",
            key="dl.exports.zip",
            on_click="ignore",
            icon=":material/download:",
        )


def build_zip(ctx: AppCtx, data: CycleData, district: str, wanted: tuple) -> None:
    """Write every school's report, showing the progress; keep the zip in this session."""
    _, kind, finalized_only, _ = wanted
    teams = assignments_of(ctx, data.cycle)
    schools = contexts(data, teams, inspector_names(ctx), finalized_only, district, date.today())
    if not schools:
        st.info(tr("bureau.exports.no_schools"))
        return
    bar = st.progress(0.0, text=tr("bureau.exports.progress", done=0, total=len(schools)))

    def step(done: int, total: int) -> None:
        bar.progress(done / total, text=tr("bureau.exports.progress", done=done, total=total))

    payload = reports_zip(schools, kind, ctx.lang, progress=step)
    state.bucket(ZIP_BUCKET)["zip"] = (wanted, len(schools), payload)


def data_block(ctx: AppCtx, data: CycleData) -> None:
    """The cycle's facts and ratings as the CSV files the scoring command reads."""
    st.subheader(tr("bureau.exports.data"))
    st.caption(tr("bureau.exports.data_help"))
    cols = st.columns(2)
    for col, n, name in ((cols[0], 0, "facts"), (cols[1], 1, "ratings")):
        with col:
            build = functools.partial(cycle_csv, ctx, data.cycle.id, n)
            download_bytes(build, f"{name}.csv", f"exports.{name}", tr(f"bureau.exports.{name}"), "text/csv")


def cycle_csv(ctx: AppCtx, cycle_id: int, which: int) -> bytes:
    """The cycle's facts (0) or ratings (1) CSV, read through the store when the button is pressed."""
    return csv_bytes(ctx.services.exports.cycle_frames(ctx.user, cycle_id)[which])


if __name__ == "__main__":
    render()
