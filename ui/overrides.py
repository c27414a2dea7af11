"""The lead's small control to override a computed item on site, with a required reason.

The page only draws and forwards: the service checks that the user leads the school's team, that the
item is computed, the level is one of its levels and the reason is given, and audits the change.
"""

from __future__ import annotations

import streamlit as st

from criteria.models import QuantitativeItem
from ui import state
from ui.context import AppCtx
from ui.forecast import of_scope
from ui.progress import applies
from ui.scope import Scope
from ui.text import plain, tr
from ui.widgets import guarded, item_title, level_label


def key(scope: Scope, name: str) -> str:
    """The widget key of one part of the control for this assessment."""
    return f"override.{name}.{scope.aid}"


def override_editor(ctx: AppCtx, scope: Scope) -> None:
    """Pick a computed item, its level on site and the reason; withdraw an override already set."""
    items = [i for i in scope.bundle.framework.items() if isinstance(i, QuantitativeItem) and applies(i, scope.stages)]
    if not items:
        return
    st.subheader(tr("judgement.app.override"))
    st.caption(tr("judgement.app.override_help"))
    view = of_scope(scope, "inspection")
    current = {o.item_id: o for o in ctx.services.overrides.list_overrides(ctx.user, scope.aid)}
    by_id = {i.id: i for i in items}
    chosen = st.selectbox(
        tr("judgement.app.override_item"),
        options=list(by_id),
        format_func=lambda item_id: item_title(by_id[item_id], ctx.lang),
        key=key(scope, "item"),
        placeholder=tr("app.choose"),
    )
    item = by_id[chosen]
    computed = view.result.computed
    q = view.result.compiled.quantitative.index(view.result.compiled.item_position[item.id])
    code = int(computed[view.row, q]) if computed is not None else -1
    facts_level = item.levels[code].id if code >= 0 else tr("judgement.override.none_computed")
    if item.id in current:
        o = current[item.id]
        st.info(plain(tr("judgement.app.override_current", computed=facts_level, level=o.level, reason=o.reason)))
    else:
        st.caption(plain(tr("judgement.app.override_computed", computed=facts_level)))
    label = level_label(item, ctx.lang)
    with st.form(key(scope, "form")):
        st.selectbox(
            tr("judgement.app.override_level"),
            options=[lv.id for lv in item.levels],
            format_func=label,
            key=key(scope, "level"),
            placeholder=tr("app.choose"),
        )
        st.text_area(tr("judgement.app.override_reason"), key=key(scope, "reason"), max_chars=2000)
        st.form_submit_button(
            tr("judgement.app.override_save"),
            key=key(scope, "save"),
            on_click=guarded(save_override),
            args=(ctx, scope.aid, item.id),
            icon=":material/edit_note:",
        )
    if item.id in current:
        st.button(
            tr("judgement.app.override_clear"),
            key=key(scope, "clear"),
            on_click=guarded(clear_override),
            args=(ctx, scope.aid, item.id),
            icon=":material/undo:",
        )


def save_override(ctx: AppCtx, aid: int, item_id: str) -> None:
    """Form callback: store the override (the service refuses a missing reason with a message)."""
    values = state.session()
    level = str(values.get(f"override.level.{aid}") or "")
    reason = str(values.get(f"override.reason.{aid}") or "")
    ctx.services.overrides.set(ctx.user, aid, item_id, level, reason)
    state.flash("success", tr("judgement.app.override_saved"))


def clear_override(ctx: AppCtx, aid: int, item_id: str) -> None:
    """Button callback: withdraw the override."""
    ctx.services.overrides.clear(ctx.user, aid, item_id)
    state.flash("success", tr("judgement.app.override_cleared"))
