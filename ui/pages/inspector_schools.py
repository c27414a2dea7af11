"""My schools: the schools assigned to the inspector in the cycle, with status and the inspector's progress."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from store.records import Assessment, School
from ui.context import AppCtx, current
from ui.progress import rateable, stages_of
from ui.services import framework
from ui.text import plain, tr
from ui.widgets import status_text

RATE_PAGE = "ui/pages/inspector_rate.py"


def render() -> None:
    """Draw one row per assigned school."""
    ctx = current()
    st.title(tr("app.page.my_schools"))
    cycle = ctx.cycle
    if cycle is None:
        st.info(tr("app.cycle.none"))
        return
    sv, user = ctx.services, ctx.user
    assessments = sv.assessments.list_assessments(user, cycle.id)
    if not assessments:
        st.info(tr("app.schools.none"))
        return
    leads = {a.school_id for a in sv.cycles.assignments(user, cycle.id) if a.lead}
    schools = {s.id: s for s in sv.schools.list_schools(user, cycle.id)}
    mine = my_counts(ctx, cycle.id)
    fw = framework(sv, user, cycle.framework_version_id).framework
    st.caption(plain(tr("app.schools.summary", n=len(assessments), leads=len(leads))))
    for a in assessments:
        school = schools[a.school_id]
        to_rate = sum(rateable(i, stages_of(school.stages)) for i in fw.items())
        school_row(ctx, a, school, a.school_id in leads, mine.get(a.school_code, 0), to_rate)


def my_counts(ctx: AppCtx, cycle_id: int) -> Counter[str]:
    """How many items the inspector rated, per school code."""
    frame = ctx.services.frames.ratings_frame(ctx.user, cycle_id)
    if frame.empty:
        return Counter()
    mine = frame[(frame["role"].astype(str) == "inspector") & (frame["rater"].astype(str) == ctx.user.username)]
    return Counter(mine["school_code"].astype(str).tolist())


def school_row(ctx: AppCtx, a: Assessment, school: School, lead: bool, done: int, to_rate: int) -> None:
    """One school: name, status, lead mark, progress and a link to rate it."""
    with st.container(border=True, key=f"school-row-{school.code}"):
        cols = st.columns([4, 2, 3, 2], vertical_alignment="center")
        lead_mark = f" · {tr('app.schools.lead')}" if lead else ""
        cols[0].markdown(f"**{plain(school.name)}**  \n{plain(school.code)}{lead_mark}")
        cols[1].markdown(status_text(a.status))
        cols[2].progress(done / to_rate if to_rate else 1.0, text=tr("app.schools.progress", done=done, total=to_rate))
        cols[3].page_link(
            RATE_PAGE, label=tr("app.schools.open"), icon=":material/rate_review:", query_params={"school": school.code}
        )


if __name__ == "__main__":
    render()
