"""Every page of every role in Chinese mode shows no English: the visible text is scanned for Latin words.

Chromium at tablet width (1024 px, where the navigation folds into its overflow button) visits every
page in the menu of a draft school, a finalized school, an inspector who leads, the bureau and the
admin, opens every expander, and collects the text a person sees: text nodes that are laid out and
visible, placeholders of empty inputs, and CSS `content` (our Chinese cover of Streamlit's words).
Icon ligatures (Material Symbols) are not words. A Latin word passes only when the allow-list names it:
codes (CN001, A5.1.2), units, file formats and names, the English switch, the statistic's name.
A finalized school then downloads its inspection report, which names its inspectors.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import PASSWORD, SHOTS, settled, start_app
from docx import Document
from playwright.sync_api import Browser, Page, expect

from sample_data.demo import DEMO_INSPECTORS
from store.records import SYSTEM, CycleStatus, Status
from store.services import Services

pytestmark = pytest.mark.browser
TABLET = {"width": 1024, "height": 768}
WIDE = {"width": 2400, "height": 768}
VISIBLE_TEXT = (Path(__file__).parent / "visible_text.js").read_text(encoding="utf-8")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
ALLOWED_WORDS = {
    "English",  # the language switch
    "MB", "KB",  # units
    "Excel", "Word", "CSV", "PDF", "YAML", "XLSX", "DOCX", "zip", "xlsx", "docx", "csv", "yaml", "pdf",  # formats
    "Krippendorff",  # the name of the agreement statistic (Krippendorff α)
}  # fmt: skip
ALLOWED_PATTERNS = [
    re.compile(r"\b[A-Z]{1,3}\d+(?:\.\d+)*\b"),  # school codes CN001, items and domains A5.1.2, A5
    re.compile(r"\b[A-Za-z0-9_-]+\.(?:csv|xlsx|docx|yaml|yml|zip|pdf|png|jpg)\b"),  # file names
    re.compile(r"\bxinyu(?: [a-z-]+)*"),  # the command line's commands, named as such
    re.compile(r"\b(?:insp|cn)\d+\b|\b(?:admin|bureau)\b"),  # user names (log-in ids, on the account pages)
    re.compile(r"\b[ABCDYN]\b"),  # level letters
    re.compile(r"\bm²|\bm2\b"),  # square metres
    re.compile(r"\b[a-z][a-z0-9_]*(?=（)"),  # a file's column name glossed in Chinese: school_code（学校代码）
]


def latin_words(lines: list[str]) -> dict[str, str]:
    """Latin words outside the allow-list, each with the line it was seen in."""
    found: dict[str, str] = {}
    for line in lines:
        rest = line
        for pattern in ALLOWED_PATTERNS:
            rest = pattern.sub(" ", rest)
        for word in WORD.findall(rest):
            if word not in ALLOWED_WORDS and len(word) > 1:
                found.setdefault(word, line[:120])
    return found


def test_the_allow_list_lets_codes_through_and_catches_english():
    assert latin_words(["CN001 长宁区周家桥小学 · A5.1.2 · 20.0 MB · facts.csv · English · lead（组长）"]) == {}
    assert set(latin_words(["school_code 列"])) == {"school", "code"}  # a code without its Chinese gloss
    assert set(latin_words(["Upload", "200MB per file", "2 more", "Choose options", "Select all"])) == {
        "Upload",
        "MB",
        "per",
        "file",
        "more",
        "Choose",
        "options",
        "Select",
        "all",
    } - {"MB"}


def no_prepare(sv: Services) -> None:
    """The demo as it starts."""


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    yield from start_app(tmp_path / "data", no_prepare)


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    settled(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=20_000)
    settled(page)


def open_page(page: Page, title: str) -> None:
    """Open a page from the top navigation (on a wide screen, where no page is folded away), then back to 1024 px."""
    page.set_viewport_size(WIDE)
    page.wait_for_timeout(200)
    page.get_by_test_id("stTopNavLink").filter(has_text=title).first.click()
    settled(page)
    page.set_viewport_size(TABLET)
    page.wait_for_timeout(300)
    current = page.locator(f"[data-testid='stTopNavLink'][aria-current='page'] [label='{title}']")
    expect(current.first).to_be_attached(timeout=15_000)


def page_titles(page: Page) -> list[str]:
    """The titles of every page in the menu (the folded ones too)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-testid='stTopNavLink'] [label]"))
                 .map(e => e.getAttribute('label'))"""
    )


def overflow_words(page: Page) -> str | None:
    """What the navigation's overflow button says, when the menu is folded (its English text is hidden)."""
    return page.evaluate(
        """() => {
          const p = document.querySelector(".rc-overflow-item-rest [data-testid='stTopNavSection'] p");
          if (!p || !p.checkVisibility()) return null;
          if (parseFloat(getComputedStyle(p).fontSize) !== 0) return p.textContent;
          return getComputedStyle(p, "::after").content.replaceAll('"', "");
        }"""
    )


def scan(page: Page) -> list[str]:
    """The visible text with every expander open, and that of every tab in turn."""
    for summary in page.locator("[data-testid='stExpander'] summary").all():
        if summary.is_visible():
            summary.click()
            settled(page)
    lines = page.evaluate(VISIBLE_TEXT)
    for tab in page.get_by_role("tab").all():
        if tab.is_visible():
            tab.click()
            page.wait_for_timeout(300)
            lines += page.evaluate(VISIBLE_TEXT)
    return lines


def test_every_page_of_every_role_is_chinese(app_url: str, browser: Browser, tmp_path: Path) -> None:
    from settings import Settings
    from store.services import Services as Sv

    sv = Sv.from_settings(Settings(data_dir=tmp_path / "data"))
    cycle = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    final = next(
        a.school_code.lower() for a in sv.assessments.list_assessments(SYSTEM, cycle.id) if a.status == Status.FINALIZED
    )
    sv.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    english: dict[tuple[str, str], dict[str, str]] = {}
    more_seen = False
    for user in ("cn004", final, "insp04", "bureau", "admin"):
        page = browser.new_page(viewport=TABLET, locale="zh-CN")
        try:
            log_in(page, app_url, user)
            titles = page_titles(page)
            assert titles, user
            for title in titles:
                open_page(page, title)
                lines = scan(page)
                if user == "bureau" and title == "全区概览":  # an open multiselect: no "Select all"
                    page.get_by_role("combobox", name="学段").first.click()
                    page.wait_for_timeout(500)
                    lines += page.evaluate(VISIBLE_TEXT)
                    page.keyboard.press("Escape")
                more_seen |= overflow_words(page) == "更多"
                page.screenshot(path=str(SHOTS / f"zh-{user}-{title}.png"))
                found = latin_words(lines)
                if found:
                    english[(user, title)] = found
        finally:
            page.close()
    assert not english, english
    assert more_seen  # the bureau's menu folds at 1024 px, and its overflow button says 更多


def test_the_english_switch_still_shows_streamlit_s_own_words(app_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport=TABLET, locale="zh-CN")
    try:
        log_in(page, app_url, "cn004")
        open_page(page, "逐项自评")
        assert "选择文件" in page.evaluate(VISIBLE_TEXT)
        page.get_by_text("English", exact=True).click()
        settled(page)
        expect(page.get_by_role("heading", name="Item by item")).to_be_visible()
        text = page.evaluate(VISIBLE_TEXT)
        assert "Upload" in text and "选择文件" not in text
        assert any("20MB per file" in line for line in text)  # Streamlit's limit is ours (20 MB)
    finally:
        page.close()


def test_a_finalized_school_downloads_its_inspection_report_with_its_inspectors_named(
    app_url: str, browser: Browser, tmp_path: Path
) -> None:
    from settings import Settings
    from store.services import Services as Sv

    sv = Sv.from_settings(Settings(data_dir=tmp_path / "data"))
    cycle = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    a = next(a for a in sv.assessments.list_assessments(SYSTEM, cycle.id) if a.status == Status.FINALIZED)
    team = {t.inspector_name for t in sv.cycles.team(SYSTEM, cycle.id, a.school_id)}
    sv.close()
    page = browser.new_page(viewport=TABLET, locale="zh-CN")
    try:
        log_in(page, app_url, a.school_code.lower())
        with page.expect_download() as download:
            page.get_by_role("button", name="督导报告（Word）").click()
        text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
        doc = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
        cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        assert a.school_name in text + cells
        assert team and team <= set(DEMO_INSPECTORS.values())
        assert any(name in text + cells for name in team)
        page.screenshot(path=str(SHOTS / "zh-finalized-school-home.png"))
    finally:
        page.close()
