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


def domain_picker(scope: Scope, rated: set[str]) -> Domain:
    """Choose the domain to walk (kept in the session), each labelled with its progress."""
    fw, lang = scope.bundle.framework, scope.ctx.lang
    labels = {}
    for d in fw.domains:
        to_rate = [i for ind in d.indicators for i in ind.items if rateable(i, scope.stages)]
        done = sum(i.id in rated for i in to_rate)
        labels[d.id] = f"{d.id} {d.title.get(lang)} ({done}/{len(to_rate)})"
    key, own = f"walk.domain.{scope.aid}", f"walk.domain_kept.{scope.aid}"
    session = state.session()
    session[key] = session.get(own) if session.get(own) in labels else fw.domains[0].id
    st.selectbox(
        tr("app.walk.domain"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=key,
        on_change=lambda: session.__setitem__(own, session[key]),
    )
    return next(d for d in fw.domains if d.id == session[key])


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
