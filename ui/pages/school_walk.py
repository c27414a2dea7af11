"""The walk: the self-assessment domain by domain, item by item.

Each item shows its text and clause, the rubric levels with descriptors, the evidence asked for, a
level picker, an account, evidence upload and the attached files.

Every change is saved as it is entered (see `ui.autosave`), with a quiet "saved" cue at the item; when
the assessment was returned, the inspectors' findings (by the inspector's name) are shown beside each
item, and one switch shows only the items with findings, from every domain. The previous and next
domain are one click away; a link from the submit page (`?item=`) opens the item's domain and marks it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import streamlit as st

from criteria.models import QuantitativeItem
from i18n.problems import reading
from store.errors import StoreError
from store.records import EvidenceLink, RaterRole, Rating
from ui import autosave, state
from ui.bureau.uploads import widget_limit
from ui.context import AppCtx, current
from ui.items import ITEM_PARAM, computed_item, domain_picker, files_by_item, item_anchor, lazy_forecast, team_names
from ui.progress import applies
from ui.scope import Scope, own_school
from ui.text import error_lines, plain, tr
from ui.widgets import AnyItem, evidence_list, file_size, guarded, item_caption, item_title, level_label, level_options

SELF = RaterRole.SELF


def render() -> None:
    """Draw one domain of the walk."""
    ctx = current()
    scope = own_school(ctx)
    if scope is None:
        st.info(tr("app.cycle.none"))
        return
    st.title(tr("app.page.walk"))
    if not scope.caps.edit_self:
        st.info(tr("app.readonly"), icon=":material/lock:")
    elif scope.assessment.return_note:
        st.warning(plain(tr("app.home.returned", note=scope.assessment.return_note)), icon=":material/undo:")
    ratings = ctx.services.ratings.list_ratings(ctx.user, scope.aid)
    links = ctx.services.evidence.list_links(ctx.user, scope.aid)
    others = others_by_item(ratings)
    only_findings = bool(others) and st.toggle(
        tr("guide.walk.only_findings", n=len(others)), key=f"walk.findings.{scope.aid}"
    )
    if only_findings:
        items = [i for i in scope.bundle.framework.items() if i.id in others and applies(i, scope.stages)]
    else:
        domain = domain_picker(scope, {r.item_id for r in ratings if r.role == SELF})
        items = [i for ind in domain.indicators for i in ind.items if applies(i, scope.stages)]
    known = autosave.remember(SELF, scope.aid, [r for r in ratings if r.role == SELF], [i.id for i in items])
    files = files_by_item(links)
    view = lazy_forecast(ctx, scope, items)
    names = team_names(ctx, scope.cycle.id, scope.school.id) if others else {}
    linked = st.query_params.get(ITEM_PARAM)
    for item in items:
        with st.container(border=True, key=f"walk-item-{item_anchor(item.id)}"):
            if item.id == linked:
                st.caption(f":material/arrow_downward: {tr('guide.walk.linked')}")
            if isinstance(item, QuantitativeItem):
                computed_item(item, ctx.lang, view)
                continue
            autosave.init_widgets(SELF, scope.aid, item.id, known[item.id])
            item_editor(ctx, scope, item, others.get(item.id, []), files.get(item.id, []), names)


def others_by_item(ratings: Sequence[Rating]) -> dict[str, list[Rating]]:
    """Inspectors' ratings with a finding, by item (a school sees them once the store shows them)."""
    out: dict[str, list[Rating]] = defaultdict(list)
    for r in ratings:
        if r.role != SELF and r.finding:
            out[r.item_id].append(r)
    return out


def item_editor(
    ctx: AppCtx,
    scope: Scope,
    item: AnyItem,
    others: list[Rating],
    files: list[EvidenceLink],
    names: dict[str, str] | None = None,
) -> None:
    """Level, account, evidence and findings of one item."""
    lang, aid, editable = ctx.lang, scope.aid, scope.caps.edit_self
    st.markdown(f"**{plain(item_title(item, lang))}**")
    st.caption(item_caption(item, lang))
    options = level_options(item)
    descriptors = {lv.id: lv.descriptor.get(lang) if lv.descriptor else "" for lv in item.levels}
    save = guarded(autosave.save_item)
    st.radio(
        tr("app.walk.level"),
        options=options,
        format_func=level_label(item, lang),
        captions=[descriptors.get(o, "") for o in options],
        key=autosave.widget_key(SELF, "level", aid, item.id),
        on_change=save,
        args=(ctx, aid, SELF, item.id),
        disabled=not editable,
    )
    evidence_asked(item, lang)
    st.text_area(
        tr("app.walk.account"),
        key=autosave.widget_key(SELF, "account", aid, item.id),
        on_change=save,
        args=(ctx, aid, SELF, item.id),
        disabled=not editable,
        height=80,
        max_chars=4000,
        placeholder=tr("app.walk.account_hint"),
    )
    if autosave.draft_of(SELF, aid, item.id):
        st.caption(tr("app.walk.draft"))
    elif autosave.was_saved(SELF, aid, item.id):
        st.caption(f":material/check: {tr('guide.saved')}")
    findings(others, lang, names or {})
    evidence_box(ctx, scope, item, files, editable)


def evidence_asked(item: AnyItem, lang: str) -> None:
    """The evidence the item asks for."""
    if not item.evidence:
        return
    asked = "；".join(e.title.get(lang) + ("" if e.required else tr("app.evidence.optional")) for e in item.evidence)
    st.caption(f":material/folder_open: {plain(tr('app.evidence.asked'))}: {plain(asked)}")


def findings(others: list[Rating], lang: str, names: dict[str, str] | None = None) -> None:
    """The inspectors' findings on the item, each by the inspector's name (the lead's consensus as the team's)."""
    names = names or {}
    for r in others:
        if r.role == RaterRole.CONSENSUS:
            text = tr("guide.walk.finding", rater=tr("guide.walk.team"), finding=r.finding)
        else:
            rater = names.get(r.rater) or tr("guide.walk.an_inspector")
            text = tr("app.walk.finding", rater=rater, finding=r.finding)
        st.warning(plain(text), icon=":material/rate_review:")


def evidence_box(ctx: AppCtx, scope: Scope, item: AnyItem, files: list[EvidenceLink], editable: bool) -> None:
    """The attached files, and an uploader while the school may edit."""
    key = f"evidence.{scope.aid}.{item.id}"
    evidence_list(ctx, files, key, on_delete=(lambda link_id: unlink(ctx, link_id)) if editable else None)
    if not editable:
        return
    upload_key = f"upload.{scope.aid}.{item.id}.{state.nonce(key)}"
    st.file_uploader(
        tr("app.evidence.upload", max=file_size(int(ctx.settings.evidence_max_mb * 1048576))),
        key=upload_key,
        accept_multiple_files=True,
        on_change=guarded(upload),
        args=(ctx, scope.aid, item.id, upload_key, key),
        help=tr("app.evidence.limits"),
        max_upload_size=widget_limit(ctx.settings.evidence_max_mb),
    )


def upload(ctx: AppCtx, aid: int, item_id: str, upload_key: str, nonce_key: str) -> None:
    """Uploader callback: attach each file (each is checked by the store: size and type by content)."""
    files = state.session().get(upload_key) or []
    state.bump(nonce_key)
    for file in files if isinstance(files, list) else [files]:
        try:
            with reading(file.name, passthrough=(StoreError,)):
                link = ctx.services.evidence.upload(ctx.user, aid, item_id, file.name, file.getvalue())
        except Exception as error:  # one bad file does not stop the others; each gets its message
            for line in error_lines(error):
                state.flash("error", line)
            continue
        state.flash("success", tr("app.evidence.attached", file=link.filename, item=item_id))


def unlink(ctx: AppCtx, link_id: int) -> None:
    """Remove an attached file."""
    ctx.services.evidence.delete_link(ctx.user, link_id)
    state.flash("success", tr("app.evidence.removed"))


if __name__ == "__main__":
    render()
