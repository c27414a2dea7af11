"""Every bureau chart at 1, 2, 7, 40 and 2,000 schools, drawn by Chromium: each is tall enough to read.

The gallery page (tests/bureau/chart_gallery.py) draws the same frames as the spec tests
(tests/bureau/test_chart_sizes.py); each chart's screenshot goes to test-artifacts/charts/ to be looked
at. The check here is what the spec cannot show: the drawn chart has a real height (the heatmap once
collapsed to a 1-px line) and a visible canvas.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import CHROMIUM_ARGS, ROOT, free_port, wait_healthy
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(ROOT / "tests" / "bureau"))
from chartkit import SIZES, frames, inspectors

pytestmark = pytest.mark.browser
CHART_SHOTS = ROOT / "test-artifacts" / "charts"
VIEWPORT = {"width": 1024, "height": 900}
MIN_HEIGHT = 60
"""The least height in CSS pixels of any drawn chart (a one-row bullet is short by nature)."""


def least_height(name: str, n: int) -> int:
    """What the chart must at least measure: every named row its full step (heatmap 24 px, bars 28 px)."""
    if name == "heatmap":
        return 24 * n if n <= 60 else 400
    if name == "bias":
        k = inspectors(n)
        return 28 * k if k <= 60 else 16 * k
    if name in ("tiers", "grouped", "trend_one_cycle", "trend_two_cycles"):
        return 260
    return MIN_HEIGHT


@pytest.fixture(scope="module")
def gallery_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "tests/bureau/chart_gallery.py",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    log = (tmp_path_factory.mktemp("gallery") / "streamlit.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield b
        b.close()


def drawn(page: Page, name: str) -> dict[str, float]:
    """The chart's drawn box once Vega has rendered it."""
    box = page.locator(f".st-key-chart-{name}")
    graphic = box.locator("canvas, svg.marks").first
    graphic.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(300)
    size = graphic.bounding_box()
    assert size is not None
    return size


@pytest.mark.parametrize("n", SIZES)
def test_every_chart_is_drawn_at_a_readable_size(gallery_url: str, browser: Browser, n: int) -> None:
    CHART_SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    try:
        for name in frames(n):
            page.goto(f"{gallery_url}/?n={n}&chart={name}")
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
            size = drawn(page, name)
            bottom = int(size["y"] + size["height"] + 100)
            if bottom > VIEWPORT["height"]:  # a tall chart: a taller window, so that all of it is painted
                page.set_viewport_size({"width": VIEWPORT["width"], "height": bottom})
                page.wait_for_timeout(800)
            page.locator(f".st-key-chart-{name}").screenshot(path=str(CHART_SHOTS / f"{name}-{n:04d}.png"))
            page.set_viewport_size(VIEWPORT)
            assert size["height"] >= least_height(name, n), (name, n, size)
            assert size["width"] >= 300, (name, n, size)
    finally:
        page.close()
