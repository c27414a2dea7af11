"""Lead inspector: the inspectors' levels side by side, the consensus, return and finalize.

Every inspector's level per item with disagreements highlighted, the consensus level where the lead
settles one, return for revision with a message, and finalizing after a confirmation.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import streamlit as st

from store.errors import StoreError
from store.records import RaterRole, Rating
from ui import autosave, overrides, reports_ui, state, visit_ui
from ui.context import AppCtx, current
from ui.items import team_names
from ui.progress import rateable
from ui.scope import Scope, chosen_school, pick_school
from ui.text import plain, tr
from ui.widgets import AnyItem, guarded, item_title, level_label, level_options, show_error, status_text

CONSENSUS = RaterRole.CONSENSUS
DISPUTED = "background-color: #fde7e4"


def render() -> None:
    """Draw the lead inspector's view of one school."""
    ctx = current()
    st.title(tr("app.page.lead"))
    if ctx.cycle is None:
        st.info(tr("app.cycle.none"))
        return
    led = {a.school_id for a in ctx.services.cycles.assignments(ctx.user, ctx.cycle.id) if a.lead}
    assessments = [a for a in ctx.services.assessments.list_assessments(ctx.user, ctx.cycle.id) if a.school_id in led]
    choices = {a.school_code: f"{a.school_code} {a.school_name} · {status_text(a.status)}" for a in assessments}
    code = pick_school(choices, "lead.school", tr("app.rate.school"))
    if code is None:
        st.info(tr("app.lead.none"))
        return
    try:
        scope = chosen_school(ctx, code)
    except StoreError as error:
        show_error(error)
        return
    if scope is None:
        return
    if scope.school.id not in led:
        st.warning(plain(tr("app.lead.not_lead", school=scope.school.name)), icon=":material/block:")
        return
    lead(ctx, scope)
    visit_ui.visit_form(scope)
    reports_ui.lead_reports(scope, ctx.services.ratings.list_ratings(ctx.user, scope.aid))


def lead(ctx: AppCtx, scope: Scope) -> None:
    """The inspectors' levels, the consensus, and the lead's two steps."""
    st.markdown(f"{tr('app.home.status')}: **{status_text(scope.assessment.status)}**")
    ratings = ctx.services.ratings.list_ratings(ctx.user, scope.aid)
    items = [i for i in scope.bundle.framework.items() if rateable(i, scope.stages)]
    votes = inspector_votes(ratings)
    raters = sorted({r.rater for r in ratings if r.role == RaterRole.INSPECTOR})
    disputed = [i for i in items if len(set(votes[i.id].values())) > 1]
    st.subheader(tr("app.lead.levels"))
    st.caption(tr("app.lead.disputed", n=len(disputed)))
    levels_table(ctx, items, ratings, votes, raters, disputed, team_names(ctx, scope.cycle.id, scope.school.id))
    if not scope.caps.lead:
        st.info(tr("app.rate.readonly", status=status_text(scope.assessment.status)), icon=":material/lock:")
        return
    consensus_editor(ctx, scope, items, ratings, disputed)
    overrides.override_editor(ctx, scope)
    return_form(ctx, scope)
    review_block(ctx, scope)  # issue 14: the second reader, where the cycle requires one
    finalize(ctx, scope)


def unique_heads(names: list[str]) -> list[str]:
    """Column heads from display names; two inspectors of the same name get a number each."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} {seen[name]}")
    return out


def inspector_votes(ratings: list[Rating]) -> dict[str, dict[str, str]]:
    """Item → inspector → level."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in ratings:
        if r.role == RaterRole.INSPECTOR:
            out[r.item_id][r.rater] = r.level
    return out


def levels_table(
    ctx: AppCtx,
    items: list[AnyItem],
    ratings: list[Rating],
    votes: dict[str, dict[str, str]],
    raters: list[str],
    disputed: list[AnyItem],
    names: dict[str, str] | None = None,
) -> None:
    """One row per item: self, each inspector (headed by name), consensus; disagreements highlighted."""
    names = names or {}
    heads = unique_heads([names.get(r, r) for r in raters])
    own = {(r.item_id, r.role): r.level for r in ratings if r.role in (RaterRole.SELF, CONSENSUS)}
    rows = []
    for item in items:
        row = {
            tr("app.col.item"): item_title(item, ctx.lang),
            tr("app.col.self"): own.get((item.id, RaterRole.SELF), ""),
        }
        row |= {head: votes[item.id].get(rater, "") for head, rater in zip(heads, raters, strict=True)}
        row[tr("app.col.consensus")] = own.get((item.id, CONSENSUS), "")
        rows.append(row)
    frame = pd.DataFrame(rows)
    marked = {i.id for i in disputed}
    flags = [item.id in marked for item in items]
    styled = frame.style.apply(lambda col: [DISPUTED if f else "" for f in flags], axis=0)
    st.dataframe(styled, hide_index=True, width="stretch")


def consensus_editor(
    ctx: AppCtx, scope: Scope, items: list[AnyItem], ratings: list[Rating], disputed: list[AnyItem]
) -> None:
    """A consensus level per disputed item (or every item), saved as it changes; none means the median."""
    st.subheader(tr("app.lead.consensus"))
    show_all = st.toggle(tr("app.lead.all_items"), key=f"lead.all.{scope.aid}")
    shown = items if show_all else disputed
    if not shown:
        st.caption(tr("app.lead.no_disputes"))
        return
    known = autosave.remember(CONSENSUS, scope.aid, [r for r in ratings if r.role == CONSENSUS], [i.id for i in shown])
    for item in shown:
        autosave.init_widgets(CONSENSUS, scope.aid, item.id, known[item.id])
        label = level_label(item, ctx.lang)
        st.selectbox(
            item_title(item, ctx.lang),
            options=[None, *level_options(item)],
            format_func=lambda level, label=label: tr("app.lead.median") if level is None else label(level),
            placeholder=tr("app.lead.median"),
            key=autosave.widget_key(CONSENSUS, "level", scope.aid, item.id),
            on_change=guarded(autosave.save_item),
            args=(ctx, scope.aid, CONSENSUS, item.id),
        )


def return_form(ctx: AppCtx, scope: Scope) -> None:
    """Send the assessment back to the school with a message."""
    st.subheader(tr("app.lead.return"))
    with st.form(f"lead.return.{scope.aid}"):
        st.text_area(tr("app.lead.note"), key=f"lead.note.{scope.aid}", max_chars=4000)
        st.form_submit_button(
            tr("app.lead.return_button"),
            key=f"lead.return.send.{scope.aid}",
            on_click=guarded(send_back),
            args=(ctx, scope.aid, scope.assessment.version),
            icon=":material/undo:",
        )


def send_back(ctx: AppCtx, aid: int, version: int) -> None:
    """Form callback: return for revision."""
    note = str(state.session().get(f"lead.note.{aid}") or "")
    ctx.services.assessments.return_for_revision(ctx.user, aid, version, note)
    state.flash("success", tr("app.lead.returned"))


def review_block(ctx: AppCtx, scope: Scope) -> None:
    """Where the cycle requires a review: where it is, the reviewer's notes, and proposing the result."""
    if not ctx.services.quality.cycle_settings(ctx.user, scope.cycle.id).require_review:
        return
    st.subheader(tr("quality.lead.title"))
    st.caption(tr("quality.lead.help"))
    review = ctx.services.quality.review_of(ctx.user, scope.aid)
    if review is not None:
        words = tr(f"quality.status.{review.status}", who=review.reviewer_name)
        {"confirmed": st.success, "sent_back": st.warning}.get(review.status, st.info)(plain(words))
        titles = {i.id: item_title(i, ctx.lang) for i in scope.bundle.framework.items()}
        for item_id, note in review.notes.items():
            st.markdown(plain(tr("quality.item_note", item=titles.get(item_id, item_id), note=note)))
        if review.note:
            st.markdown(plain(review.note))
        if review.status == "confirmed" and review.proposed_version == scope.assessment.version:
            return
    people = {r.id: r.display_name for r in ctx.services.quality.reviewers(ctx.user, scope.aid)}
    with st.form(f"lead.review.{scope.aid}"):
        st.selectbox(
            tr("quality.lead.reviewer"),
            options=list(people),
            format_func=people.__getitem__,
            key=f"lead.reviewer.{scope.aid}",
            placeholder=tr("app.choose"),
        )
        st.form_submit_button(
            tr("quality.lead.propose"),
            key=f"lead.propose.{scope.aid}",
            on_click=guarded(propose),
            args=(ctx, scope.aid, scope.assessment.version),
            icon=":material/fact_check:",
        )


def propose(ctx: AppCtx, aid: int, version: int) -> None:
    """Form callback: propose the result to the chosen reviewer."""
    reviewer = state.session().get(f"lead.reviewer.{aid}")
    if reviewer is None:
        return
    ctx.services.quality.propose(ctx.user, aid, int(reviewer), version)
    state.flash("success", tr("quality.lead.proposed"))


def finalize(ctx: AppCtx, scope: Scope) -> None:
    """Finalize after an explicit confirmation; finalized is read-only for everyone."""
    st.subheader(tr("app.lead.finalize"))
    confirming = state.session().get(state.CONFIRM) == scope.aid
    if not confirming:
        st.button(
            tr("app.lead.finalize_button"),
            key=f"lead.finalize.{scope.aid}",
            type="primary",
            on_click=lambda: state.session().__setitem__(state.CONFIRM, scope.aid),
            icon=":material/gavel:",
        )
        return
    st.warning(plain(tr("app.lead.confirm", school=scope.school.name)), icon=":material/warning:")
    cols = st.columns(2)
    cols[0].button(
        tr("app.lead.confirm_button"),
        key=f"lead.confirm.{scope.aid}",
        type="primary",
        on_click=guarded(do_finalize),
        args=(ctx, scope.aid, scope.assessment.version),
    )
    cols[1].button(
        tr("app.cancel"), key=f"lead.cancel.{scope.aid}", on_click=lambda: state.session().pop(state.CONFIRM, None)
    )


def do_finalize(ctx: AppCtx, aid: int, version: int) -> None:
    """Confirmed: finalize."""
    state.session().pop(state.CONFIRM, None)
    ctx.services.assessments.finalize(ctx.user, aid, version)
    state.flash("success", tr("app.lead.finalized"))


if __name__ == "__main__":
    render()
