"""Fixtures of the browser test: Debian's Chromium and the screenshot folder.

Chromium is never downloaded: without /usr/bin/chromium the test fails in CI (env CI set) and is
skipped elsewhere. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit import need

sys.path.insert(0, str(Path(__file__).parent))  # browserkit beside this file (tests run in importlib mode)
from browserkit import CHROMIUM, CHROMIUM_ARGS, SHOTS
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium (installed by .ci/run with apt-get; never downloaded)."""
    need(CHROMIUM.is_file(), f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    return CHROMIUM


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """The folder of this test file's screenshots (emptied first; one folder a file, so that test files
    running at once on several workers never empty each other's)."""
    folder = SHOTS / request.path.stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def browser(chromium_path: Path) -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield b
        b.close()
