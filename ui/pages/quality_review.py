"""Quality review (the second reader): read a proposed result beside the evidence verdicts and findings.

For the reviewer named by the lead (a bureau account or the lead of another team): the proposed score
and tier, then per item the result level, each inspector's level, their findings and the verdicts on the
evidence files, with a note field per item; confirm (the lead may then finalize) or send back with the
notes. The bureau also sees every review of the cycle and where it is.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import streamlit as st

from scoring import score_district
from store.calibration_records import QualityReview
from store.errors import StoreError
from store.records import RaterRole, Role
from ui import state
from ui.context import AppCtx, current
from ui.services import framework
from ui.text import plain, tr
from ui.widgets import guarded, item_title, show_error


def render() -> None:
    """Draw the reviews waiting for the signed-in user."""
    ctx = current()
    st.title(tr("quality.page"))
    reviews = ctx.services.quality.my_reviews(ctx.user)
    if ctx.user.role == Role.BUREAU and reviews:
        overview(reviews)
    mine = [r for r in reviews if r.reviewer_id == ctx.user.id]
    if not mine:
        st.info(tr("quality.none"))
        return
    by_id = {r.assessment_id: r for r in mine}
    chosen = st.selectbox(
        tr("quality.pick"),
        options=list(by_id),
        format_func=lambda a: f"{by_id[a].school_name} · {status_words(by_id[a])}",
        key="review.pick",
        placeholder=tr("app.choose"),
    )
    try:
        read(ctx, by_id[int(chosen)])
    except StoreError as error:
        show_error(error)


def status_words(review: QualityReview) -> str:
    """Where a review is, in words."""
    return tr(f"quality.status.{review.status}", who=review.reviewer_name)


def overview(reviews: list[QualityReview]) -> None:
    """Every review (bureau)."""
    frame = pd.DataFrame(
        {
            tr("quality.col.school"): [r.school_name for r in reviews],
            tr("quality.col.reviewer"): [r.reviewer_name for r in reviews],
            tr("quality.col.status"): [status_words(r) for r in reviews],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def read(ctx: AppCtx, review: QualityReview) -> None:
    """The proposed result and the items, then the reviewer's two choices."""
    sv, me = ctx.services, ctx.user
    a = sv.assessments.get(me, review.assessment_id)
    cycle = sv.cycles.get(me, a.cycle_id)
    bundle = framework(sv, me, cycle.framework_version_id)
    st.subheader(plain(a.school_name))
    st.caption(status_words(review))
    facts = sv.frames.facts_frame(me, cycle.id, a.school_id)
    ratings_frame = sv.frames.ratings_frame(me, cycle.id, a.school_id)
    result = score_district(bundle.compiled, facts, ratings_frame)
    row = result.row(a.school_code)
    score = result.inspection.score_100[row]
    tier_index = int(result.inspection.tier_index[row])
    tier = result.tier_name(tier_index, ctx.lang)
    st.markdown(tr("quality.score", score=f"{score:.1f}" if np.isfinite(score) else "—", tier=tier))
    st.caption(tr("quality.read_help"))
    ratings = sv.ratings.list_ratings(me, a.id)
    links = sv.evidence.list_links(me, a.id)
    verdicts = sv.evidence.verdicts(me, a.id)
    stages = set(a.stages)
    items = [i for i in bundle.framework.items() if stages & {s.value for s in i.applies_to}]
    levels: dict[str, dict[str, str]] = defaultdict(dict)
    findings: dict[str, list[str]] = defaultdict(list)
    consensus: dict[str, str] = {}
    for r in ratings:
        if r.role == RaterRole.INSPECTOR:
            levels[r.item_id][r.rater] = r.level
            if r.finding:
                findings[r.item_id].append(f"{review.team.get(r.rater, r.rater)}：{r.finding}")
        elif r.role == RaterRole.CONSENSUS:
            consensus[r.item_id] = r.level
    by_item: dict[str, list[bool]] = defaultdict(list)
    for link in links:
        by_item[link.item_id] += list(verdicts.get(link.id, {}).values())
    rows = []
    for item in items:
        votes = levels.get(item.id, {})
        rows.append(
            {
                tr("app.col.item"): item_title(item, ctx.lang),
                tr("quality.col.result"): consensus.get(item.id) or _median(item, list(votes.values())),
                tr("quality.col.levels"): "、".join(f"{review.team.get(k, k)} {v}" for k, v in sorted(votes.items())),
                tr("quality.col.findings"): "\n".join(findings.get(item.id, [])),
                tr("quality.col.evidence"): tr(
                    "quality.evidence.summary",
                    ok=sum(by_item[item.id]),
                    bad=len(by_item[item.id]) - sum(by_item[item.id]),
                )
                if by_item.get(item.id)
                else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if review.status != "pending":
        notes(review, {i.id: item_title(i, ctx.lang) for i in items})
        return
    with st.form(f"review.form.{a.id}"):
        for item in items:
            st.text_input(
                f"{tr('quality.col.note')} · {item_title(item, ctx.lang)}", key=f"review.note.{a.id}.{item.id}"
            )
        st.text_area(tr("quality.general_note"), key=f"review.general.{a.id}", max_chars=4000)
        cols = st.columns(2)
        with cols[0]:
            st.form_submit_button(
                tr("quality.confirm"),
                key=f"review.confirm.{a.id}",
                type="primary",
                on_click=guarded(confirm),
                args=(ctx, a.id),
            )
        with cols[1]:
            st.form_submit_button(
                tr("quality.send_back"),
                key=f"review.back.{a.id}",
                on_click=guarded(send_back),
                args=(ctx, a.id, [i.id for i in items]),
            )


def _median(item: object, votes: list[str]) -> str:
    """The inspectors' median level (the lower middle for an even count), as the scoring contract settles it."""
    order = {lv.id: n for n, lv in enumerate(item.levels)}  # type: ignore[attr-defined]
    ranked = sorted((order[v] for v in votes if v in order), reverse=True)  # worst first
    if not ranked:
        return ""
    pick = ranked[(len(ranked) - 1) // 2]
    return next(k for k, n in order.items() if n == pick)


def notes(review: QualityReview, titles: dict[str, str]) -> None:
    """The notes of a decided review."""
    if review.notes or review.note:
        st.subheader(tr("quality.notes_title"))
        for item_id, note in review.notes.items():
            st.markdown(plain(tr("quality.item_note", item=titles.get(item_id, item_id), note=note)))
        if review.note:
            st.markdown(plain(review.note))


def confirm(ctx: AppCtx, aid: int) -> None:
    """Form callback: confirm the result."""
    ctx.services.quality.confirm(ctx.user, aid)
    state.flash("success", tr("quality.confirmed_ok"))


def send_back(ctx: AppCtx, aid: int, item_ids: list[str]) -> None:
    """Form callback: send back with the notes written."""
    s = state.session()
    notes = {i: str(s.get(f"review.note.{aid}.{i}") or "") for i in item_ids}
    ctx.services.quality.send_back(ctx.user, aid, notes, str(s.get(f"review.general.{aid}") or ""))
    state.flash("success", tr("quality.sent_back_ok"))


if __name__ == "__main__":
    render()
