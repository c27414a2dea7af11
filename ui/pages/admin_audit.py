"""Audit log (admin): search every entry and export what was found as CSV or Excel (等保 level 2)."""

from __future__ import annotations

import functools
import io
import json
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from i18n.catalog import MESSAGES
from store.audit_log import AuditQuery, is_failure
from store.records import AuditEntry
from ui import state
from ui.bureau.downloads import csv_bytes
from ui.context import AppCtx, current
from ui.text import tr

KEYS = {f: f"audit.{f}" for f in ("actor", "action", "text", "since", "until", "outcome")}
SHOWN = 1000
OUTCOMES = ("all", "ok", "failed")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    """The search form, the entries found, and the two exports."""
    ctx = current()
    st.title(tr("security.audit.title"))
    st.caption(tr("security.audit.caption", days=ctx.settings.audit_retention_days))
    query = search_form()
    entries = ctx.services.audit.search(ctx.user, query)
    if not entries:
        st.info(tr("security.audit.none"))
        return
    st.caption(tr("security.audit.found", n=len(entries), max=SHOWN))
    frame = entries_frame(entries)
    st.dataframe(frame, hide_index=True, width="stretch", height=480)
    cols = st.columns(2)
    name = f"{tr('security.audit.file')}_{date.today().isoformat()}"
    cols[0].download_button(
        tr("security.audit.csv"),
        data=functools.partial(exported, ctx, frame, "csv"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="audit.dl.csv",
        on_click="ignore",
        icon=":material/download:",
    )
    cols[1].download_button(
        tr("security.audit.xlsx"),
        data=functools.partial(exported, ctx, frame, "xlsx"),
        file_name=f"{name}.xlsx",
        mime=XLSX,
        key="audit.dl.xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def search_form() -> AuditQuery:
    """The filters (kept in the session), as a query."""
    s = state.session()
    with st.form("audit.form"):
        cols = st.columns(3)
        cols[0].text_input(tr("security.audit.actor"), key=KEYS["actor"])
        cols[1].text_input(tr("security.audit.action"), key=KEYS["action"])
        cols[2].text_input(tr("security.audit.text"), key=KEYS["text"])
        cols = st.columns(3)
        cols[0].date_input(tr("security.audit.since"), value=date.today() - timedelta(days=30), key=KEYS["since"])
        cols[1].date_input(tr("security.audit.until"), value=date.today(), key=KEYS["until"])
        cols[2].selectbox(
            tr("security.audit.outcome"),
            options=list(OUTCOMES),
            format_func=lambda o: tr(f"security.audit.outcome.{o}"),
            key=KEYS["outcome"],
        )
        st.form_submit_button(tr("security.audit.search"), key="audit.search", icon=":material/search:")
    return AuditQuery(
        actor=str(s.get(KEYS["actor"]) or ""),
        action_prefix=str(s.get(KEYS["action"]) or ""),
        text=str(s.get(KEYS["text"]) or ""),
        since=s.get(KEYS["since"]),
        until=s.get(KEYS["until"]),
        outcome=str(s.get(KEYS["outcome"]) or "all"),
        limit=SHOWN,
    )


def event_words(action: str) -> str:
    """An event in the user's words where the catalog has them (else its code)."""
    if action.startswith("refused:"):
        what = action.removeprefix("refused:")
        for key in (f"store.action.{what}", f"security.action.{what}"):
            if key in MESSAGES:
                return tr("security.event.refused", action=tr(key))
        return tr("security.event.refused", action=what)
    key = f"security.event.{action}"
    return tr(key) if key in MESSAGES else action


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def entries_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The entries as a table with headers in the user's language."""
    col = {k: tr(f"security.audit.col.{k}") for k in ("at", "actor", "action", "outcome", "entity", "entity_id")}
    col |= {k: tr(f"security.audit.col.{k}") for k in ("school", "cycle", "before", "after")}
    return pd.DataFrame(
        {
            col["at"]: [e.at.strftime("%Y-%m-%d %H:%M:%S") for e in entries],
            col["actor"]: [e.actor for e in entries],
            col["action"]: [event_words(e.action) for e in entries],
            col["outcome"]: [
                tr("security.audit.outcome.failed" if is_failure(e.action) else "security.audit.outcome.ok")
                for e in entries
            ],
            col["entity"]: [e.entity for e in entries],
            col["entity_id"]: [e.entity_id for e in entries],
            col["school"]: ["" if e.school_id is None else str(e.school_id) for e in entries],
            col["cycle"]: ["" if e.cycle_id is None else str(e.cycle_id) for e in entries],
            col["before"]: [_json(e.before) for e in entries],
            col["after"]: [_json(e.after) for e in entries],
        }
    )


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The table as a workbook; every cell written as text, never as a formula."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        frame.to_excel(writer, index=False, sheet_name="audit")
        writer.sheets["audit"].freeze_panes(1, 0)
        writer.sheets["audit"].autofilter(0, 0, len(frame), len(frame.columns) - 1)
    return buffer.getvalue()


def exported(ctx: AppCtx, frame: pd.DataFrame, kind: str) -> bytes:
    """The export, built when the button is pressed; the export itself is audited."""
    data = csv_bytes(frame) if kind == "csv" else xlsx_bytes(frame)
    ctx.services.audit.note(ctx.user, "audit.export", "audit_log", "", after={"format": kind, "rows": len(frame)})
    return data


if __name__ == "__main__":
    render()
