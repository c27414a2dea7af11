"""Every key this app keeps in `st.session_state`, and typed access to them (one module owns the keys).

Only this session's own things live here: who is signed in, the language, the chosen cycle, unsaved
input copied out of widgets, messages to show after a rerun. Nothing here is shared across users.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from store.records import User

USER = "app.user"
LANG = "app.lang"
LANG_WIDGET = "app.lang_widget"
LAST_ACTIVITY = "app.last_activity"
CYCLE = "app.cycle_id"
CYCLE_WIDGET = "app.cycle_widget"
FLASH = "app.flash"
DRAFTS = "app.drafts"
KNOWN = "app.known"
NONCES = "app.nonces"
GO_HOME = "app.go_home"
CONFIRM = "app.confirm"
CTX = "app.ctx"
IDLE_LIMIT = "app.idle_limit"
SESSION_ID = "app.session_id"
SCRIPTS = "app.scripts"
LOGIN_USERNAME = "login.username"
LOGIN_PASSWORD = "login.password"


def session() -> MutableMapping[str, Any]:
    """The state of this browser session."""
    return st.session_state


def user() -> User | None:
    """The signed-in user, if any."""
    value = session().get(USER)
    return value if isinstance(value, User) else None


def sign_in(who: User) -> None:
    """Remember the signed-in user and start the idle clock."""
    session()[USER] = who
    touch()


def sign_out() -> None:
    """Forget the user and everything kept for them; the language stays."""
    state = session()
    keep = {LANG: state.get(LANG), FLASH: state.get(FLASH, []), SCRIPTS: state.get(SCRIPTS, [])}
    for key in list(state.keys()):
        state.pop(key, None)
    state.update({k: v for k, v in keep.items() if v is not None})


def touch() -> None:
    """Mark activity now (the idle timeout counts from here)."""
    session()[LAST_ACTIVITY] = time.time()


def idle_seconds() -> float:
    """Seconds since the last activity of this session."""
    return time.time() - float(session().get(LAST_ACTIVITY, time.time()))


def expired() -> bool:
    """Whether the signed-in session has been idle past the limit set by the last run (callbacks check it)."""
    limit = session().get(IDLE_LIMIT)
    return user() is not None and limit is not None and idle_seconds() > float(limit)


def lang(default: str = "zh") -> str:
    """The interface language of this session."""
    value = session().get(LANG)
    return value if value in ("zh", "en") else default


def set_lang(value: str) -> None:
    """Switch the interface language."""
    if value in ("zh", "en"):
        session()[LANG] = value


def flash(kind: str, text: str) -> None:
    """Keep a message to show on the next drawing of a page (after a callback or a rerun)."""
    session().setdefault(FLASH, []).append((kind, text))


def take_flashes() -> list[tuple[str, str]]:
    """The kept messages, once."""
    return list(session().pop(FLASH, []))


def bucket(name: str) -> dict[Any, Any]:
    """A dict of this session kept under `name` (drafts, known versions, upload nonces)."""
    return session().setdefault(name, {})


def nonce(key: str) -> int:
    """A counter used in a widget key; bumping it gives the widget a fresh, empty state."""
    return int(bucket(NONCES).get(key, 0))


def bump(key: str) -> None:
    """Give the widget keyed by `key` a fresh state on its next drawing."""
    nonces = bucket(NONCES)
    nonces[key] = int(nonces.get(key, 0)) + 1


def run_script(html: str) -> None:
    """Keep a page snippet (the session cookie's claim or clearing) to send with the next drawing."""
    session().setdefault(SCRIPTS, []).append(html)


def take_scripts() -> list[str]:
    """The kept snippets, once."""
    return list(session().pop(SCRIPTS, []))
