"""Sessions and accounts in a real browser: a reload and a second tab stay signed in; a sign-out and a password
change end them; a restarted server keeps the user signed in; the first page of a fresh install shows no
password; the admin imports accounts and the printed slip reads back.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browserkit import PASSWORD, ROOT, free_port, settled, start_app, wait_healthy
from playwright.sync_api import Browser, Page, expect

from settings import Settings
from store.bootstrap import open_services
from store.records import SYSTEM
from store.web_sessions import COOKIE

pytestmark = pytest.mark.browser


def signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=20_000)


def signed_out(page: Page) -> None:
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    signed_in(page)
    settled(page)
    for _ in range(100):  # the page has the browser claim its session cookie
        if _cookie_set(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie after signing in")


def _cookie_set(page: Page) -> bool:
    return any(c["name"] == COOKIE for c in page.context.cookies())


def test_reload_and_second_tab_stay_signed_in_sign_out_and_password_change_end_them(
    browser: Browser, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    gen = start_app(data, lambda sv: None)
    url = next(gen)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url)
        settled(page)
        log_in(page, "cn004")
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie").find(COOKIE) == -1  # scripts cannot read it

        page.reload()
        settled(page)
        signed_in(page)  # F5 keeps the user signed in

        second = context.new_page()
        second.goto(url)
        settled(second)
        signed_in(second)  # so does a second tab

        page.get_by_role("button", name="退出登录").click()
        settled(page)
        signed_out(page)
        second.reload()
        settled(second)
        signed_out(second)  # the sign-out ended the session of both tabs

        log_in(page, "cn004")
        sv = open_services(Settings(data_dir=data))
        try:
            me = sv.accounts.by_username(SYSTEM, "cn004")
            sv.accounts.set_password(SYSTEM, me.id, "Reset by admin 9", must_change=False)
        finally:
            sv.close()
        page.reload()
        settled(page)
        signed_out(page)  # a password change ends every session at once
        context.close()
    finally:
        gen.close()


def test_a_restarted_server_keeps_the_user_signed_in(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    gen = start_app(data, lambda sv: None)
    url = next(gen)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url)
        settled(page)
        log_in(page, "bureau")
    finally:
        gen.close()  # the server stops
    port = url.rsplit(":", 1)[1]
    with _serve(data, port, os.environ | {"XINYU_DEMO_PASSWORD": PASSWORD}):
        page.goto(url)
        settled(page)
        signed_in(page)
    context.close()


@contextmanager
def _serve(data: Path, port: str, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.port", port, "--server.address", "127.0.0.1",
    ]  # fmt: skip
    env = {**env, "XINYU_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    with (data / "streamlit-2.log").open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", server)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_the_first_page_of_a_fresh_install_shows_no_password(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XINYU_DEMO_PASSWORD"}
    port = str(free_port())
    with _serve(data, port, env):
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        settled(page)
        expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
        terminal = (data / "streamlit-2.log").read_text(encoding="utf-8", errors="replace")
        passwords = re.findall(r"^admin\tadmin\t[^\t]*\t(\S+)$", terminal, re.MULTILINE)
        passwords += re.findall(r"^cn001\tschool\t[^\t]*\t(\S+)$", terminal, re.MULTILINE)
        assert len(passwords) == 2, "the demo passwords are printed in the terminal that started the app"
        shown = page.content() + page.inner_text("body")
        for password in passwords:
            assert password not in shown
        page.reload()
        settled(page)
        assert not any(p in page.content() for p in passwords)
        assert "终端" in page.inner_text("body")  # the page says where the passwords are


def test_the_admin_imports_accounts_and_prints_the_slips(browser: Browser, tmp_path: Path) -> None:
    from docx import Document

    data = tmp_path / "data"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("username,display_name,role,school_code\nzhao01,赵督学,督学,\n", encoding="utf-8")
    gen = start_app(data, lambda sv: None, XINYU_APP_URL="https://xinyu.example.cn")
    url = next(gen)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(url)
        settled(page)
        log_in(page, "admin")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(accounts))
        settled(page)
        page.get_by_role("button", name="导入并生成账户通知").click()
        settled(page)
        expect(page.get_by_text("已创建 1 个账户")).to_be_visible(timeout=20_000)
        with page.expect_download() as download:
            page.get_by_role("button", name="下载账户通知（Word）").click()
        doc = Document(download.value.path())
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        assert "zhao01" in cells and "https://xinyu.example.cn" in cells
        password = cells[cells.index("初始密码") + 1]
        assert password not in page.content(), "the password is on the slip, never on the page"
        page.get_by_role("button", name="已下载，清除密码").click()
        settled(page)
        expect(page.get_by_role("button", name="下载账户通知（Word）")).to_have_count(0)
        other = browser.new_page()
        other.goto(url)
        settled(other)
        log_in(other, "zhao01", password)
        expect(other.get_by_text("请先修改初始密码").first).to_be_visible()  # the slip's password, to be changed
    finally:
        gen.close()


def test_another_site_gets_no_cross_origin_access(tmp_path: Path) -> None:
    """CORS is closed (等保 2.0): a request from another origin gets no Access-Control-Allow-Origin header."""
    import urllib.request

    gen = start_app(tmp_path / "data", lambda sv: None)
    url = next(gen)
    try:
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Origin": "http://elsewhere.example"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            allowed = answer.headers.get("Access-Control-Allow-Origin")
        assert answer.status == 200 and allowed in (None, url), allowed
    finally:
        gen.close()
