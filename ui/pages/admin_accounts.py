"""Accounts (admin): every account, accounts in bulk with printed slips, adding one, resets, disabling.

Initial passwords exist only in this browser session, for the slips' download right after the action,
until the admin forgets them (or signs out); they are never shown on the page.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from i18n.problems import InputError, Problem
from store.records import ACCOUNT_ROLES, Role, User
from ui import state
from ui.bureau.uploads import check_size
from ui.context import AppCtx, current
from ui.text import tr
from ui.widgets import guarded

ADD = {f: f"accounts.add.{f}" for f in ("username", "name", "role", "school", "password")}
PICK, PASSWORD = "accounts.pick", "accounts.password"
UPLOAD, SLIPS = "accounts.bulk.file", "accounts.slips"
SLIPS_KEEP_SECONDS = 15 * 60


def render() -> None:
    """Draw the account list and the three forms."""
    ctx = current()
    st.title(tr("app.page.accounts"))
    users = ctx.services.accounts.list_users(ctx.user)
    schools = ctx.services.bulk_accounts.schools(ctx.user)
    slip_downloads(ctx)
    account_table(users)
    bulk_section(ctx)
    add_form(ctx, schools)
    change_form(ctx, users)


def slip_downloads(ctx: AppCtx) -> None:
    """The slips of the last bulk action or reset, to download now (the passwords are never shown)."""
    kept = state.session().get(SLIPS)
    if kept is None:
        return
    made_at, credentials = kept
    if time.time() - made_at > SLIPS_KEEP_SECONDS:
        state.session().pop(SLIPS, None)
        return
    from reports.credential_slips import slips_docx, slips_xlsx

    url, lang = ctx.settings.app_url, state.lang()
    with st.container(border=True):
        st.success(tr("accounts.page.created", count=len(credentials)))
        cols = st.columns(3)
        cols[0].download_button(
            tr("accounts.page.slips_docx"),
            data=slips_docx(credentials, url, lang),
            file_name="账户通知.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key="accounts.slips.docx",
            icon=":material/print:",
        )
        cols[1].download_button(
            tr("accounts.page.slips_xlsx"),
            data=slips_xlsx(credentials, url, lang),
            file_name="账户通知.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="accounts.slips.xlsx",
            icon=":material/table_view:",
        )
        cols[2].button(
            tr("accounts.page.slips_done"),
            key="accounts.slips.done",
            on_click=lambda: state.session().pop(SLIPS, None),
            icon=":material/delete:",
        )


def keep_slips(credentials: list) -> None:  # type: ignore[type-arg]
    """Keep new passwords for the slips' download (this browser session only, for a short while)."""
    state.session()[SLIPS] = (time.time(), list(credentials))


def bulk_section(ctx: AppCtx) -> None:
    """An accounts file, or an account for every school without one."""
    st.subheader(tr("accounts.page.bulk"))
    st.caption(tr("accounts.page.bulk_help"))
    key = f"{UPLOAD}.{state.nonce(UPLOAD)}"
    st.file_uploader(tr("accounts.page.file"), type=["csv", "xlsx"], key=key)
    cols = st.columns(2)
    cols[0].button(
        tr("accounts.page.import"),
        key="accounts.bulk.import",
        on_click=guarded(import_file),
        args=(ctx, key),
        icon=":material/upload_file:",
    )
    cols[1].button(
        tr("accounts.page.for_schools"),
        key="accounts.bulk.schools",
        on_click=guarded(for_schools),
        args=(ctx,),
        icon=":material/school:",
    )


def import_file(ctx: AppCtx, key: str) -> None:
    """Button callback: check the whole file, create every account or none."""
    upload = state.session().get(key)
    if upload is None:
        raise InputError([Problem("accounts.page.choose_file")])
    data = upload.getvalue()
    check_size(data, upload.name, ctx.settings.upload_max_mb)
    made = ctx.services.bulk_accounts.import_accounts(ctx.user, data, file=upload.name)
    state.bump(UPLOAD)
    keep_slips(made)


def for_schools(ctx: AppCtx) -> None:
    """Button callback: an account for every school of the register without one."""
    made = ctx.services.bulk_accounts.for_schools_without_account(ctx.user)
    if not made:
        state.flash("info", tr("accounts.page.none_created"))
        return
    keep_slips(made)


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


def add_form(ctx: AppCtx, schools: list[tuple[int, str, str, bool]]) -> None:
    """A new account; a school account needs its school, picked by name or code."""
    st.subheader(tr("app.accounts.add"))
    with st.form("accounts.add", clear_on_submit=False):
        cols = st.columns(2)
        cols[0].text_input(tr("app.col.username"), key=ADD["username"])
        cols[1].text_input(tr("app.col.name"), key=ADD["name"])
        roles = {r.value: tr(f"app.role.{r.value}") for r in ACCOUNT_ROLES}
        cols[0].selectbox(tr("app.col.role"), options=list(roles), format_func=roles.__getitem__, key=ADD["role"])
        labels = {sid: f"{name}（{code}）" for sid, code, name, _ in schools}
        cols[1].selectbox(
            tr("accounts.page.school"),
            options=list(labels),
            format_func=labels.__getitem__,
            index=None,
            placeholder=tr("accounts.page.choose_school"),
            key=ADD["school"],
        )
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
    cols = st.columns(4)
    cols[0].button(tr("app.accounts.set_password"), key="accounts.set", on_click=guarded(set_password), args=(ctx,))
    cols[1].button(tr("accounts.page.reset"), key="accounts.reset", on_click=guarded(reset), args=(ctx,))
    cols[2].button(tr("app.accounts.disable"), key="accounts.disable", on_click=guarded(set_active), args=(ctx, False))
    cols[3].button(tr("app.accounts.enable"), key="accounts.enable", on_click=guarded(set_active), args=(ctx, True))


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


def reset(ctx: AppCtx) -> None:
    """Button callback: a new random password for the picked account, and its slip to print."""
    credential = ctx.services.bulk_accounts.reset_password(ctx.user, picked())
    keep_slips([credential])
    state.flash("success", tr("accounts.page.reset_done", username=credential.username))


def set_active(ctx: AppCtx, active: bool) -> None:
    """Button callback: disable or enable the picked account."""
    user = ctx.services.accounts.set_active(ctx.user, picked(), active)
    state.flash("success", tr("app.accounts.enabled" if active else "app.accounts.disabled", username=user.username))


if __name__ == "__main__":
    render()
