"""A bounded load test speaking Streamlit's own browser protocol (WebSocket + protobuf), no browser needed.

Each simulated browser connects to `/_stcore/stream` through the proxy (keeping nginx's sticky cookie, as a
browser does), runs the entry script, signs in through the login form's widgets, then asks for pages by
their script hash, as clicking the navigation does. A request's time runs from the message sent to the
server's "script finished"; everything the server draws on the way is received and parsed.

Each browser signs in, visits each page once (cold: the figures of a first visit after a change), waits
for the others, then asks for `requests` pages in turn (timed: requests per second and page times).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

PASSWORD = "load test pass 1"
DONE = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY}


class Browser:
    """One browser session over one WebSocket."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookie = ""
        self.widgets: dict[str, str] = {}  # user key → widget id
        self.pages: dict[str, str] = {}  # url path → page script hash

    async def open(self) -> None:
        with urllib.request.urlopen(self.base + "/") as response:  # the page itself, and the sticky cookie
            cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
            response.read()
        self.cookie = "; ".join(cookies)
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(
            url, additional_headers={"Cookie": self.cookie}, subprotocols=["streamlit"], max_size=256 * 1024 * 1024
        )

    async def run(self, page: str = "", states: list | None = None) -> float:
        """Rerun the script (of a page), with widget states; the seconds until it finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = page
        for state in states or []:
            msg.rerun_script.widget_states.widgets.append(state)
        self.drawn: set[str] = set()
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await self.ws.recv()
            if isinstance(raw, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                widget = getattr(element, element.WhichOneof("type") or "", None)
                wid = getattr(widget, "id", "")
                if wid and "-" in wid:
                    self.widgets[wid.rsplit("-", 1)[-1]] = wid
                    self.drawn.add(wid.rsplit("-", 1)[-1])
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "script_finished" and fwd.script_finished in DONE:
                return time.perf_counter() - started

    async def sign_in(self, username: str, password: str) -> float:
        """Fill the login form and submit it; the seconds until the signed-in page finished drawing."""
        await self.run()
        states = []
        for key, value in (("login.username", username), ("login.password", password)):
            s = BackMsg().rerun_script.widget_states.widgets.add()
            s.id, s.string_value = self.widgets[key], value
            states.append(s)
        s = BackMsg().rerun_script.widget_states.widgets.add()
        s.id, s.trigger_value = self.widgets["login.submit"], True
        states.append(s)
        took = await self.run(states=states)
        took += await self.run()  # the app reruns into the role's pages
        return took

    async def close(self) -> None:
        await self.ws.close()


async def client(
    base: str, requests: int, pages: list[str], out: dict, username: str, barrier: asyncio.Barrier
) -> None:
    browser = Browser(base)
    await browser.open()
    out["signins"].append(await browser.sign_in(username, PASSWORD))
    if "login.username" in browser.drawn:  # still on the sign-in page: the figures would measure the wrong thing
        raise AssertionError(f"{username} could not sign in")
    hashes = [h for path, h in browser.pages.items() if path in pages]
    assert len(hashes) == len(pages), sorted(browser.pages)
    for page in hashes:  # the first visit of each page: cold caches (the cycle read and scored once)
        out["cold"].append(await browser.run(page=page))
    await barrier.wait()  # every browser signed in and warm: the timed phase starts together
    out.setdefault("start", time.perf_counter())
    for n in range(requests):
        out["pages"].append(await browser.run(page=hashes[n % len(hashes)]))
    out["end"] = time.perf_counter()
    await browser.close()


def run_load(base: str, clients: int, requests: int, username: str = "bureau") -> dict:
    """`clients` browsers at once, each signing in and asking for `requests` pages; the timings."""
    pages = ["", "cycles", "targets", "exports"]  # url paths of bureau pages (ui/nav.py; "" the dashboard)
    out: dict = {"pages": [], "signins": [], "cold": []}

    async def main() -> None:
        barrier = asyncio.Barrier(clients)
        await asyncio.gather(*(client(base, requests, pages, out, username, barrier) for _ in range(clients)))

    asyncio.run(main())
    out["wall"] = out["end"] - out["start"]  # the timed phase, from the barrier to the last answer
    return out
