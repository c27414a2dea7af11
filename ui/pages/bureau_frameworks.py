"""Framework versions: the stored versions, uploading a new one, what changed, activating, re-scoring a cycle.

A new version is uploaded as YAML or as an Excel workbook of the same shape and fully validated: an
invalid file is refused with every problem listed and nothing stored (the active version untouched).
A valid one shows what changed against the active version before it is saved. Activating a version
offers it for new cycles; past cycles keep theirs. Re-scoring a cycle under another version is a
comparison only: the cycle's official result is never overwritten and nothing is stored.
"""

from __future__ import annotations

import functools

import streamlit as st

from criteria.diff import diff_frameworks
from i18n.problems import InputError, Problem
from jobs.queue import start
from reports.framework_xlsx import framework_to_xlsx
from scoring.compare import Rescored
from store.records import FrameworkVersion
from ui import state
from ui.bureau.data import CycleData, View, cycle_data
from ui.bureau.downloads import download, download_bytes
from ui.bureau.filters import lang_key, view_picker
from ui.bureau.frameworks import (
    diff_table,
    dropped_table,
    framework_facts,
    mean_change,
    rescore_table,
    rescored,
    versions_frame,
)
from ui.bureau.uploads import check_size, framework_upload, widget_limit
from ui.context import AppCtx, current
from ui.services import framework
from ui.text import error_lines, plain, tr
from ui.widgets import guarded

UPLOAD = "bureau.fw.upload"
PICK = "bureau.fw.pick"
ACTIVATE_ON_SAVE = "bureau.fw.activate_on_save"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    """Draw the four parts of the page."""
    ctx = current()
    st.title(tr("bureau.page.frameworks"))
    versions = ctx.services.frameworks.list_versions(ctx.user)
    tabs = st.tabs([tr(f"bureau.fw.tab.{k}") for k in ("versions", "upload", "diff", "rescore")])
    with tabs[0]:
        versions_block(ctx, versions)
    with tabs[1]:
        upload_block(ctx, versions)
    with tabs[2]:
        diff_block(ctx, versions)
    with tabs[3]:
        rescore_block(ctx, versions)


def labels_of(versions: list[FrameworkVersion]) -> dict[int, str]:
    """Version id → `version · name (active)`."""
    active = tr("bureau.version.active")
    return {
        v.id: tr("bureau.version.label", version=v.version, name=v.name, active=active if v.active else "")
        for v in versions
    }


def versions_block(ctx: AppCtx, versions: list[FrameworkVersion]) -> None:
    """Every version, activating one, and downloading one as a workbook or YAML."""
    frame = versions_frame(versions, ctx.cycles)
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    download(frame, tr("bureau.file.versions"), "fw.versions")
    labels = labels_of(versions)
    chosen = st.selectbox(
        tr("bureau.col.framework"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=lang_key(PICK),
        placeholder=tr("app.choose"),
    )
    if chosen is None:
        return
    cols = st.columns(3)
    with cols[0]:
        st.button(
            tr("bureau.fw.activate"),
            key="bureau.fw.activate",
            on_click=guarded(activate),
            args=(ctx,),
            icon=":material/check_circle:",
        )
    with cols[1]:
        build = functools.partial(version_xlsx, ctx, chosen)
        download_bytes(build, f"framework-{chosen}.xlsx", "fw.xlsx", tr("bureau.fw.download_xlsx"), XLSX)
    with cols[2]:
        build = functools.partial(version_yaml, ctx, chosen)
        download_bytes(build, f"framework-{chosen}.yaml", "fw.yaml", tr("bureau.fw.download_yaml"), "application/yaml")
    st.caption(tr("bureau.fw.activate_help"))


def version_xlsx(ctx: AppCtx, version_id: int) -> bytes:
    """A stored version as a workbook of the YAML's shape."""
    return framework_to_xlsx(framework(ctx.services, ctx.user, version_id).framework)


def version_yaml(ctx: AppCtx, version_id: int) -> bytes:
    """A stored version's YAML text."""
    return ctx.services.frameworks.source(ctx.user, version_id).encode("utf-8")


def activate(ctx: AppCtx) -> None:
    """Button callback: offer the version picked for new cycles (past cycles keep theirs)."""
    done = ctx.services.frameworks.activate(ctx.user, int(state.session()[lang_key(PICK)]))
    state.flash("success", tr("bureau.fw.activated", version=done.version))


def upload_key() -> str:
    """The uploader's key (a fresh one after a save)."""
    return f"{UPLOAD}.{state.nonce(UPLOAD)}"


def upload_block(ctx: AppCtx, versions: list[FrameworkVersion]) -> None:
    """Upload, validate, see what changed against the active version, and save."""
    st.caption(tr("bureau.fw.upload_help"))
    key = upload_key()
    upload = st.file_uploader(
        tr("bureau.fw.file"),
        type=["yaml", "yml", "xlsx"],
        key=key,
        max_upload_size=widget_limit(ctx.settings.upload_max_mb),
    )
    if upload is None:
        return
    try:
        data = upload.getvalue()
        check_size(data, upload.name, ctx.settings.upload_max_mb)
        fw, _ = framework_upload(data, upload.name)
    except InputError as error:
        lines = [tr("bureau.fw.refused", n=len(error.problems), file=upload.name), *error_lines(error)]
        st.error("\n\n".join(plain(line) for line in lines))
        return
    st.success(plain(tr("bureau.fw.valid", facts=framework_facts(fw, ctx.lang))))
    active = next((v for v in versions if v.active), None)
    if active is not None:
        diff = diff_frameworks(framework(ctx.services, ctx.user, active.id).framework, fw)
        st.markdown(plain(diff.summary(ctx.lang)))
        table = diff_table(diff, ctx.lang)
        if not table.empty:
            st.dataframe(table, hide_index=True, width="stretch", placeholder="—")
            download(table, tr("bureau.file.diff"), "fw.upload_diff")
    st.checkbox(tr("bureau.fw.activate_on_save"), key=ACTIVATE_ON_SAVE)
    st.button(
        tr("bureau.fw.save"),
        key="bureau.fw.save",
        type="primary",
        on_click=guarded(save_upload),
        args=(ctx, key, {v.id for v in versions}),
        icon=":material/save:",
    )


def save_upload(ctx: AppCtx, key: str, known: set[int]) -> None:
    """Button callback: validate the file again and store it as a new version (activating it if asked)."""
    upload = state.session().get(key)
    if upload is None:
        raise InputError([Problem("bureau.upload.none")])
    data = upload.getvalue()
    check_size(data, upload.name, ctx.settings.upload_max_mb)
    _, text = framework_upload(data, upload.name)
    stored = ctx.services.frameworks.add(
        ctx.user, text, source=upload.name, activate=bool(state.session().get(ACTIVATE_ON_SAVE))
    )
    state.bump(UPLOAD)
    message = "bureau.fw.same" if stored.id in known else "bureau.fw.saved"
    state.flash("success", tr(message, version=stored.version, id=stored.id))


def diff_block(ctx: AppCtx, versions: list[FrameworkVersion]) -> None:
    """What changed from one stored version to another."""
    if len(versions) < 2:
        st.info(tr("bureau.fw.one_version"))
        return
    labels = labels_of(versions)
    ids = list(labels)
    cols = st.columns(2)
    old = cols[0].selectbox(
        tr("bureau.fw.old"), options=ids, index=1, format_func=labels.__getitem__, key=lang_key("bureau.fw.old")
    )
    new = cols[1].selectbox(
        tr("bureau.fw.new"), options=ids, index=0, format_func=labels.__getitem__, key=lang_key("bureau.fw.new")
    )
    diff = diff_frameworks(
        framework(ctx.services, ctx.user, old).framework, framework(ctx.services, ctx.user, new).framework
    )
    st.markdown(plain(diff.summary(ctx.lang)))
    table = diff_table(diff, ctx.lang)
    st.dataframe(table, hide_index=True, width="stretch", height=420, placeholder="—")
    download(table, tr("bureau.file.diff"), "fw.diff")


def rescore_block(ctx: AppCtx, versions: list[FrameworkVersion]) -> None:
    """A cycle re-scored under another version, for comparison only."""
    st.info(tr("bureau.fw.rescore_help"), icon=":material/info:")
    if not ctx.cycles or len(versions) < 2:
        st.caption(tr("bureau.fw.one_version"))
        return
    cycles = {c.id: c for c in ctx.cycles}
    cols = st.columns(2)
    cycle_id = cols[0].selectbox(
        tr("bureau.col.cycle"),
        options=list(cycles),
        format_func=lambda i: cycles[i].name,
        key="bureau.fw.rescore_cycle",
    )
    cycle = cycles[cycle_id]
    labels = {i: s for i, s in labels_of(versions).items() if i != cycle.framework_version_id}
    version_id = cols[1].selectbox(
        tr("bureau.fw.other"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=lang_key(f"bureau.fw.rescore_version.{cycle_id}"),
    )
    if st.button(tr("jobs.start_rescore"), key="bureau.fw.rescore_job", icon=":material/schedule:"):
        params = {"cycle_id": cycle_id, "version_id": version_id, "lang": ctx.lang}
        start(ctx.services, ctx.settings, ctx.user, "rescore", params, cycle_id=cycle_id)
        st.toast(tr("jobs.started_elsewhere"))
    view: View = view_picker("bureau.fw.rescore_view")
    data = cycle_data(ctx, cycle)
    again = rescored(data, version_id, framework(ctx.services, ctx.user, version_id).framework)
    table = rescore_table(data, again, view, ctx.lang)
    changed = mean_change(table)
    cols = st.columns(3)
    cols[0].metric(tr("bureau.fw.schools"), len(table))
    cols[1].metric(tr("bureau.col.tier_changed"), int((table[tr("bureau.col.tier_changed")] == tr("app.yes")).sum()))
    cols[2].metric(tr("bureau.fw.mean_change"), "—" if changed is None else f"{changed:+.1f}")
    st.dataframe(table, hide_index=True, width="stretch", height=420, placeholder="—")
    download(table, tr("bureau.file.rescore"), "fw.rescore")
    dropped_block(ctx, data, again)


def dropped_block(ctx: AppCtx, data: CycleData, again: Rescored) -> None:
    """Ratings the other version cannot take, and its items the cycle never rated."""
    dropped = dropped_table(again, data, ctx.lang)
    if not dropped.empty:
        st.caption(tr("bureau.fw.dropped", n=len(again.dropped)))
        st.dataframe(dropped, hide_index=True, width="stretch", placeholder="—")
        download(dropped, tr("bureau.file.dropped"), "fw.dropped")
    if again.new_items:
        st.caption(tr("bureau.fw.new_items", items=tr("bureau.list_sep").join(again.new_items)))


if __name__ == "__main__":
    render()
