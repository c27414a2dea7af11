"""Facts: the school's counts in one validated form; the items computed from them update at once.

The store checks every fact (students > 0, counts not negative, full-time teachers not more than
staff, ...) and saves nothing when any is wrong: each problem is shown under its field (`ui.fields`)
and once at the top; the values typed stay in the form and in the session, so a page switch loses
nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.problems import InputError
from scoring.facts import FACT_FIELDS, FactField
from ui import fields, state
from ui.context import AppCtx, current
from ui.forecast import of_scope
from ui.scope import Scope, own_school
from ui.text import plain, tr
from ui.widgets import guarded

YES_NO = (1.0, 0.0)


def form_key(aid: int) -> str:
    """The key of the facts form of an assessment (also the key of its field messages)."""
    return f"facts.{aid}"


def fact_key(aid: int, name: str) -> str:
    """The session key of a fact's input."""
    return f"facts.{aid}.{name}"


def render() -> None:
    """Draw the facts form and the computed items."""
    ctx = current()
    scope = own_school(ctx)
    if scope is None:
        st.info(tr("app.cycle.none"))
        return
    st.title(tr("app.page.facts"))
    st.caption(tr("app.facts.intro"))
    if not scope.caps.edit_self:
        st.info(tr("app.readonly"), icon=":material/lock:")
    facts_form(ctx, scope)
    computed_items(ctx, scope)


def facts_form(ctx: AppCtx, scope: Scope) -> None:
    """One input per fact; saved together when the form is sent."""
    aid, editable = scope.aid, scope.caps.edit_self
    init_inputs(scope)
    with st.form(form_key(aid), border=True):
        cols = st.columns(2)
        for n, fact in enumerate(FACT_FIELDS):
            with cols[n % 2]:
                fact_input(fact, fact_key(aid, fact.name), ctx.lang, disabled=not editable)
                fields.show(form_key(aid), fact.name)
        st.form_submit_button(
            tr("app.facts.save"),
            key=f"facts.save.{aid}",
            type="primary",
            disabled=not editable,
            on_click=guarded(save),
            args=(ctx, aid, scope.assessment.version),
            icon=":material/save:",
        )


def init_inputs(scope: Scope) -> None:
    """Start each input from a value typed earlier in this session, else from what is stored."""
    session, drafts = state.session(), state.bucket(state.DRAFTS)
    for fact in FACT_FIELDS:
        key = fact_key(scope.aid, fact.name)
        if key not in session:
            session[key] = drafts.get(key, typed(fact, scope.assessment.facts.get(fact.name)))


def typed(fact: FactField, value: float | None) -> float | int | None:
    """A stored value as the input shows it (whole numbers as int)."""
    if value is None:
        return None
    return int(value) if fact.kind == "int" and float(value).is_integer() else float(value)


def fact_input(fact: FactField, key: str, lang: str, disabled: bool) -> None:
    """The input of one fact."""
    label = fact.zh if lang == "zh" else fact.en
    if fact.kind == "bool":
        names = {1.0: tr("app.yes"), 0.0: tr("app.no")}
        st.selectbox(
            label,
            options=YES_NO,
            format_func=names.__getitem__,
            key=key,
            disabled=disabled,
            index=None,
            placeholder=tr("app.choose"),
        )
    elif fact.kind == "int":
        st.number_input(
            label, step=1, format="%d", key=key, disabled=disabled, value=None, placeholder=tr("guide.type_number")
        )
    else:
        st.number_input(
            label, step=0.5, format="%.1f", key=key, disabled=disabled, value=None, placeholder=tr("guide.type_number")
        )


def save(ctx: AppCtx, aid: int, version: int) -> None:
    """Form callback: save every fact (nothing is saved when one is wrong)."""
    session, drafts = state.session(), state.bucket(state.DRAFTS)
    values = {f.name: session.get(fact_key(aid, f.name)) for f in FACT_FIELDS}
    for name, value in values.items():
        drafts[fact_key(aid, name)] = value
    try:
        ctx.services.assessments.save_facts(ctx.user, aid, values, version)
    except InputError as error:
        fields.keep(form_key(aid), error, fields.field_of_fact, ctx.lang)
        raise
    fields.clear(form_key(aid))
    for name in values:
        drafts.pop(fact_key(aid, name), None)
    state.flash("success", tr("app.facts.saved"))


def computed_items(ctx: AppCtx, scope: Scope) -> None:
    """The items scored from the facts, as stored now."""
    view = of_scope(scope)
    rows = view.computed(ctx.lang)
    st.subheader(tr("app.facts.computed"))
    frame = pd.DataFrame(
        {
            tr("app.col.item"): [f"{c.item_id} {c.title}" for c in rows],
            tr("app.col.metric"): [c.metric for c in rows],
            tr("app.col.value"): ["—" if c.value is None else f"{c.value:.2f}".rstrip("0").rstrip(".") for c in rows],
            tr("app.col.level"): [c.level for c in rows],
            tr("app.col.points"): [f"{c.earned:g} / {c.points:g}" for c in rows],
        }
    )
    narrow = {
        tr(k): st.column_config.Column(width="small") for k in ("app.col.value", "app.col.level", "app.col.points")
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=narrow)
    st.caption(plain(tr("app.facts.computed_note")))


if __name__ == "__main__":
    render()
