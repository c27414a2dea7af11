"""School home: where the school stands and what would lift it.

The cycle, deadline and status; progress per domain; the score forecast, the tier it would reach,
the reasons in words and the improvement path to the next tier.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.records import RaterRole, Status
from ui import reports_ui, template_ui
from ui.context import current
from ui.forecast import Forecast, of_scope
from ui.progress import domain_progress
from ui.scope import Scope, own_school
from ui.text import plain, tr
from ui.widgets import status_text


def render() -> None:
    """Draw the school's overview."""
    ctx = current()
    scope = own_school(ctx)
    if scope is None:
        st.info(tr("app.cycle.none"))
        return
    st.title(plain(scope.school.name))
    overview(scope)
    self_view = of_scope(scope)
    progress(scope)
    forecast(self_view, tr("app.home.forecast"), ctx.lang)
    if scope.assessment.status == Status.FINALIZED:
        forecast(Forecast(self_view.result, self_view.code, "inspection"), tr("app.home.official"), ctx.lang)
    reports_ui.school_reports(scope)
    template_ui.template_section(scope, "self", scope.caps.edit_self)


def overview(scope: Scope) -> None:
    """Cycle, deadline and status."""
    cycle, a = scope.cycle, scope.assessment
    deadline = cycle.self_deadline.isoformat() if cycle.self_deadline else tr("app.home.no_deadline")
    cols = st.columns(3)
    cols[0].metric(tr("app.home.cycle"), cycle.school_year, help=cycle.name)
    cols[1].metric(tr("app.home.deadline"), deadline)
    cols[2].metric(tr("app.home.status"), status_text(a.status))
    if a.status == Status.RETURNED and a.return_note:
        st.warning(plain(tr("app.home.returned", note=a.return_note)), icon=":material/undo:")


def progress(scope: Scope) -> None:
    """Items rated and evidence attached against what is asked, per domain."""
    ctx = scope.ctx
    rated = {r.item_id for r in ctx.services.ratings.list_ratings(ctx.user, scope.aid) if r.role == RaterRole.SELF}
    with_files = {link.item_id for link in ctx.services.evidence.list_links(ctx.user, scope.aid)}
    rows = domain_progress(scope.bundle.framework, scope.stages, rated, with_files, ctx.lang)
    st.subheader(tr("app.home.progress"))
    frame = pd.DataFrame(
        {
            tr("app.col.domain"): [f"{r.domain_id} {r.title}" for r in rows],
            tr("app.col.rated"): [r.rated / r.to_rate if r.to_rate else 1.0 for r in rows],
            tr("app.col.rated_n"): [f"{r.rated} / {r.to_rate}" for r in rows],
            tr("app.col.evidence"): [f"{r.attached} / {r.asked}" for r in rows],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            tr("app.col.rated"): st.column_config.ProgressColumn(
                tr("app.col.rated"), min_value=0.0, max_value=1.0, format="percent"
            ),
        },
    )


def forecast(view: Forecast, heading: str, lang: str) -> None:
    """The decision in one sentence, score, tier, the failed conditions and the fewest raises to the next tier."""
    st.subheader(heading)
    decision_box(view, lang)
    score = view.score
    cols = st.columns(3)
    cols[0].metric(tr("app.home.score"), "—" if score is None else f"{score:.1f}")
    cols[1].metric(tr("app.home.tier"), view.tier(lang))
    cols[2].metric(tr("app.home.unrated"), view.unrated())
    reasons = view.reasons(lang)
    if reasons:
        st.markdown(f"**{tr('app.home.reasons')}**\n" + "\n".join(f"- {plain(r)}" for r in reasons))
    improvement(view, lang)


def decision_box(view: Forecast, lang: str) -> None:
    """The decision and its reason in one sentence, inspectors' words; the distance to the next tier below it.

    Drawn as a bordered box of its own (not a message box), red when the school does not pass.
    """
    decision = view.decision(lang)
    with st.container(border=True, key=f"decision.{view.view}"):
        if not decision.present:
            st.markdown(plain(decision.sentence))
            return
        colour = "green" if decision.passed else "red"
        st.markdown(f"**{tr('judgement.heading')}**：:{colour}-background[{plain(decision.sentence)}]")
        if decision.next_tier:
            st.caption(plain(decision.next_tier))


def improvement(view: Forecast, lang: str) -> None:
    """The fewest one-level raises to the next tier, item by item ("raise these items to reach 示范校")."""
    path = view.path()
    if path is None or not path.raises:
        return
    fw = view.result.compiled.framework
    tier = fw.tier(path.tier_id).name.get(lang)
    lines = [
        f"- {plain(r.item_id)} {plain(fw.item(r.item_id).title.get(lang))}: "
        + (f"{r.from_level} → {r.to_level}" if r.from_level else tr("judgement.rec.app_unrated", level=r.to_level))
        for r in path.raises
    ]
    st.markdown(f"**{tr('app.home.path', tier=tier, score=f'{path.score_after:.1f}')}**\n" + "\n".join(lines))


if __name__ == "__main__":
    render()
