"""`st.navigation` from the navigation table: the user's pages in the menu, every other known URL hidden.

A URL of a page the user may not use (a bookmark, a shared link, a typed address) opens a hidden
stand-in that says so in the user's language; signed out, every known URL opens the log-in page,
which then shows the requested page if the account may use it.
"""

from __future__ import annotations

import functools

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui import nav, state
from ui.pages import login
from ui.text import plain, tr
from ui.widgets import show_error


def navigation(visible: list[nav.PageSpec], signed_in: bool) -> StreamlitPage:
    """Register the pages for this run and return the one to run.

    One flat menu in the top bar (a tablet's top bar has no room for section menus); after a log-out,
    the home page of the new state.
    """
    pages: list[StreamlitPage] = []
    for n, spec in enumerate(visible):
        pages.append(st.Page(spec.path, title=tr(spec.title), icon=spec.icon, url_path=spec.key, default=n == 0))
    home = pages[0]
    stand_in = _denied if signed_in else _login
    pages += [
        st.Page(
            functools.partial(_go_home if signed_in and spec is nav.LOGIN else stand_in, spec),
            title=tr(spec.title),
            url_path=spec.key,
            visibility="hidden",
        )
        for spec in nav.hidden_for(visible)
    ]
    current = st.navigation(pages, position="top")
    if state.session().pop(state.GO_HOME, False) and current is not home:
        st.switch_page(home)
    return current


def run(page: StreamlitPage) -> None:
    """Run the page; any failure is shown as words in the user's language, never as a stack trace."""
    try:
        page.run()
    except Exception as error:  # Streamlit's reruns and stops are BaseException and pass through
        show_error(error)


def _denied(spec: nav.PageSpec) -> None:
    """The stand-in of a page this user may not use."""
    st.warning(plain(tr("app.denied.page", page=tr(spec.title))), icon=":material/block:")
    if st.button(tr("app.denied.home"), key="denied.home", icon=":material/home:"):
        state.session()[state.GO_HOME] = True
        st.rerun()


def _go_home(spec: nav.PageSpec) -> None:
    """The log-in URL while signed in: go to the home page."""
    state.session()[state.GO_HOME] = True
    st.rerun()


def _login(spec: nav.PageSpec) -> None:
    """Signed out, every known URL shows the log-in page."""
    login.render()
