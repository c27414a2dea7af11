"""Scoring a school: the school's side of each item beside the inspector's own rating.

For each item, the school's level, account and evidence (download, and the inspector's verdict on each
file) beside the inspector's own level, a verdict on the item's evidence (accepted or insufficient) and a
finding; progress; saved as it goes (a quiet "saved" cue at the item); a PDF or an image opens inside the page,
beside the item (`ui.evidence_view`). A file judged insufficient marks the item's evidence insufficient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from criteria.models import QuantitativeItem
from store.errors import StoreError
from store.records import EvidenceLink, RaterRole, Rating
from ui import autosave, evidence_view, state, template_ui
from ui.context import AppCtx, current
from ui.items import computed_item, domain_picker, files_by_item, lazy_forecast
from ui.progress import applies, rateable
from ui.scope import Scope, chosen_school, pick_school
from ui.text import plain, tr
from ui.widgets import (
    AnyItem,
    evidence_list,
    guarded,
    item_caption,
    item_title,
    level_label,
    level_options,
    show_error,
    status_text,
)

MINE = RaterRole.INSPECTOR
VERDICTS = (True, False)


def render() -> None:
    """Draw the picked school's items for the inspector."""
    ctx = current()
    st.title(tr("app.page.rate"))
    if ctx.cycle is None:
        st.info(tr("app.cycle.none"))
        return
    assessments = ctx.services.assessments.list_assessments(ctx.user, ctx.cycle.id)
    choices = {a.school_code: f"{a.school_code} {a.school_name} · {status_text(a.status)}" for a in assessments}
    code = pick_school(choices, "rate.school", tr("app.rate.school"))
    if code is None:
        st.info(tr("app.schools.none"))
        return
    try:
        scope = chosen_school(ctx, code)
    except StoreError as error:
        show_error(error)
        return
    if scope is not None:
        rate(ctx, scope)


def rate(ctx: AppCtx, scope: Scope) -> None:
    """Progress, then one domain of items."""
    ratings = ctx.services.ratings.list_ratings(ctx.user, scope.aid)
    mine = [r for r in ratings if r.role == MINE and r.rater == ctx.user.username]
    school = {r.item_id: r for r in ratings if r.role == RaterRole.SELF}
    to_rate = [i for i in scope.bundle.framework.items() if rateable(i, scope.stages)]
    done = len({r.item_id for r in mine} & {i.id for i in to_rate})
    st.progress(done / len(to_rate) if to_rate else 1.0, text=tr("app.schools.progress", done=done, total=len(to_rate)))
    if not scope.caps.rate:
        st.info(tr("app.rate.readonly", status=status_text(scope.assessment.status)), icon=":material/lock:")
    domain = domain_picker(scope, {r.item_id for r in mine})
    items = [i for ind in domain.indicators for i in ind.items if applies(i, scope.stages)]
    known = autosave.remember(MINE, scope.aid, mine, [i.id for i in items])
    files = files_by_item(ctx.services.evidence.list_links(ctx.user, scope.aid))
    judged = ctx.services.evidence.verdicts(ctx.user, scope.aid)
    my_verdicts = {link_id: v[ctx.user.username] for link_id, v in judged.items() if ctx.user.username in v}
    view = lazy_forecast(ctx, scope, items)
    for item in items:
        with st.container(border=True, key=f"rate-item-{item.id.replace('.', '-')}"):
            if isinstance(item, QuantitativeItem):
                computed_item(item, ctx.lang, view)
                continue
            autosave.init_widgets(MINE, scope.aid, item.id, known[item.id])
            item_row(ctx, scope, item, school.get(item.id), files.get(item.id, []), my_verdicts)
    template_ui.template_section(scope, "inspector", scope.caps.rate)


def item_row(
    ctx: AppCtx,
    scope: Scope,
    item: AnyItem,
    school: Rating | None,
    files: list[EvidenceLink],
    my_verdicts: dict[int, bool] | None = None,
) -> None:
    """The school's side and the inspector's side of one item."""
    lang = ctx.lang
    st.markdown(f"**{plain(item_title(item, lang))}**")
    st.caption(item_caption(item, lang))
    left, right = st.columns(2, gap="medium")
    with left:
        school_side(ctx, scope, item, school, files)
        file_verdicts(ctx, scope, item, files, my_verdicts or {})
    with right:
        inspector_side(ctx, scope, item, has_files=bool(files))


def school_side(ctx: AppCtx, scope: Scope, item: AnyItem, school: Rating | None, files: list[EvidenceLink]) -> None:
    """The school's level, account and evidence."""
    label = level_label(item, ctx.lang)
    level = label(school.level) if school else tr("level.unrated")
    st.markdown(f"{tr('app.rate.school_level')}: **{plain(level)}**")
    if school and school.account:
        st.caption(plain(school.account))
    key = f"rate.evidence.{scope.aid}.{item.id}"
    evidence_list(ctx, files, key)
    for link in files:
        evidence_view.preview(ctx, link, key)


def file_verdict_key(aid: int, link_id: int) -> str:
    """The session key of the verdict radio of one evidence file (link)."""
    return f"rate.file_verdict.{aid}.{link_id}"


def file_verdicts(ctx: AppCtx, scope: Scope, item: AnyItem, files: list[EvidenceLink], mine: dict[int, bool]) -> None:
    """The inspector's verdict on each file of the item (accepted or insufficient), saved as it changes."""
    aid, session = scope.aid, state.session()
    labels = {True: tr("app.rate.accepted"), False: tr("app.rate.insufficient")}
    for link in files:
        key = file_verdict_key(aid, link.id)
        if key not in session:
            session[key] = mine.get(link.id)
        st.radio(
            f"{tr('app.rate.verdict')}: {plain(link.filename)}",
            options=VERDICTS,
            format_func=labels.__getitem__,
            index=None,
            key=key,
            on_change=guarded(save_file_verdict),
            args=(ctx, aid, item.id, link.id),
            disabled=not scope.caps.rate,
            horizontal=True,
        )


def save_file_verdict(ctx: AppCtx, aid: int, item_id: str, link_id: int) -> None:
    """Widget callback: store the verdict on one file; an insufficient file marks the item's evidence insufficient."""
    verdict = state.session().get(file_verdict_key(aid, link_id))
    ctx.services.evidence.set_verdict(ctx.user, link_id, verdict)
    if verdict is False:
        state.session()[autosave.widget_key(MINE, "verified", aid, item_id)] = False
        autosave.save_item(ctx, aid, MINE, item_id)


def inspector_side(ctx: AppCtx, scope: Scope, item: AnyItem, has_files: bool) -> None:
    """The inspector's level, evidence verdict and finding, saved as they change."""
    aid, lang, disabled = scope.aid, ctx.lang, not scope.caps.rate
    save = guarded(autosave.save_item)
    args = (ctx, aid, MINE, item.id)
    level_radio(item, lang, autosave.widget_key(MINE, "level", aid, item.id), save, args, disabled)
    verdicts = {True: tr("app.rate.accepted"), False: tr("app.rate.insufficient")}
    st.radio(
        tr("app.rate.verdict") if has_files else tr("app.rate.verdict_none"),
        options=VERDICTS,
        format_func=verdicts.__getitem__,
        key=autosave.widget_key(MINE, "verified", aid, item.id),
        on_change=save,
        args=args,
        disabled=disabled,
        horizontal=True,
    )
    finding_area(autosave.widget_key(MINE, "finding", aid, item.id), save, args, disabled)
    if autosave.draft_of(MINE, aid, item.id):
        st.caption(tr("app.walk.draft"))
    elif autosave.was_saved(MINE, aid, item.id):
        st.caption(f":material/check: {tr('guide.saved')}")


def level_radio(
    item: AnyItem, lang: str, key: str, on_change: Callable[..., None], args: tuple[Any, ...], disabled: bool
) -> None:
    """The inspector's level of an item, each level with its descriptor (visits and calibration rounds alike)."""
    options = level_options(item)
    descriptors = {lv.id: lv.descriptor.get(lang) if lv.descriptor else "" for lv in item.levels}
    st.radio(
        tr("app.rate.my_level"),
        options=options,
        format_func=level_label(item, lang),
        captions=[descriptors.get(o, "") for o in options],
        key=key,
        on_change=on_change,
        args=args,
        disabled=disabled,
    )


def finding_area(key: str, on_change: Callable[..., None], args: tuple[Any, ...], disabled: bool) -> None:
    """The inspector's finding of an item."""
    st.text_area(
        tr("app.rate.finding"), key=key, on_change=on_change, args=args, disabled=disabled, height=80, max_chars=4000
    )


if __name__ == "__main__":
    render()
