"""Log-in page: user name and password against the stored accounts; the demo accounts are shown once.

Failures are counted and the account locked by the store; every failure gets the same message.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.demo import demo_password
from store.records import DemoLoad
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
    demo_accounts(store().take_demo())


def demo_accounts(demo: DemoLoad | None) -> None:
    """The accounts the first start created, shown this once with a warning."""
    if demo is None:
        return
    if demo_password() is not None:
        st.info(tr("store.cli.fixed_password"))
        return
    st.warning(tr("app.demo.once", schools=demo.schools))
    rows = [
        {
            tr("app.col.username"): a.username,
            tr("app.col.role"): tr(f"app.role.{a.role.value}"),
            tr("app.col.name"): a.display_name,
            tr("app.col.password"): a.password,
        }
        for a in demo.accounts
    ]
    with st.expander(tr("app.demo.accounts"), expanded=True):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
