"""The visit of one assessment (first and last day, the team as printed, the report date): a small form.

Shown to the lead of the school while the assessment is open; the store checks who may save it
(`Services.visits.set`: the bureau or the lead) and logs every change. Documents read it back.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from store.records import Assessment
from ui import state
from ui.context import AppCtx
from ui.scope import Scope
from ui.text import tr
from ui.widgets import guarded


def visit_form(scope: Scope) -> None:
    """The lead's form for the visit of the scope's school."""
    form(scope.ctx, scope.aid, editable=scope.caps.lead)


def bureau_visits(ctx: AppCtx, assessments: Sequence[Assessment]) -> None:
    """The bureau's form for the visit of one school of the cycle, picked by name."""
    st.subheader(tr("documents.visit.title"))
    schools = {a.id: f"{a.school_code} {a.school_name}" for a in assessments}
    aid = st.selectbox(
        tr("bureau.assign.schools"),
        options=list(schools),
        format_func=schools.__getitem__,
        index=None,
        key="bureau.visit.school",
        placeholder=tr("app.choose"),
    )
    if aid is not None:
        form(ctx, int(aid), editable=True)


def form(ctx: AppCtx, aid: int, editable: bool) -> None:
    """The visit form of one assessment (saved through the store, which checks the permission)."""
    visit = ctx.services.visits.get(ctx.user, aid)
    with st.expander(tr("documents.visit.title"), icon=":material/event:"), st.form(f"visit.{aid}"):
        cols = st.columns(3)
        cols[0].date_input(tr("documents.visit.first_day"), value=visit.first_day, key=f"visit.first.{aid}")
        cols[1].date_input(tr("documents.visit.last_day"), value=visit.last_day, key=f"visit.last.{aid}")
        cols[2].date_input(tr("documents.visit.report_date"), value=visit.report_date, key=f"visit.report.{aid}")
        shown = "\n".join(m.name for m in visit.entered_team)
        st.text_area(
            tr("documents.visit.team"),
            value=shown,
            placeholder="\n".join(m.name for m in visit.assigned_team),
            key=f"visit.team.{aid}",
            max_chars=1200,
        )
        st.form_submit_button(
            tr("documents.visit.save"),
            key=f"visit.save.{aid}",
            on_click=guarded(save_visit),
            args=(ctx, aid),
            icon=":material/save:",
            disabled=not editable,
        )


def save_visit(ctx: AppCtx, aid: int) -> None:
    """Form callback: store the visit as entered."""
    values = state.session()
    team = str(values.get(f"visit.team.{aid}") or "").splitlines()
    ctx.services.visits.set(
        ctx.user,
        aid,
        first_day=values.get(f"visit.first.{aid}"),
        last_day=values.get(f"visit.last.{aid}"),
        team=team,
        report_date=values.get(f"visit.report.{aid}"),
    )
    state.flash("success", tr("documents.visit.saved"))
