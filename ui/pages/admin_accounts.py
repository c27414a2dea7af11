"""Accounts (admin): every account, adding one, setting a password, disabling and enabling."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.problems import InputError, Problem
from store.records import ACCOUNT_ROLES, Role, User
from ui import state
from ui.context import AppCtx, current
from ui.text import tr
from ui.widgets import guarded

ADD = {f: f"accounts.add.{f}" for f in ("username", "name", "role", "school", "password")}
PICK, PASSWORD = "accounts.pick", "accounts.password"


def render() -> None:
    """Draw the account list and the three forms."""
    ctx = current()
    st.title(tr("app.page.accounts"))
    users = ctx.services.accounts.list_users(ctx.user)
    account_table(users)
    add_form(ctx)
    change_form(ctx, users)


def account_table(users: list[User]) -> None:
    """Every account."""
    frame = pd.DataFrame(
        {
            tr("app.col.username"): [u.username for u in users],
            tr("app.col.name"): [u.display_name for u in users],
            tr("app.col.role"): [tr(f"app.role.{u.role.value}") for u in users],
            tr("app.col.active"): [tr("app.yes") if u.active else tr("app.no") for u in users],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", height=320)


def add_form(ctx: AppCtx) -> None:
    """A new account; a school account needs its school id."""
    st.subheader(tr("app.accounts.add"))
    with st.form("accounts.add", clear_on_submit=False):
        cols = st.columns(2)
        cols[0].text_input(tr("app.col.username"), key=ADD["username"])
        cols[1].text_input(tr("app.col.name"), key=ADD["name"])
        roles = {r.value: tr(f"app.role.{r.value}") for r in ACCOUNT_ROLES}
        cols[0].selectbox(tr("app.col.role"), options=list(roles), format_func=roles.__getitem__, key=ADD["role"])
        cols[1].number_input(tr("app.accounts.school_id"), value=None, step=1, key=ADD["school"])
        st.text_input(tr("app.col.password"), type="password", key=ADD["password"])
        st.form_submit_button(
            tr("app.accounts.add_button"), key="accounts.add.send", on_click=guarded(add), args=(ctx,)
        )


def add(ctx: AppCtx) -> None:
    """Form callback: add the account (the store checks name, role, school and password)."""
    s = state.session()
    school = s.get(ADD["school"])
    user = ctx.services.accounts.add_user(
        ctx.user,
        str(s.get(ADD["username"]) or ""),
        Role(s.get(ADD["role"]) or Role.SCHOOL.value),
        str(s.get(ADD["password"]) or ""),
        display_name=str(s.get(ADD["name"]) or ""),
        school_id=int(school) if school is not None else None,
    )
    s.pop(ADD["password"], None)
    state.flash("success", tr("app.accounts.added", username=user.username))


def change_form(ctx: AppCtx, users: list[User]) -> None:
    """Set a password, or disable / enable an account."""
    st.subheader(tr("app.accounts.change"))
    names = {u.id: f"{u.username} · {u.display_name}" for u in users}
    st.selectbox(
        tr("app.col.username"),
        options=list(names),
        format_func=names.__getitem__,
        key=PICK,
        index=None,
        placeholder=tr("app.choose"),
    )
    st.text_input(tr("app.accounts.new_password"), type="password", key=PASSWORD)
    cols = st.columns(3)
    cols[0].button(tr("app.accounts.set_password"), key="accounts.set", on_click=guarded(set_password), args=(ctx,))
    cols[1].button(tr("app.accounts.disable"), key="accounts.disable", on_click=guarded(set_active), args=(ctx, False))
    cols[2].button(tr("app.accounts.enable"), key="accounts.enable", on_click=guarded(set_active), args=(ctx, True))


def picked() -> int:
    """The account picked in the list, or a message asking to pick one."""
    value = state.session().get(PICK)
    if value is None:
        raise InputError([Problem("app.accounts.pick_first")])
    return int(value)


def set_password(ctx: AppCtx) -> None:
    """Button callback: set the picked account's password (it must be changed at the next log-in)."""
    s = state.session()
    user = ctx.services.accounts.set_password(ctx.user, picked(), str(s.pop(PASSWORD, "") or ""))
    state.flash("success", tr("app.accounts.password_set", username=user.username))


def set_active(ctx: AppCtx, active: bool) -> None:
    """Button callback: disable or enable the picked account."""
    user = ctx.services.accounts.set_active(ctx.user, picked(), active)
    state.flash("success", tr("app.accounts.enabled" if active else "app.accounts.disabled", username=user.username))


if __name__ == "__main__":
    render()
