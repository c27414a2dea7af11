"""Calibration (bureau): cases with master levels, rounds, results and certification, rules and settings.

Cases are built from a finalized school (identity removed) or from scratch; master levels are set here,
item by item, or imported from a workbook (all or nothing). A round of the current cycle invites
inspectors to rate chosen cases blind; once closed, the bureau certifies them by its rule.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from criteria.models import QuantitativeItem
from reports.calibration_report import MasterCase, master_workbook, read_master_workbook
from reports.content import stage_words
from scoring.calibration import CertificationRule, ConsistencyLimits
from scoring.facts import STAGE_LABELS
from store.calibration_records import CalibrationCase
from store.records import Role, Status
from ui import native, state
from ui.bureau.data import inspector_names
from ui.bureau.downloads import download
from ui.bureau.uploads import check_size, widget_limit
from ui.calibration_ui import PREFILL, XLSX, missed_frame, pct, report_downloads, round_picker, summary_frame
from ui.context import AppCtx, current
from ui.services import framework
from ui.text import plain, tr
from ui.widgets import guarded, level_label, level_options

MASTER_FILE = "calibration.master_file"


def render() -> None:
    """Draw the four tabs."""
    ctx = current()
    st.title(tr("calibration.page.bureau"))
    if ctx.cycle is None:
        st.info(tr("app.cycle.none"))
        return
    tabs = st.tabs([tr(f"calibration.tab.{k}") for k in ("cases", "rounds", "results", "settings")])
    cases = ctx.services.calibration.cases(ctx.user)
    with tabs[0]:
        cases_tab(ctx, cases)
    with tabs[1]:
        rounds_tab(ctx, cases)
    with tabs[2]:
        results_tab(ctx)
    with tabs[3]:
        settings_tab(ctx)


# ------------------------------------------------------------------------------------------------ cases
def rated_items(ctx: AppCtx, case: CalibrationCase) -> list:
    """The items of the case a rater judges (applicable, not computed from facts)."""
    fw = framework(ctx.services, ctx.user, case.framework_version_id).framework
    wanted = set(case.stages)
    return [i for i in fw.items() if not isinstance(i, QuantitativeItem) and wanted & {s.value for s in i.applies_to}]


def cases_tab(ctx: AppCtx, cases: list[CalibrationCase]) -> None:
    """The cases, the two ways of building one, and their master levels."""
    if cases:
        rows = []
        for c in cases:
            items = rated_items(ctx, c)
            done = sum(i.id in c.master for i in items)
            state_text = (
                tr("calibration.case.complete")
                if done == len(items)
                else tr("calibration.case.incomplete", done=done, total=len(items))
            )
            rows.append(
                {
                    tr("calibration.case.title"): c.title,
                    tr("calibration.case.stages"): stage_words(";".join(c.stages), ctx.lang),
                    tr("calibration.case.panel"): c.panel_lead or tr("calibration.case.panel_bureau"),
                    tr("calibration.case.master"): state_text,
                }
            )
        listed = pd.DataFrame(rows)
        st.dataframe(listed, hide_index=True, width="stretch")
        download(listed, tr("calibration.tab.cases"), "calibration.cases")
    else:
        st.info(tr("calibration.cases.none"))
    names = inspector_names(ctx, active_only=True)
    users = {u.username: u.id for u in ctx.services.accounts.list_users(ctx.user, role=Role.INSPECTOR)}
    panel = {None: tr("calibration.case.panel_bureau")} | {users[u]: n for u, n in names.items() if u in users}
    from_school_form(ctx, panel)
    from_scratch_form(ctx, panel)
    if cases:
        master_editor(ctx, cases)
        master_import(ctx, cases)


def from_school_form(ctx: AppCtx, panel: dict[int | None, str]) -> None:
    """Build a case from a finalized assessment of any cycle."""
    st.subheader(tr("calibration.case.from_school"))
    st.caption(tr("calibration.case.from_school_help"))
    done = {}
    for cycle in ctx.cycles:
        for a in ctx.services.assessments.list_assessments(ctx.user, cycle.id):
            if a.status == Status.FINALIZED:
                done[a.id] = f"{a.school_name} · {cycle.name}"
    if not done:
        st.caption(tr("calibration.case.none_finalized"))
        return
    with st.form("calibration.from_school"):
        st.selectbox(
            tr("calibration.case.assessment"),
            options=list(done),
            format_func=done.__getitem__,
            key="cal.src",
            placeholder=tr("app.choose"),
        )
        st.text_input(tr("calibration.case.title"), key="cal.src_title", max_chars=100)
        st.selectbox(
            tr("calibration.case.panel"),
            options=list(panel),
            format_func=panel.__getitem__,
            key="cal.src_panel",
            placeholder=tr("app.choose"),
        )
        st.form_submit_button(
            tr("calibration.case.build"), key="cal.src_build", on_click=guarded(build_from_school), args=(ctx,)
        )


def build_from_school(ctx: AppCtx) -> None:
    """Form callback: the case from the chosen assessment."""
    s = state.session()
    case = ctx.services.calibration.case_from_assessment(
        ctx.user, int(s["cal.src"]), str(s.get("cal.src_title") or ""), s.get("cal.src_panel")
    )
    state.flash("success", tr("calibration.case.built", title=case.title))


def from_scratch_form(ctx: AppCtx, panel: dict[int | None, str]) -> None:
    """An empty case of the current cycle's framework, for the stages chosen."""
    st.subheader(tr("calibration.case.from_scratch"))
    stages = [s.value for s in STAGE_LABELS]
    with st.form("calibration.from_scratch"):
        st.text_input(tr("calibration.case.title"), key="cal.new_title", max_chars=100)
        st.multiselect(
            tr("calibration.case.stages"),
            options=stages,
            format_func=lambda s: stage_words(s, ctx.lang),
            key="cal.new_stages",
            placeholder=tr("guide.choose_many"),
            select_all=native.select_all(),
        )
        st.selectbox(
            tr("calibration.case.panel"),
            options=list(panel),
            format_func=panel.__getitem__,
            key="cal.new_panel",
            placeholder=tr("app.choose"),
        )
        st.form_submit_button(
            tr("calibration.case.build"), key="cal.new_build", on_click=guarded(build_from_scratch), args=(ctx,)
        )


def build_from_scratch(ctx: AppCtx) -> None:
    """Form callback: the new empty case."""
    s = state.session()
    assert ctx.cycle is not None
    case = ctx.services.calibration.case_from_scratch(
        ctx.user,
        str(s.get("cal.new_title") or ""),
        ctx.cycle.framework_version_id,
        list(s.get("cal.new_stages") or []),
        panel_lead_id=s.get("cal.new_panel"),
    )
    state.flash("success", tr("calibration.case.built", title=case.title))


def master_editor(ctx: AppCtx, cases: list[CalibrationCase]) -> None:
    """A master level and a reason per item of one case, saved together."""
    st.subheader(tr("calibration.case.master"))
    st.caption(tr("calibration.case.master_help"))
    by_id = {c.id: c for c in cases}
    chosen = st.selectbox(
        tr("calibration.case.pick"),
        options=list(by_id),
        format_func=lambda i: by_id[i].title,
        key="cal.master_case",
        placeholder=tr("app.choose"),
    )
    case = by_id[int(chosen)]
    items = rated_items(ctx, case)
    used = {c for r in ctx.services.calibration.rounds(ctx.user) for c in r.case_ids}
    if not case.from_school and case.id not in used:
        shown_editor(ctx, case, items)
    with st.form(f"calibration.master.{case.id}"):
        for item in items:
            known = case.master.get(item.id)
            shown = case.items.get(item.id)
            cols = st.columns([3, 2, 3])
            cols[0].markdown(f"**{plain(item.id)} {plain(item.title.get(ctx.lang))}**")
            if shown is not None and shown.account:
                cols[0].caption(plain(shown.account))
            options = [None, *level_options(item)]
            label = level_label(item, ctx.lang)
            cols[1].selectbox(
                tr("calibration.col.master"),
                options=options,
                index=options.index(known.level) if known and known.level in options else 0,
                format_func=lambda v, label=label: "—" if v is None else label(v),
                key=f"cal.m.{case.id}.{item.id}",
            )
            cols[2].text_input(
                tr("calibration.col.reason"), value=known.reason if known else "", key=f"cal.r.{case.id}.{item.id}"
            )
        st.form_submit_button(
            tr("calibration.case.save_master"),
            key=f"cal.master_save.{case.id}",
            on_click=guarded(save_master),
            args=(ctx, case.id, [i.id for i in items], case.version),
        )


def shown_editor(ctx: AppCtx, case: CalibrationCase, items: list) -> None:
    """For a case written from scratch: the school's level and account the raters will see, per item."""
    with st.expander(tr("calibration.case.shown")), st.form(f"calibration.shown.{case.id}"):
        st.caption(tr("calibration.case.shown_help"))
        for item in items:
            known = case.items.get(item.id)
            options = [None, *level_options(item)]
            label = level_label(item, ctx.lang)
            st.selectbox(
                f"{plain(item.id)} {plain(item.title.get(ctx.lang))}",
                options=options,
                index=options.index(known.level) if known and known.level in options else 0,
                format_func=lambda v, label=label: "—" if v is None else label(v),
                key=f"cal.sl.{case.id}.{item.id}",
                placeholder=tr("app.choose"),
            )
            st.text_area(
                tr("calibration.case.shown"), value=known.account if known else "", key=f"cal.sa.{case.id}.{item.id}"
            )
        st.form_submit_button(
            tr("calibration.case.save_shown"),
            key=f"cal.shown_save.{case.id}",
            on_click=guarded(save_shown),
            args=(ctx, case.id, [i.id for i in items]),
        )


def save_shown(ctx: AppCtx, case_id: int, item_ids: list[str]) -> None:
    """Form callback: what the case shows per item."""
    s = state.session()
    items = {
        i: (str(s.get(f"cal.sl.{case_id}.{i}") or ""), str(s.get(f"cal.sa.{case_id}.{i}") or "")) for i in item_ids
    }
    ctx.services.calibration.update_case(ctx.user, case_id, items=items)
    state.flash("success", tr("calibration.case.saved"))


def save_master(ctx: AppCtx, case_id: int, item_ids: list[str], version: int) -> None:
    """Form callback: every master level of the form (an empty choice removes one)."""
    s = state.session()
    levels = {}
    for item_id in item_ids:
        level = s.get(f"cal.m.{case_id}.{item_id}")
        levels[item_id] = (str(level), str(s.get(f"cal.r.{case_id}.{item_id}") or "")) if level else None
    ctx.services.calibration.set_master(ctx.user, case_id, levels, expected_version=version)
    state.flash("success", tr("calibration.case.saved"))


def master_import(ctx: AppCtx, cases: list[CalibrationCase]) -> None:
    """Download the master-level workbook of every case; upload it filled in."""
    st.subheader(tr("calibration.case.import"))
    st.caption(tr("calibration.case.import_help"))
    listed = [
        MasterCase(
            c.title,
            c.stages,
            framework(ctx.services, ctx.user, c.framework_version_id).framework,
            {i: (m.level, m.reason) for i, m in c.master.items()},
        )
        for c in cases
    ]
    st.download_button(
        tr("calibration.case.template"),
        data=master_workbook(listed, ctx.lang),
        file_name=f"{tr('calibration.report.sheet.master')}.xlsx",
        mime=XLSX,
        key="cal.master_template",
        on_click="ignore",
        icon=":material/download:",
    )
    key = f"{MASTER_FILE}.{state.nonce(MASTER_FILE)}"
    st.file_uploader(
        tr("calibration.case.import"), type=["xlsx"], key=key, max_upload_size=widget_limit(ctx.settings.upload_max_mb)
    )
    st.button(
        tr("calibration.case.import_button"), key="cal.master_import", on_click=guarded(import_master), args=(ctx, key)
    )


def import_master(ctx: AppCtx, key: str) -> None:
    """Button callback: read the workbook and store every level, or nothing."""
    upload = state.session().get(key)
    if upload is None:
        return
    data = upload.getvalue()
    check_size(data, upload.name, ctx.settings.upload_max_mb)
    rows = read_master_workbook(data, file=upload.name)
    n = ctx.services.calibration.import_master(ctx.user, rows, file=upload.name)
    state.bump(MASTER_FILE)
    state.flash("success", tr("calibration.case.imported", n=n))


# ----------------------------------------------------------------------------------------------- rounds
def rounds_tab(ctx: AppCtx, cases: list[CalibrationCase]) -> None:
    """The rounds of the cycle, a new one, and closing one."""
    assert ctx.cycle is not None
    rounds = ctx.services.calibration.rounds(ctx.user, ctx.cycle.id)
    names = inspector_names(ctx)
    titles = {c.id: c.title for c in cases}
    if rounds:
        table = pd.DataFrame(
            {
                tr("calibration.round.name"): [r.name for r in rounds],
                tr("quality.col.status"): [tr(f"calibration.round.status.{r.status}") for r in rounds],
                tr("calibration.round.deadline"): [r.deadline.isoformat() if r.deadline else "" for r in rounds],
                tr("calibration.round.cases"): ["、".join(titles.get(c, "?") for c in r.case_ids) for r in rounds],
                tr("calibration.round.inspectors"): ["、".join(names.get(i, i) for i in r.inspectors) for r in rounds],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        download(table, tr("calibration.tab.rounds"), "calibration.rounds")
    else:
        st.info(tr("calibration.round.none"))
    new_round_form(ctx, cases, names)
    still_open = {r.id: r.name for r in rounds if not r.closed}
    if still_open:
        st.subheader(tr("calibration.round.close"))
        st.selectbox(
            tr("calibration.round.pick"),
            options=list(still_open),
            format_func=still_open.__getitem__,
            key="cal.close_pick",
            placeholder=tr("app.choose"),
        )
        st.button(
            tr("calibration.round.close"),
            key="cal.close",
            on_click=guarded(close_round),
            args=(ctx,),
            icon=":material/lock:",
        )


def new_round_form(ctx: AppCtx, cases: list[CalibrationCase], names: dict[str, str]) -> None:
    """Name, cases, invited inspectors (pre-selected from the consistency page), deadline."""
    st.subheader(tr("calibration.round.new"))
    s = state.session()
    prefill = s.pop(PREFILL, None)
    if prefill:
        s["cal.round_people"] = [u for u in prefill if u in names]
        st.info(tr("calibration.round.prefill"))
    titles = {c.id: c.title for c in cases}
    with st.form("calibration.new_round"):
        st.text_input(tr("calibration.round.name"), key="cal.round_name", max_chars=100)
        st.multiselect(
            tr("calibration.round.cases"),
            options=list(titles),
            format_func=titles.__getitem__,
            key="cal.round_cases",
            placeholder=tr("guide.choose_many"),
            select_all=native.select_all(),
        )
        st.multiselect(
            tr("calibration.round.inspectors"),
            options=list(names),
            format_func=names.__getitem__,
            key="cal.round_people",
            placeholder=tr("guide.choose_many"),
            select_all=native.select_all(),
        )
        st.date_input(
            tr("calibration.round.deadline"), value=date.today() + timedelta(days=14), key="cal.round_deadline"
        )
        st.form_submit_button(
            tr("calibration.round.create"), key="cal.round_create", on_click=guarded(create_round), args=(ctx,)
        )


def create_round(ctx: AppCtx) -> None:
    """Form callback: start the round."""
    s = state.session()
    assert ctx.cycle is not None
    ids = {u.username: u.id for u in ctx.services.accounts.list_users(ctx.user, role=Role.INSPECTOR)}
    rnd = ctx.services.calibration.create_round(
        ctx.user,
        ctx.cycle.id,
        str(s.get("cal.round_name") or ""),
        [int(c) for c in s.get("cal.round_cases") or []],
        [ids[u] for u in s.get("cal.round_people") or [] if u in ids],
        s.get("cal.round_deadline"),
    )
    state.flash("success", tr("calibration.round.created", name=rnd.name))


def close_round(ctx: AppCtx) -> None:
    """Button callback: close the chosen round."""
    ctx.services.calibration.close_round(ctx.user, int(state.session()["cal.close_pick"]))
    state.flash("success", tr("calibration.round.closed_ok"))


# ---------------------------------------------------------------------------------------------- results
def results_tab(ctx: AppCtx) -> None:
    """A round's results: per inspector, per domain, items most missed; certify; the report."""
    rounds = ctx.services.calibration.rounds(ctx.user)
    if not rounds:
        st.info(tr("calibration.round.none"))
        return
    chosen = round_picker(rounds, "cal.results_pick")
    found = ctx.services.calibration.results(ctx.user, chosen)
    names = inspector_names(ctx)
    if not found.round.closed:
        st.info(tr("calibration.results.open_note"))
    summary = summary_frame(found, names, date.today())
    st.dataframe(summary, hide_index=True, width="stretch", placeholder="—")
    download(summary, tr("calibration.report.sheet.summary"), "calibration.summary")
    st.subheader(tr("calibration.results.by_inspector"))
    fw = framework(ctx.services, ctx.user, found.framework_version_id).framework
    domains = {d.id: f"{d.id} {d.title.get(ctx.lang)}" for d in fw.domains}
    matrix = found.result.by_domain("adjacent").map(pct)
    matrix.index = [names.get(str(r), str(r)) for r in matrix.index]
    matrix.columns = [domains.get(str(d), str(d)) for d in matrix.columns]
    st.dataframe(matrix, width="stretch", placeholder="—")
    download(matrix, tr("calibration.report.sheet.domains"), "calibration.domains", index=True)
    st.subheader(tr("calibration.results.missed"))
    titles = {i.id: f"{i.id} {i.title.get(ctx.lang)}" for i in fw.items()}
    missed = missed_frame(found, titles)
    st.dataframe(missed, hide_index=True, width="stretch", placeholder="—")
    download(missed, tr("calibration.report.sheet.missed"), "calibration.missed")
    if found.round.closed:
        st.button(
            tr("calibration.results.certify"),
            key="cal.certify",
            type="primary",
            on_click=guarded(certify),
            args=(ctx, found.round.id),
            icon=":material/verified:",
        )
    report_downloads(ctx, found, names)


def certify(ctx: AppCtx, round_id: int) -> None:
    """Button callback: certify by the rule."""
    certs = ctx.services.calibration.certify(ctx.user, round_id)
    passed = sum(c.certified for c in certs)
    state.flash("success", tr("calibration.results.certified", passed=passed, failed=len(certs) - passed))


# --------------------------------------------------------------------------------------------- settings
def settings_tab(ctx: AppCtx) -> None:
    """The certification rule, the consistency limits and the cycle's quality settings."""
    current_settings = ctx.services.calibration.settings(ctx.user)
    rule, limits = current_settings.rule, current_settings.limits
    with st.form("calibration.settings"):
        st.markdown(f"**{tr('calibration.settings.rule')}**")
        st.caption(tr("calibration.settings.rule_help"))
        st.number_input(
            tr("calibration.settings.min_adjacent"), 0.0, 100.0, 100 * rule.min_adjacent, 5.0, key="cal.s_adj"
        )
        st.number_input(tr("calibration.settings.min_domain"), 0.0, 100.0, 100 * rule.min_domain, 5.0, key="cal.s_dom")
        st.number_input(tr("calibration.settings.valid_days"), 1, 3660, int(rule.valid_days), 1, key="cal.s_days")
        st.markdown(f"**{tr('calibration.settings.limits')}**")
        st.number_input(
            tr("calibration.settings.alpha_min"), -1.0, 1.0, float(limits.alpha_min), 0.01, key="cal.s_alpha"
        )
        st.number_input(tr("calibration.settings.bias_max"), 0.0, 1.0, float(limits.bias_max), 0.01, key="cal.s_bias")
        st.form_submit_button(
            tr("calibration.settings.save"), key="cal.s_save", on_click=guarded(save_settings), args=(ctx,)
        )
    assert ctx.cycle is not None
    quality = ctx.services.quality.cycle_settings(ctx.user, ctx.cycle.id)
    with st.form("calibration.cycle_quality"):
        st.markdown(f"**{tr('calibration.settings.cycle')}** · {plain(ctx.cycle.name)}")
        st.checkbox(tr("calibration.settings.require_review"), value=quality.require_review, key="cal.q_review")
        st.checkbox(tr("calibration.settings.refuse_lead"), value=quality.refuse_uncertified_lead, key="cal.q_lead")
        st.form_submit_button(
            tr("calibration.settings.save"), key="cal.q_save", on_click=guarded(save_quality), args=(ctx,)
        )


def save_settings(ctx: AppCtx) -> None:
    """Form callback: the rule and the limits."""
    s = state.session()
    rule = CertificationRule(float(s["cal.s_adj"]) / 100, float(s["cal.s_dom"]) / 100, int(s["cal.s_days"]))
    limits = ConsistencyLimits(float(s["cal.s_alpha"]), float(s["cal.s_bias"]))
    ctx.services.calibration.set_settings(ctx.user, rule, limits)
    state.flash("success", tr("calibration.settings.saved"))


def save_quality(ctx: AppCtx) -> None:
    """Form callback: the cycle's quality settings."""
    s = state.session()
    assert ctx.cycle is not None
    ctx.services.quality.set_cycle_settings(
        ctx.user,
        ctx.cycle.id,
        require_review=bool(s.get("cal.q_review")),
        refuse_uncertified_lead=bool(s.get("cal.q_lead")),
    )
    state.flash("success", tr("calibration.settings.saved"))


if __name__ == "__main__":
    render()
