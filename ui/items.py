"""Drawing parts shared by the pages that go through a school's items.

The domain picker, items computed from facts, and attached files grouped by item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import streamlit as st

from criteria import Domain
from criteria.models import QuantitativeItem
from store.records import EvidenceLink
from ui import state
from ui.context import AppCtx
from ui.forecast import Forecast, of_scope
from ui.progress import rateable
from ui.scope import Scope
from ui.text import plain, tr
from ui.widgets import AnyItem, item_caption, item_title

ITEM_PARAM = "item"
LINKED = "guide.linked_item"
"""Session key: the `?item=` value already followed (a later domain switch is not undone by the URL)."""


def item_anchor(item_id: str) -> str:
    """The element key of an item's box (`walk-item-A1-1-1`), also its CSS class `st-key-...`."""
    return item_id.replace(".", "-")


def domain_picker(scope: Scope, rated: set[str]) -> Domain:
    """Choose the domain to walk (kept in the session), each labelled with its progress.

    An item named in the URL (`?item=A5.1.2`, the submit page's links) opens its domain once. Below the
    picker, one click goes to the previous or next domain.
    """
    fw, lang = scope.bundle.framework, scope.ctx.lang
    labels = {}
    for d in fw.domains:
        to_rate = [i for ind in d.indicators for i in ind.items if rateable(i, scope.stages)]
        done = sum(i.id in rated for i in to_rate)
        labels[d.id] = f"{d.id} {d.title.get(lang)} ({done}/{len(to_rate)})"
    key, own = f"walk.domain.{scope.aid}", f"walk.domain_kept.{scope.aid}"
    session = state.session()
    asked = linked_item(scope)
    if asked is not None:
        session[own] = next(d.id for d in fw.domains for ind in d.indicators for i in ind.items if i.id == asked)
    session[key] = session.get(own) if session.get(own) in labels else fw.domains[0].id
    st.selectbox(
        tr("app.walk.domain"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=key,
        on_change=lambda: session.__setitem__(own, session[key]),
        placeholder=tr("app.choose"),
    )
    ids = [d.id for d in fw.domains]
    at = ids.index(session[key])
    back, forward = st.columns(2)
    back.button(
        tr("guide.walk.previous"),
        key=f"walk.prev.{scope.aid}",
        disabled=at == 0,
        on_click=session.__setitem__,
        args=(own, ids[max(at - 1, 0)]),
        icon=":material/arrow_back:",
        width="stretch",
    )
    forward.button(
        tr("guide.walk.next", domain=labels[ids[at + 1]]) if at + 1 < len(ids) else tr("guide.walk.last"),
        key=f"walk.next.{scope.aid}",
        disabled=at + 1 >= len(ids),
        on_click=session.__setitem__,
        args=(own, ids[min(at + 1, len(ids) - 1)]),
        icon=":material/arrow_forward:",
        width="stretch",
    )
    return next(d for d in fw.domains if d.id == session[key])


def linked_item(scope: Scope) -> str | None:
    """The item named in the URL (`?item=`), if it is an item of the framework; taken once per link."""
    asked = st.query_params.get(ITEM_PARAM)
    if asked is None:
        return None
    session = state.session()
    if session.get(LINKED) == asked:
        return None
    session[LINKED] = asked
    known = {i.id for i in scope.bundle.framework.items()}
    return asked if asked in known else None


def team_names(ctx: AppCtx, cycle_id: int, school_id: int) -> dict[str, str]:
    """User name → display name of the inspectors assigned to the school in the cycle (lead first)."""
    team = ctx.services.cycles.team(ctx.user, cycle_id, school_id)
    return {a.inspector: a.inspector_name or a.inspector for a in team}


def files_by_item(links: Sequence[EvidenceLink]) -> dict[str, list[EvidenceLink]]:
    """Attached files by item."""
    out: dict[str, list[EvidenceLink]] = defaultdict(list)
    for link in links:
        out[link.item_id].append(link)
    return out


def lazy_forecast(ctx: AppCtx, scope: Scope, items: Sequence[AnyItem]) -> Forecast | None:
    """The self forecast, computed only when the domain has items scored from facts."""
    if not any(isinstance(i, QuantitativeItem) for i in items):
        return None
    return of_scope(scope)


def computed_item(item: QuantitativeItem, lang: str, view: Forecast | None) -> None:
    """An item scored from the facts: its level now, and where to change it."""
    st.markdown(f"**{plain(item_title(item, lang))}**")
    st.caption(item_caption(item, lang))
    level = view.level_of(item.id, lang) if view else "—"
    st.info(tr("app.walk.computed", level=level), icon=":material/calculate:")
    override = view.result.override(view.code, item.id) if view else None
    if override is not None:  # the inspection team's level on site, shown where the user may see it
        st.warning(
            plain(tr("judgement.app.override_current", computed=level, level=override.level, reason=override.reason)),
            icon=":material/edit_note:",
        )
