"""Evaluation cycles: the status board of every school, reminders, schools never assessed, assignments, new cycles.

The board counts schools not started, in draft, submitted, under inspection, returned, finalized and
overdue (from the cycle's deadlines). Inspectors and leads are assigned in bulk from a form or a CSV
(`school_code, inspector, lead`): a file with any unknown school or inspector imports nothing and
lists every bad row. A new cycle takes a school year, a framework version and two deadlines.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from i18n.problems import InputError, Problem, reading
from store.errors import StoreError
from store.records import Assignment, CycleStatus
from ui import native, state, visit_ui
from ui.bureau.assign import assignment_rows, chosen_codes
from ui.bureau.board import (
    BOARD_STATES,
    Board,
    board_counts,
    board_tables,
    history,
    never_assessed,
    not_in_cycle,
)
from ui.bureau.data import CycleData, assignments_of, cycle_data, data_version, inspector_names
from ui.bureau.downloads import download
from ui.bureau.filters import lang_key
from ui.bureau.uploads import check_size, csv_frame, widget_limit
from ui.calibration_ui import cert_words, uncertified
from ui.context import AppCtx, current
from ui.text import plain, tr
from ui.widgets import guarded

NEW = {f: f"bureau.new.{f}" for f in ("name", "year", "version", "self", "inspection")}
ASSIGN = {f: f"bureau.assign.{f}" for f in ("streets", "schools", "inspectors", "lead")}
CSV_KEY = "bureau.assign.csv"


def render() -> None:
    """Draw the cycle's board, reminders, never-assessed list, assignments and the cycle forms."""
    ctx = current()
    st.title(tr("bureau.page.cycles"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        new_cycle_form(ctx)
        return
    st.caption(
        plain(
            tr(
                "bureau.cycles.caption",
                name=cycle.name,
                year=cycle.school_year,
                state=tr(f"bureau.cycle_status.{cycle.status.value}"),
            )
        )
    )
    version = data_version(ctx)
    data = cycle_data(ctx, cycle, version)
    teams = assignments_of(ctx, cycle, version)
    names = inspector_names(ctx)
    tables = board_tables(data, teams, date.today(), names, ctx.lang)
    tabs = st.tabs([tr(f"bureau.cycles.tab.{k}") for k in ("board", "reminders", "never", "assign", "settings")])
    with tabs[0]:
        board(tables)
    with tabs[1]:
        reminders(tables)
    with tabs[2]:
        never(ctx, data, version)
    with tabs[3]:
        assignments(ctx, data, teams, names)
        visit_ui.bureau_visits(ctx, data.assessments)
    with tabs[4]:
        edit_cycle_form(ctx, data)
        new_cycle_form(ctx)


def board(tables: Board) -> None:
    """Counts per state, and every school's row."""
    frame = tables.frame
    counts = board_counts(frame)
    cols = st.columns(len(BOARD_STATES) + 1)
    for col, key in zip(cols, (*BOARD_STATES, "overdue"), strict=True):
        col.metric(tr(f"bureau.state.{key}"), counts[key])
    if frame.empty:
        return
    shown = frame.drop(columns=["state", "overdue"])
    st.dataframe(shown, hide_index=True, width="stretch", height=420, placeholder="—")
    download(shown, tr("bureau.file.board"), "cycles.board")


def reminders(tables: Board) -> None:
    """What each school and each inspector still owes."""
    for title, frame, key in (
        (tr("bureau.cycles.owed_schools"), tables.schools_owe, "schools"),
        (tr("bureau.cycles.owed_inspectors"), tables.inspectors_owe, "inspectors"),
    ):
        st.subheader(title)
        if frame.empty:
            st.success(tr("bureau.cycles.nothing_owed"))
            continue
        st.dataframe(frame, hide_index=True, width="stretch", height=320, placeholder="—")
        download(frame, tr(f"bureau.file.owed_{key}"), f"cycles.owed.{key}")


def never(ctx: AppCtx, data: CycleData, version: int) -> None:
    """Schools never finalized in any cycle; those not in this cycle can be added to it."""
    finalized, cycles_of = history(cycle_data(ctx, c, version) for c in ctx.cycles)
    in_cycle = {a.school_code: a.status for a in data.assessments}
    schools = ctx.services.schools.list_schools(ctx.user)
    frame = never_assessed(schools, finalized, in_cycle, cycles_of, ctx.lang)
    st.caption(tr("bureau.never.caption"))
    if frame.empty:
        st.success(tr("bureau.never.none"))
        return
    shown = frame.drop(columns="school_id")
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="—")
    download(shown, tr("bureau.file.never"), "cycles.never")
    missing = not_in_cycle(frame, in_cycle)
    if missing and data.cycle.status == CycleStatus.OPEN:
        st.button(
            tr("bureau.never.add", n=len(missing)),
            key="bureau.never.add",
            on_click=guarded(add_schools),
            args=(ctx, data.cycle.id, missing),
            icon=":material/add:",
        )


def add_schools(ctx: AppCtx, cycle_id: int, school_ids: list[int]) -> None:
    """Button callback: open draft assessments for the schools in the cycle."""
    n = ctx.services.cycles.add_schools(ctx.user, cycle_id, school_ids)
    state.flash("success", tr("bureau.never.added", n=n))


def assignments(ctx: AppCtx, data: CycleData, teams: tuple[Assignment, ...], names: dict[str, str]) -> None:
    """The current assignments (with each inspector's certification), the bulk form and the CSV upload."""
    certified, none = cert_words(ctx), tr("calibration.cert.none")
    table = pd.DataFrame(
        {
            tr("app.col.code"): [a.school_code for a in teams],
            tr("bureau.col.inspector"): [names.get(a.inspector, a.inspector) for a in teams],
            tr("bureau.col.role"): [tr("bureau.role.lead" if a.lead else "bureau.role.member") for a in teams],
            tr("calibration.col.certification"): [certified.get(a.inspector, none) for a in teams],
        }
    )
    lead_warning(ctx, data, teams, names)
    st.caption(tr("bureau.assign.count", n=len(table), schools=len({a.school_code for a in teams})))
    st.dataframe(table, hide_index=True, width="stretch", height=260, placeholder="—")
    download(table, tr("bureau.file.assignments"), "cycles.assignments")
    assign_form(ctx, data, teams, inspector_names(ctx, active_only=True))
    assign_csv(ctx, data)


def lead_warning(ctx: AppCtx, data: CycleData, teams: tuple[Assignment, ...], names: dict[str, str]) -> None:
    """Warn of leads without a valid certification (issue 14); say when the cycle refuses them."""
    missing = uncertified(ctx, [a.inspector for a in teams if a.lead])
    if missing:
        st.warning(
            tr("calibration.cert.warn_lead", who="、".join(names.get(u, u) for u in missing)), icon=":material/warning:"
        )
    if ctx.services.quality.cycle_settings(ctx.user, data.cycle.id).refuse_uncertified_lead:
        st.caption(tr("calibration.cert.refuse_note"))


def assign_form(ctx: AppCtx, data: CycleData, teams: tuple[Assignment, ...], names: dict[str, str]) -> None:
    """Assign the chosen inspectors (and lead) to every chosen school, and every school of the chosen streets."""
    st.subheader(tr("bureau.assign.form"))
    schools = {a.school_code: f"{a.school_code} {a.school_name}" for a in data.assessments}
    streets = sorted({str(s) for s in data.facts["street"] if str(s)})
    with st.form("bureau.assign.form", clear_on_submit=False):
        cols = st.columns(2)
        many = {"placeholder": tr("guide.choose_many"), "select_all": native.select_all()}
        cols[0].multiselect(tr("bureau.filter.street"), options=streets, key=ASSIGN["streets"], **many)
        cols[1].multiselect(
            tr("bureau.assign.schools"),
            options=list(schools),
            format_func=schools.__getitem__,
            key=ASSIGN["schools"],
            **many,
        )
        cols[0].multiselect(
            tr("bureau.assign.inspectors"),
            options=list(names),
            format_func=names.__getitem__,
            key=ASSIGN["inspectors"],
            **many,
        )
        cols[1].selectbox(
            tr("bureau.assign.lead"),
            options=list(names),
            format_func=names.__getitem__,
            index=None,
            placeholder=tr("bureau.assign.no_lead"),
            key=ASSIGN["lead"],
        )
        st.form_submit_button(
            tr("bureau.assign.send"),
            key="bureau.assign.send",
            type="primary",
            on_click=guarded(assign_chosen),
            args=(ctx, data, teams),
            icon=":material/group_add:",
        )


def assign_chosen(ctx: AppCtx, data: CycleData, teams: tuple[Assignment, ...]) -> None:
    """Form callback: one all-or-nothing import of the chosen schools × inspectors."""
    s = state.session()
    codes = chosen_codes(data.facts, s.get(ASSIGN["schools"]) or [], s.get(ASSIGN["streets"]) or [])
    frame = assignment_rows(codes, list(s.get(ASSIGN["inspectors"]) or []), s.get(ASSIGN["lead"]), teams)
    result = ctx.services.imports.assignments(ctx.user, data.cycle.id, frame, file=tr("bureau.assign.form"))
    state.flash("success", tr("bureau.assign.done", rows=result.rows, created=result.created, updated=result.updated))


def assign_csv(ctx: AppCtx, data: CycleData) -> None:
    """Upload an assignments CSV; imported as a whole or not at all."""
    st.subheader(tr("bureau.assign.csv"))
    st.caption(tr("bureau.assign.csv_help"))
    key = f"{CSV_KEY}.{state.nonce(CSV_KEY)}"
    st.file_uploader(
        tr("bureau.assign.csv_file"), type=["csv"], key=key, max_upload_size=widget_limit(ctx.settings.upload_max_mb)
    )
    st.button(
        tr("bureau.assign.import"),
        key="bureau.assign.import",
        on_click=guarded(import_csv),
        args=(ctx, data.cycle.id, key),
        icon=":material/upload_file:",
    )


def import_csv(ctx: AppCtx, cycle_id: int, key: str) -> None:
    """Button callback: check the whole file and import it, or list every bad row and import nothing."""
    upload = state.session().get(key)
    if upload is None:
        raise InputError([Problem("bureau.upload.none")])
    data = upload.getvalue()
    check_size(data, upload.name, ctx.settings.upload_max_mb)
    with reading(upload.name, passthrough=(StoreError,)):
        frame = csv_frame(data, upload.name)
        result = ctx.services.imports.assignments(ctx.user, cycle_id, frame, file=upload.name)
    state.bump(CSV_KEY)
    state.flash("success", tr("bureau.assign.done", rows=result.rows, created=result.created, updated=result.updated))


def edit_keys(cycle_id: int) -> dict[str, str]:
    """Session keys of the settings form of one cycle (each cycle keeps its own inputs)."""
    return {f: f"bureau.edit.{cycle_id}.{f}" for f in ("self", "inspection", "closed")}


def edit_cycle_form(ctx: AppCtx, data: CycleData) -> None:
    """The cycle's deadlines, and closing or reopening it."""
    cycle = data.cycle
    keys = edit_keys(cycle.id)
    st.subheader(tr("bureau.edit.title"))
    with st.form("bureau.edit.form"):
        cols = st.columns(3)
        cols[0].date_input(tr("bureau.col.self_deadline"), value=cycle.self_deadline, key=keys["self"])
        cols[1].date_input(
            tr("bureau.col.inspection_deadline"), value=cycle.inspection_deadline, key=keys["inspection"]
        )
        cols[2].checkbox(tr("bureau.edit.closed"), value=cycle.status == CycleStatus.CLOSED, key=keys["closed"])
        st.form_submit_button(
            tr("bureau.edit.send"),
            key="bureau.edit.send",
            on_click=guarded(edit_cycle),
            args=(ctx, cycle.id, cycle.version),
            icon=":material/save:",
        )


def edit_cycle(ctx: AppCtx, cycle_id: int, version: int | None = None) -> None:
    """Form callback: save the deadlines and the status (refused if someone changed the cycle meanwhile)."""
    s, keys = state.session(), edit_keys(cycle_id)
    closed = CycleStatus.CLOSED if s.get(keys["closed"]) else CycleStatus.OPEN
    ctx.services.cycles.update(
        ctx.user,
        cycle_id,
        status=closed,
        self_deadline=s.get(keys["self"]),
        inspection_deadline=s.get(keys["inspection"]),
        expected_version=version,
    )
    state.flash("success", tr("bureau.edit.done"))


def new_cycle_form(ctx: AppCtx) -> None:
    """A new cycle: name, school year, framework version (the active one first) and deadlines."""
    st.subheader(tr("bureau.new.title"))
    versions = ctx.services.frameworks.list_versions(ctx.user)
    labels = {
        v.id: tr(
            "bureau.version.label",
            version=v.version,
            name=v.name,
            active=tr("bureau.version.active") if v.active else "",
        )
        for v in versions
    }
    active = next((n for n, v in enumerate(versions) if v.active), 0)
    with st.form("bureau.new.form"):
        cols = st.columns(2)
        cols[0].text_input(tr("bureau.col.cycle_name"), key=NEW["name"])
        cols[1].text_input(tr("bureau.col.school_year"), key=NEW["year"], placeholder="2027-2028")
        st.selectbox(
            tr("bureau.col.framework"),
            options=list(labels),
            format_func=labels.__getitem__,
            index=active if labels else None,
            key=lang_key(NEW["version"]),
            placeholder=tr("app.choose"),
        )
        cols = st.columns(2)
        cols[0].date_input(tr("bureau.col.self_deadline"), value=None, key=NEW["self"])
        cols[1].date_input(tr("bureau.col.inspection_deadline"), value=None, key=NEW["inspection"])
        st.caption(tr("bureau.new.help"))
        st.form_submit_button(
            tr("bureau.new.send"),
            key="bureau.new.send",
            type="primary",
            on_click=guarded(create_cycle),
            args=(ctx,),
            icon=":material/add:",
        )


def create_cycle(ctx: AppCtx) -> None:
    """Form callback: create the cycle with every active school, and work on it from now on."""
    s = state.session()
    version = s.get(lang_key(NEW["version"]))
    if version is None:
        raise InputError([Problem("bureau.new.no_version")])
    cycle = ctx.services.cycles.create(
        ctx.user,
        str(s.get(NEW["name"]) or ""),
        str(s.get(NEW["year"]) or ""),
        int(version),
        self_deadline=s.get(NEW["self"]),
        inspection_deadline=s.get(NEW["inspection"]),
    )
    s[state.CYCLE] = cycle.id
    state.flash("success", tr("bureau.new.done", name=cycle.name))


if __name__ == "__main__":
    render()
