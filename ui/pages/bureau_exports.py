"""Exports: the district workbook, every school's reports in one zip (a background job), the cycle's data.

The workbook and the data files are built when their button is pressed (the workbook of a large district
also as a background job). The zip is a job (`jobs.queue.start`): a worker, or a thread of this app when
no broker is configured, writes it school by school and reports its progress into the database; the page
shows a progress bar from those reports and lists finished jobs, downloadable from any app server. A job
survives the page being closed or reloaded; pressing the button twice finds the job already started.
"""

from __future__ import annotations

import functools
from datetime import date

import streamlit as st

from i18n.problems import InputError
from jobs.queue import start
from store.jobs import DONE, FAILED
from ui.bureau.data import CycleData, cycle_data
from ui.bureau.downloads import csv_bytes, download_bytes
from ui.bureau.exports import KINDS, workbook
from ui.bureau.filters import lang_key
from ui.bureau.labels import catalog_words
from ui.bureau.targets import entered_for
from ui.bureau.uploads import check_size, csv_frame, widget_limit
from ui.calibration_ui import cert_words
from ui.context import AppCtx, current
from ui.shell import district_name
from ui.text import error_lines, plain, tr

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    import_block(ctx, data)
    jobs_block(ctx, data.cycle.id)


def workbook_block(ctx: AppCtx, data: CycleData, district: str) -> None:
    """The district workbook: schools × domains, tiers, ranking, targets, inspector agreement."""
    st.subheader(tr("bureau.exports.workbook"))
    st.caption(tr("bureau.exports.workbook_help"))
    certified = cert_words(ctx)  # issue 14: each inspector's certification on the agreement sheet
    build = functools.partial(
        audited,
        ctx,
        "export.workbook",
        data.cycle.id,
        functools.partial(workbook, data, ctx.lang, district, entered_for(ctx, data.cycle.id), certified),
    )
    name = f"{tr('bureau.file.workbook')}_{data.cycle.name}.xlsx"
    download_bytes(build, name, "exports.workbook", tr("bureau.exports.workbook_button"), XLSX)


def zip_block(ctx: AppCtx, data: CycleData, district: str) -> None:
    """Every school's report of one kind in a zip, and the workbook, as background jobs with a progress bar."""
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
    params = {
        "cycle_id": data.cycle.id,
        "kind": kind,
        "finalized_only": bool(finalized_only),
        "lang": ctx.lang,
        "district": district,
        "office": ctx.settings.issuing_office if ctx.lang == "zh" else ctx.settings.issuing_office_en,
        "issued": date.today().isoformat(),
    }
    if st.button(tr("bureau.exports.build"), key="bureau.exports.build", icon=":material/folder_zip:"):
        start_job(ctx, "reports_zip", params, data.cycle.id)
    params = {"cycle_id": data.cycle.id, "lang": ctx.lang, "district": district}
    if st.button(tr("jobs.start_workbook"), key="bureau.exports.workbook_job", icon=":material/table_view:"):
        start_job(ctx, "workbook", params, data.cycle.id)


def import_block(ctx: AppCtx, data: CycleData) -> None:
    """A ratings CSV imported into the cycle as a background job (checked in full, then all or nothing)."""
    st.subheader(tr("jobs.import.title"))
    st.caption(tr("jobs.import.help"))
    upload = st.file_uploader(
        tr("jobs.import.file"),
        type=["csv"],
        key="bureau.exports.import_file",
        max_upload_size=widget_limit(ctx.settings.upload_max_mb),
    )
    if upload is None or not st.button(tr("jobs.import.start"), key="bureau.exports.import"):
        return
    payload = upload.getvalue()
    try:
        check_size(payload, upload.name, ctx.settings.upload_max_mb)
        csv_frame(payload, upload.name)  # a file that is no CSV at all is refused here, before it is stored
    except InputError as error:
        st.error("\n\n".join(plain(line) for line in error_lines(error, ctx.lang)))
        return
    params = {"cycle_id": data.cycle.id, "file": upload.name, "lang": ctx.lang}
    before = {j.id for j in ctx.services.jobs.list_jobs(ctx.user, cycle_id=data.cycle.id, limit=50)}
    job = start(ctx.services, ctx.settings, ctx.user, "import_ratings", params, cycle_id=data.cycle.id, upload=payload)
    st.toast(tr("jobs.started" if job.id not in before or job.state == "queued" else "jobs.already"))


def start_job(ctx: AppCtx, kind: str, params: dict, cycle_id: int) -> None:
    """Start the job (or find the one already started on the same data) and say which."""
    before = {j.id for j in ctx.services.jobs.list_jobs(ctx.user, cycle_id=cycle_id, limit=50)}
    job = start(ctx.services, ctx.settings, ctx.user, kind, params, cycle_id=cycle_id)
    st.toast(tr("jobs.started" if job.id not in before or job.state == "queued" else "jobs.already"))


def jobs_block(ctx: AppCtx, cycle_id: int) -> None:
    """The cycle's background jobs: a progress bar while they run, a download once done, the reason if failed."""
    st.subheader(tr("jobs.title"))
    st.caption(tr("jobs.help"))
    jobs = ctx.services.jobs.list_jobs(ctx.user, cycle_id=cycle_id, limit=10)
    active = any(not j.finished for j in jobs)
    st.fragment(run_every=1.0 if active else None)(jobs_panel)(ctx, cycle_id)


def jobs_panel(ctx: AppCtx, cycle_id: int) -> None:
    """One line per job, read afresh on every run of the fragment (the worker's reports)."""
    jobs = ctx.services.jobs.list_jobs(ctx.user, cycle_id=cycle_id, limit=10)
    if not jobs:
        st.caption(tr("jobs.none"))
    for job in jobs:
        kind = tr(f"jobs.kind.{job.kind}")
        when = job.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        st.markdown(
            plain(tr("jobs.line", kind=kind, state=tr(f"jobs.state.{job.state}"), who=job.started_by, when=when))
        )
        if job.state == DONE:
            size = f"{(job.result_size or 0) / 1048576:.1f}"
            st.download_button(
                tr("jobs.download", size=size),
                data=functools.partial(job_bytes, ctx, job.id),
                file_name=job.result_name or f"job-{job.id}",
                mime=MIMES.get((job.result_name or "").rsplit(".", 1)[-1], "application/octet-stream"),
                key=f"dl.job.{job.id}",
                on_click="ignore",
                icon=":material/download:",
            )
        elif job.state == FAILED:
            st.error("\n\n".join([tr("jobs.failed"), *(plain(line) for line in job.error_lines(ctx.lang))]))
        else:
            st.progress(job.fraction, text=tr("jobs.progress", kind=kind, done=job.done, total=job.total or "…"))


def job_bytes(ctx: AppCtx, job_id: int) -> bytes:
    """A finished job's result, read from the storage when the button is pressed."""
    _job, chunks = ctx.services.jobs.result(ctx.user, job_id)
    return b"".join(chunks)


MIMES = {"zip": "application/zip", "xlsx": XLSX, "csv": "text/csv", "txt": "text/plain"}


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
    """The cycle's facts (0) or ratings (1) CSV, read through the store when the button is pressed; audited."""
    data = csv_bytes(ctx.services.exports.cycle_frames(ctx.user, cycle_id)[which])
    what = ("facts", "ratings")[which]
    ctx.services.audit.note(ctx.user, "export.csv", "cycle", cycle_id, cycle_id=cycle_id, after={"file": what})
    return data


def audited(ctx: AppCtx, action: str, cycle_id: int, build: functools.partial[bytes]) -> bytes:
    """The file `build` makes, with the export in the audit log."""
    data = build()
    ctx.services.audit.note(ctx.user, action, "cycle", cycle_id, cycle_id=cycle_id)
    return data


if __name__ == "__main__":
    render()
