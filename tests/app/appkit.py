"""Helpers of the app tests: the app under AppTest, log-in, page switches and what the page says."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from store.records import SYSTEM, Cycle, CycleStatus
from store.services import Services

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PASSWORD = "demo-pass-123"
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success")


def new_app() -> AppTest:
    """The app, run once (the log-in page)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    return at.run()


def login(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill and send the log-in form."""
    at.text_input(key="login.username").input(username)
    at.text_input(key="login.password").input(password)
    at.button(key="login.submit").click()
    return at.run()


def signed_in(username: str, password: str = PASSWORD) -> AppTest:
    """A new session signed in as `username`."""
    at = login(new_app(), username, password)
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, page: str, **query: str) -> AppTest:
    """Open a page of the navigation (as the menu does: the URL's parameters are replaced)."""
    at.query_params.clear()
    at.query_params.update(query)
    at.switch_page(f"ui/pages/{page}")
    at.run()
    # AppTest requests the page of the last switch_page on every later run; a browser requests the page it
    # is on, which the app itself may have changed (st.switch_page). Requesting "" means the latter.
    at._page_hash = ""
    return at


def texts(at: AppTest) -> str:
    """Every text the page shows, one per line (to assert on words)."""
    lines: list[str] = []
    for kind in TEXT_ELEMENTS:
        lines += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(line.replace("\\", "") for line in lines)


def messages(at: AppTest, kind: str) -> list[str]:
    """The texts of one kind of message (error, warning, info, success), unescaped."""
    return [str(e.value).replace("\\", "") for e in getattr(at, kind)]


def current_cycle(sv: Services) -> Cycle:
    """The open cycle the app works in (the demo also has last year's, closed)."""
    return next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
