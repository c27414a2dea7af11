"""Signing in and out.

Log-in against the stored accounts (the store counts failures and locks), the idle timeout, and the
refresh of the signed-in account on every run. A sign-in opens a server-side session (a database
row) and has the browser claim its HttpOnly cookie (`ui.http`); a new browser session (a reload, a
second tab, a restarted server) resumes from that cookie; a sign-out, the idle timeout, a password
change or a disabled account end it.
"""

from __future__ import annotations

import contextlib
from zoneinfo import ZoneInfo

import streamlit as st

from settings import Settings
from store.errors import PermissionDenied, StoreError
from store.records import Cycle, Role, SignIn, User
from store.services import Services
from store.web_sessions import COOKIE
from ui import http, state
from ui.text import error_lines, tr

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def log_in(services: Services) -> None:
    """Callback of the log-in form: check the name and password; the password never stays in the session."""
    session = state.session()
    username = str(session.get(state.LOGIN_USERNAME) or "")
    password = str(session.pop(state.LOGIN_PASSWORD, "") or "")
    try:
        signed = services.accounts.sign_in(username, password)
        opened = services.sessions.open(signed.user)
    except StoreError as error:
        for line in error_lines(error):
            state.flash("error", line)
        return
    state.sign_in(signed.user)
    state.session()[state.SESSION_ID] = opened.id
    state.run_script(http.claim_script(opened.handoff))
    notice(signed, services)


def notice(signed: SignIn, services: Services) -> None:
    """What the user is told after signing in: the last sign-in and the failed attempts since (等保 2.0)."""
    if signed.previous_login_at is None:
        state.flash("info", tr("accounts.signin.first", failures=signed.failures_since))
    else:
        when = signed.previous_login_at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
        state.flash("info", tr("accounts.signin.last", when=when, failures=signed.failures_since))
    if signed.failures_since:
        state.flash("warning", tr("accounts.signin.failures_warning", failures=signed.failures_since))
    if signed.password_expired:
        days = services.ctx.limits.password_policy.max_age_days
        state.flash("warning", tr("accounts.signin.expired", days=days))


def sign_out_here(services: Services | None, idle: bool = False) -> None:
    """End this tab's server-side session and its cookie (audited as a sign-out), and forget the user."""
    who = state.user()
    if services is not None and who is not None:
        with contextlib.suppress(StoreError):  # a busy database must not keep anyone signed in
            services.audit.sign_out(who, idle=idle)
    sid = state.session().get(state.SESSION_ID)
    if services is not None and sid is not None:
        with contextlib.suppress(StoreError):  # a busy database: the idle timeout ends it, the cookie goes below
            services.sessions.end(int(sid))
    state.sign_out()
    state.run_script(http.end_script())


def log_out(services: Services | None = None) -> None:
    """Callback of the log-out button: end the session, forget the user and go to the start page."""
    sign_out_here(services)
    state.session()[state.GO_HOME] = True


def expire_if_idle(settings: Settings, services: Services | None = None) -> None:
    """Sign out a session idle for longer than the configured minutes."""
    if state.user() is not None and state.idle_seconds() > settings.session_idle_minutes * 60:
        sign_out_here(services, idle=True)
        state.flash("info", tr("app.login.idle", minutes=settings.session_idle_minutes))


def cookie() -> str | None:
    """The session cookie the browser sent when this browser session connected."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (AppTest, bare runs)
        return None
    return value if isinstance(value, str) else None


def resume(services: Services) -> User | None:
    """Sign in from the session cookie (a reload, a second tab, a restarted server), if its session holds."""
    value = cookie()
    if not value:
        return None
    resumed = services.sessions.resume(value)
    if resumed is None:
        return None
    state.sign_in(resumed.user)
    state.session()[state.SESSION_ID] = resumed.id
    return resumed.user


def refreshed_user(services: Services) -> User | None:
    """The signed-in account as stored now; a disabled or changed account is signed out with a message."""
    who = state.user() or resume(services)
    if who is None:
        return None
    try:
        fresh = services.accounts.me(who)
        sid = state.session().get(state.SESSION_ID)
        if sid is not None and services.sessions.check(int(sid), fresh) is None:
            raise PermissionDenied("store.action.any", key="store.session_invalid")
    except PermissionDenied as error:
        sign_out_here(services)
        for line in error_lines(error):
            state.flash("warning", line)
        return None
    state.session()[state.USER] = fresh
    return fresh


def leads_in(services: Services, user: User, cycle: Cycle | None) -> bool:
    """Whether an inspector leads a school in the cycle (the lead page is shown only then)."""
    if user.role != Role.INSPECTOR or cycle is None:
        return False
    return any(a.lead for a in services.cycles.assignments(user, cycle.id))
