"""Helpers of the browser test: starting the app as README says, and the Chromium options."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from playwright.sync_api import Page, expect

from store.services import Services

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-pass-123"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def png(size: int = 64, rgb: tuple[int, int, int] = (31, 111, 92)) -> bytes:
    """A plain square PNG (a stand-in for a district's logo)."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll Streamlit's health endpoint until it answers ok."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


def start_app(data_dir: Path, prepare: Callable[[Services], None], **env_extra: str) -> Iterator[str]:
    """Load the demo into `data_dir`, let `prepare` change it, then run `streamlit run app.py` on a free port."""
    from settings import Settings
    from store.bootstrap import open_store
    from store.demo import DEMO_PASSWORD_ENV

    env = {**os.environ, "XINYU_DATA_DIR": str(data_dir), DEMO_PASSWORD_ENV: PASSWORD, **env_extra}
    env.pop("DATABASE_URL", None)
    saved = os.environ.get(DEMO_PASSWORD_ENV)
    os.environ[DEMO_PASSWORD_ENV] = PASSWORD
    try:
        opened = open_store(Settings(data_dir=data_dir, load_demo=True))
    finally:
        os.environ.pop(DEMO_PASSWORD_ENV) if saved is None else os.environ.__setitem__(DEMO_PASSWORD_ENV, saved)
    prepare(opened.services)
    opened.services.close()
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    log = (data_dir / "streamlit.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def settled(page: Page) -> None:
    """Wait until the script run ended and nothing is loading."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
