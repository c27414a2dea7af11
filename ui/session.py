"""Signing in and out.

Log-in against the stored accounts (the store counts failures and locks), the idle timeout, and the
refresh of the signed-in account on every run.
"""

from __future__ import annotations

from settings import Settings
from store.errors import PermissionDenied, StoreError
from store.records import Cycle, Role, User
from store.services import Services
from ui import state
from ui.text import error_lines, tr


def log_in(services: Services) -> None:
    """Callback of the log-in form: check the name and password; the password never stays in the session."""
    session = state.session()
    username = str(session.get(state.LOGIN_USERNAME) or "")
    password = str(session.pop(state.LOGIN_PASSWORD, "") or "")
    try:
        who = services.accounts.authenticate(username, password)
    except StoreError as error:
        for line in error_lines(error):
            state.flash("error", line)
        return
    state.sign_in(who)


def log_out(services: Services | None = None) -> None:
    """Callback of the log-out button: forget the user and go to the start page (audited)."""
    who = state.user()
    if services is not None and who is not None:
        services.audit.sign_out(who)
    state.sign_out()
    state.session()[state.GO_HOME] = True


def expire_if_idle(settings: Settings, services: Services | None = None) -> None:
    """Sign out a session idle for longer than the configured minutes (audited)."""
    who = state.user()
    if who is not None and state.idle_seconds() > settings.session_idle_minutes * 60:
        if services is not None:
            services.audit.sign_out(who, idle=True)
        state.sign_out()
        state.flash("info", tr("app.login.idle", minutes=settings.session_idle_minutes))


def refreshed_user(services: Services) -> User | None:
    """The signed-in account as stored now; a disabled or changed account is signed out with a message."""
    who = state.user()
    if who is None:
        return None
    try:
        fresh = services.accounts.me(who)
    except PermissionDenied as error:
        state.sign_out()
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
