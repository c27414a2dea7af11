"""My account: change one's own password (required at the first log-in with a handed-out password)."""

from __future__ import annotations

import streamlit as st

from i18n.problems import InputError, Problem
from ui import state
from ui.context import AppCtx, current
from ui.text import tr
from ui.widgets import guarded

OLD, NEW, AGAIN = "me.old", "me.new", "me.again"


def render() -> None:
    """Draw the password form."""
    ctx = current()
    st.title(tr("app.page.account"))
    st.markdown(f"{tr('app.col.username')}: **{ctx.user.username}** · {tr(f'app.role.{ctx.user.role.value}')}")
    if ctx.user.must_change_password:
        st.warning(tr("app.account.must_change"), icon=":material/key:")
    with st.form("me.password", clear_on_submit=True):
        st.text_input(tr("app.account.old"), type="password", key=OLD, autocomplete="current-password")
        st.text_input(tr("app.account.new"), type="password", key=NEW, autocomplete="new-password")
        st.text_input(tr("app.account.again"), type="password", key=AGAIN, autocomplete="new-password")
        st.form_submit_button(
            tr("app.account.change"), key="me.change", type="primary", on_click=guarded(change), args=(ctx,)
        )


def change(ctx: AppCtx) -> None:
    """Form callback: change the password (the store checks the old one and the rules)."""
    session = state.session()
    old, new, again = (str(session.get(k) or "") for k in (OLD, NEW, AGAIN))
    if new != again:
        raise InputError([Problem("app.account.mismatch")])
    changed = ctx.services.accounts.change_own_password(ctx.user, old, new)
    state.session()[state.USER] = changed
    sid = state.session().get(state.SESSION_ID)
    if sid is not None:  # this tab's session goes on; every other session of the account has ended
        ctx.services.sessions.follow(int(sid), changed)
    state.flash("success", tr("app.account.changed"))


if __name__ == "__main__":
    render()
