"""What surrounds every page: the district's name and logo, the language switch, the user, cycle and log-out."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from settings import Settings
from ui import session, state
from ui.context import AppCtx
from ui.text import plain, tr

LANGS = ("zh", "en")


def district_name(settings: Settings, lang: str) -> str:
    """The district's name in the language (English falls back to Chinese)."""
    return (settings.district_name_en if lang == "en" else "") or settings.district_name


def page_config(settings: Settings) -> None:
    """Browser tab title and a layout that uses a tablet's whole width."""
    title = f"{district_name(settings, state.lang(settings.lang))} · {tr('app.title')}"
    st.set_page_config(page_title=title, page_icon=":material/psychology:", layout="wide")


def logo(settings: Settings) -> None:
    """The configured logo in the corner, when the file exists."""
    path = settings.logo_path
    if path is not None and Path(path).is_file():
        st.logo(str(path), size="large")


def header(settings: Settings, ctx: AppCtx | None) -> None:
    """One row above every page: district and user on the left, language and log-out on the right.

    No sidebar: on a tablet the page gets the whole width.
    """
    left, lang, out = st.columns([6, 3, 2], vertical_alignment="center")
    who = ""
    if ctx is not None:
        role = tr(f"app.role.{ctx.user.role.value}")
        cycle = tr("app.cycle.current", name=ctx.cycle.name) if ctx.cycle else tr("app.cycle.none")
        who = f"  \n{plain(ctx.user.display_name)} · {role}" + ("" if len(ctx.cycles) > 1 else f" · {plain(cycle)}")
    left.caption(f"{plain(district_name(settings, state.lang()))} · {tr('app.title')}{who}")
    with lang:
        language_switch()
    if ctx is None:
        return
    out.button(
        tr("app.logout"), key="app.logout", on_click=session.log_out, args=(ctx.services,), icon=":material/logout:"
    )
    if len(ctx.cycles) > 1:
        with left:
            cycle_picker(ctx)


def language_switch() -> None:
    """中文 / English, kept in this session."""
    session_state = state.session()
    session_state[state.LANG_WIDGET] = state.lang()
    st.radio(
        tr("app.lang.label"),
        options=LANGS,
        format_func=lambda lang: tr(f"app.lang.{lang}"),
        key=state.LANG_WIDGET,
        horizontal=True,
        label_visibility="collapsed",
        on_change=lambda: state.set_lang(session_state[state.LANG_WIDGET]),
    )


def cycle_picker(ctx: AppCtx) -> None:
    """The cycle worked on (shown when there is more than one)."""
    assert ctx.cycle is not None
    names = {c.id: c.name for c in ctx.cycles}
    session_state = state.session()
    session_state[state.CYCLE_WIDGET] = ctx.cycle.id
    st.selectbox(
        tr("app.cycle.label"),
        options=list(names),
        format_func=names.__getitem__,
        key=state.CYCLE_WIDGET,
        label_visibility="collapsed",
        on_change=lambda: session_state.__setitem__(state.CYCLE, session_state[state.CYCLE_WIDGET]),
        placeholder=tr("app.choose"),
    )
