"""Log-in page: user name and password against the stored accounts; never a password of any account.

The demo accounts' passwords are printed in the terminal that started the app (`ui.services`).

Failures are counted and the account locked by the store; every failure gets the same message.
"""

from __future__ import annotations

import streamlit as st

from ui import session, state
from ui.services import services, settings, store
from ui.shell import district_name
from ui.text import plain, tr


def render() -> None:
    """Draw the log-in form (and, on the very first start, the demo accounts)."""
    conf = settings()
    st.title(tr("app.title"))
    st.caption(plain(district_name(conf, state.lang())))
    with st.form("login", clear_on_submit=False, border=True):
        st.text_input(tr("app.login.username"), key=state.LOGIN_USERNAME, autocomplete="username")
        st.text_input(
            tr("app.login.password"), key=state.LOGIN_PASSWORD, type="password", autocomplete="current-password"
        )
        st.form_submit_button(
            tr("app.login.submit"),
            key="login.submit",
            type="primary",
            on_click=session.log_in,
            args=(services(),),
            icon=":material/login:",
        )
    st.caption(tr("app.login.help", failures=conf.lockout_failures, minutes=conf.lockout_minutes))
    if store().loaded_demo:
        st.info(tr("accounts.login.demo_hint"))


if __name__ == "__main__":
    render()
