"""The app's two HTTP routes beside Streamlit's own: they set and clear the HttpOnly session cookie.

A page cannot set an HttpOnly cookie (its script runs on the server, over a WebSocket). After a
sign-in, the page asks the browser to POST the one-time hand-off code to `/xinyu/session/claim`;
the answer sets the cookie (HttpOnly, SameSite, Secure behind TLS: settings). `/xinyu/session/end`
ends the session the cookie names and clears it. Both need the header `X-Xinyu-Session: 1`, which a
cross-site form cannot send (and CORS is off), and both work on any app server: the session is a
database row, not process state. Served by `st.App` (see app.py) on Streamlit's own server.
"""

from __future__ import annotations

import json
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from settings import get_settings
from store.bootstrap import open_services
from store.services import Services
from store.web_sessions import COOKIE

HEADER = "x-xinyu-session"
CLAIM, END = "/xinyu/session/claim", "/xinyu/session/end"
_services: list[Services] = []
_lock = threading.Lock()


def base_path() -> str:
    """Streamlit's server.baseUrlPath as a prefix ('' or '/something')."""
    try:
        from streamlit import config

        base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # outside a Streamlit server (tests)
        base = ""
    return f"/{base}" if base else ""


def services() -> Services:
    """The service layer of the routes (its own engine; the same database as the pages)."""
    with _lock:
        if not _services:
            _services.append(open_services(get_settings()))
        return _services[0]


def _cookie_args() -> dict[str, object]:
    conf = get_settings()
    return {
        "key": COOKIE,
        "path": base_path() or "/",
        "httponly": True,
        "samesite": conf.cookie_samesite,
        "secure": conf.cookie_secure,
    }


async def claim(request: Request) -> Response:
    """Exchange a hand-off code for the session cookie."""
    if request.headers.get(HEADER) != "1":
        return JSONResponse({"ok": False}, status_code=403)
    try:
        code = str(json.loads(await request.body() or b"{}").get("code") or "")
    except (ValueError, AttributeError):
        code = ""
    value = await run_in_threadpool(services().sessions.claim, code)
    if value is None:
        return JSONResponse({"ok": False}, status_code=400)
    response = JSONResponse({"ok": True})
    response.set_cookie(value=value, **_cookie_args())  # type: ignore[arg-type]
    response.headers["Cache-Control"] = "no-store"
    return response


async def end(request: Request) -> Response:
    """End the session the cookie names, and clear the cookie."""
    if request.headers.get(HEADER) != "1":
        return JSONResponse({"ok": False}, status_code=403)
    await run_in_threadpool(services().sessions.end_cookie, request.cookies.get(COOKIE))
    response = JSONResponse({"ok": True})
    args = _cookie_args()
    response.delete_cookie(
        COOKIE, path=str(args["path"]), secure=bool(args["secure"]), httponly=True, samesite=str(args["samesite"])
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Route]:
    """The routes to serve beside Streamlit's."""
    base = base_path()
    return [Route(base + CLAIM, claim, methods=["POST"]), Route(base + END, end, methods=["POST"])]


def claim_script(code: str) -> str:
    """The page snippet that makes the browser claim its cookie (the code is URL-safe base64 only)."""
    safe = "".join(c for c in code if c.isalnum() or c in "-_")
    return _script(CLAIM, json.dumps({"code": safe}))


def end_script() -> str:
    """The page snippet that ends the cookie's session and clears it."""
    return _script(END, "{}")


def _script(path: str, body: str) -> str:
    url = json.dumps(base_path() + path)
    return (
        "<script>fetch(" + url + ", {method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'application/json', 'X-Xinyu-Session': '1'}, body: " + json.dumps(body) + "})"
        ".catch(() => {});</script>"
    )
