"""Submit: blocked, with the list of what is missing, while anything required is missing; read-only after.

Required are every fact and a self rating for every applicable item (the store checks both again on
submission); evidence asked for but not attached is listed as a warning for the inspectors to judge.
"""

from __future__ import annotations

import streamlit as st

from store.records import RaterRole, Status
from ui import state
from ui.context import AppCtx, current
from ui.progress import Missing, applies, asks_evidence, missing
from ui.scope import Scope, own_school
from ui.text import plain, tr
from ui.widgets import guarded, item_title, status_text


def render() -> None:
    """Draw what is missing and the submit button."""
    ctx = current()
    scope = own_school(ctx)
    if scope is None:
        st.info(tr("app.cycle.none"))
        return
    st.title(tr("app.page.submit"))
    status = scope.assessment.status
    st.markdown(f"{tr('app.home.status')}: **{status_text(status)}**")
    if not scope.caps.edit_self:
        key = "app.submit.done" if status != Status.FINALIZED else "app.submit.finalized"
        st.success(tr(key), icon=":material/lock:")
        return
    ratings = ctx.services.ratings.list_ratings(ctx.user, scope.aid)
    rated = {r.item_id for r in ratings if r.role == RaterRole.SELF}
    lacking = missing(scope.bundle.framework, scope.stages, scope.assessment.facts, rated)
    if lacking:
        blockers(ctx, lacking)
    else:
        st.success(tr("app.submit.ready"), icon=":material/task_alt:")
    evidence_gaps(ctx, scope)
    st.button(
        tr("app.submit.button"),
        key="submit.send",
        type="primary",
        disabled=bool(lacking),
        on_click=guarded(send),
        args=(ctx, scope.aid, scope.assessment.version),
        icon=":material/send:",
    )


def blockers(ctx: AppCtx, lacking: Missing) -> None:
    """The facts and items still missing."""
    lines = [f"- {tr('app.submit.missing_fact', fact=f.zh if ctx.lang == 'zh' else f.en)}" for f in lacking.facts]
    lines += [f"- {tr('app.submit.missing_item', item=plain(item_title(i, ctx.lang)))}" for i in lacking.items]
    st.error(f"**{tr('app.submit.blocked', n=len(lines))}**\n" + "\n".join(lines), icon=":material/block:")


def evidence_gaps(ctx: AppCtx, scope: Scope) -> None:
    """Items that ask for evidence and have no file attached (not blocking)."""
    with_files = {link.item_id for link in ctx.services.evidence.list_links(ctx.user, scope.aid)}
    gaps = [
        i
        for i in scope.bundle.framework.items()
        if applies(i, scope.stages) and asks_evidence(i) and i.id not in with_files
    ]
    if gaps:
        with st.expander(tr("app.submit.evidence_gaps", n=len(gaps))):
            st.markdown("\n".join(f"- {plain(item_title(i, ctx.lang))}" for i in gaps))


def send(ctx: AppCtx, aid: int, version: int) -> None:
    """Button callback: submit the self-assessment."""
    ctx.services.assessments.submit(ctx.user, aid, version)
    state.flash("success", tr("app.submit.sent"))


if __name__ == "__main__":
    render()
