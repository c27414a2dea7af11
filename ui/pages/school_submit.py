"""Submit: blocked, with the list of what is missing, while anything required is missing; read-only after.

Required are every fact and a self rating for every applicable item (the store checks both again on
submission); evidence asked for but not attached is listed as a warning for the inspectors to judge.
Each missing fact links to the facts page, each missing item to its place in the walk (`?item=`).
Submitting asks for a confirmation first, as finalizing does.
"""

from __future__ import annotations

import streamlit as st

from store.records import RaterRole, Status
from ui import state
from ui.context import AppCtx, current
from ui.items import ITEM_PARAM
from ui.progress import Missing, applies, asks_evidence, missing
from ui.scope import Scope, own_school
from ui.text import plain, tr
from ui.widgets import guarded, item_title, status_text

FACTS_PAGE, WALK_PAGE = "ui/pages/school_facts.py", "ui/pages/school_walk.py"
CONFIRMING = "guide.submit.confirming"  # session key: the assessment whose submission awaits confirmation


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
    confirm(scope, disabled=bool(lacking))


def confirm(scope: Scope, disabled: bool) -> None:
    """The submit button, then a confirmation (with a way back) before anything is sent."""
    session = state.session()
    if session.get(CONFIRMING) != scope.aid:
        st.button(
            tr("guide.submit.button"),
            key="submit.send",
            type="primary",
            disabled=disabled,
            on_click=session.__setitem__,
            args=(CONFIRMING, scope.aid),
            icon=":material/send:",
        )
        return
    st.warning(plain(tr("guide.submit.confirm", school=scope.school.name)), icon=":material/warning:")
    cols = st.columns(2)
    cols[0].button(
        tr("app.submit.button"),
        key="submit.confirm",
        type="primary",
        disabled=disabled,
        on_click=guarded(send),
        args=(scope.ctx, scope.aid, scope.assessment.version),
        icon=":material/send:",
    )
    cols[1].button(tr("app.cancel"), key="submit.cancel", on_click=lambda: session.pop(CONFIRMING, None))


def blockers(ctx: AppCtx, lacking: Missing) -> None:
    """The facts and items still missing, each a link to where it is filled in."""
    n = len(lacking.facts) + len(lacking.items)
    st.error(f"**{tr('app.submit.blocked', n=n)}**", icon=":material/block:")
    for f in lacking.facts:
        label = tr("app.submit.missing_fact", fact=f.zh if ctx.lang == "zh" else f.en)
        st.page_link(FACTS_PAGE, label=label, icon=":material/table_chart:")
    for i in lacking.items:
        label = tr("app.submit.missing_item", item=item_title(i, ctx.lang))
        st.page_link(WALK_PAGE, label=label, icon=":material/checklist:", query_params={ITEM_PARAM: i.id})


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
    """Button callback (confirmed): submit the self-assessment."""
    state.session().pop(CONFIRMING, None)
    ctx.services.assessments.submit(ctx.user, aid, version)
    state.flash("success", tr("app.submit.sent"))


if __name__ == "__main__":
    render()
