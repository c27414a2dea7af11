"""The whole round in a real browser: a school fills facts and a domain, attaches evidence and submits;
an inspector rates; the lead inspector finalizes. Screenshots of each step go to test-artifacts/browser/.

To keep the round short, the fixture first rates (through the service layer, as the school and as one
inspector would) every item except domain A5 of the school and one item of the inspector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import PASSWORD, png, settled, start_app
from playwright.sync_api import Browser, Locator, Page, expect

from criteria.models import QuantitativeItem
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit
from store.services import Services

pytestmark = pytest.mark.browser
SCHOOL_LEFT = {"A5.1.2", "A5.2.1", "A5.2.2", "A5.2.3"}  # the domain the school walks in the browser
INSPECTOR_LEFT = "A1.1.1"  # the item the inspector rates in the browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TABLET = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}


def prefill(sv: Services) -> None:
    """Rate CN004's items outside domain A5 as the school, and all but one item as inspector insp07."""
    cycle = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    school = sv.schools.by_code(SYSTEM, "CN004")
    a = sv.assessments.find(SYSTEM, cycle.id, school.id)
    fw = sv.frameworks.for_cycle(SYSTEM, cycle.id)
    items = [i for i in fw.items() if set(i.applies_to) & set(school.stages) and not isinstance(i, QuantitativeItem)]
    rated = {r.item_id for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.role == RaterRole.SELF}
    me = sv.accounts.authenticate("cn004", PASSWORD)
    edits = [
        RatingEdit(i.id, i.levels[1].id, "已落实。") for i in items if i.id not in rated and i.id not in SCHOOL_LEFT
    ]
    sv.ratings.save(me, a.id, RaterRole.SELF, edits)
    inspector = sv.accounts.authenticate("insp07", PASSWORD)
    before = {r.item_id: r.version for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.rater == "insp07"}
    edits = [
        RatingEdit(i.id, None if i.id == INSPECTOR_LEFT else i.levels[0].id, expected_version=before.get(i.id))
        for i in items
        if i.id != INSPECTOR_LEFT or i.id in before
    ]
    sv.ratings.save(inspector, a.id, RaterRole.INSPECTOR, edits)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    yield from start_app(tmp_path / "data", prefill, XINYU_LOGO_PATH=str(logo))


def shot(page: Page, shots: Path, name: str) -> None:
    settled(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def nav(page: Page, title: str) -> None:
    """Open a page from the top navigation (a click during a running rerun may be dropped: click again)."""
    link = page.get_by_test_id("stTopNavLink").filter(has_text=title).first
    heading = page.get_by_role("heading", name=title, exact=True)
    for attempt in range(3):
        link.click()
        settled(page)
        try:
            expect(heading).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def pick(page: Page, option: Locator) -> None:
    """Click a radio option until it is checked (a click during a running rerun may be dropped)."""
    for attempt in range(3):
        option.click()
        settled(page)
        try:
            expect(option.get_by_role("radio")).to_be_checked(timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def log_in(page: Page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=20_000)
    settled(page)


def log_out(page: Page) -> None:
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():  # a narrow screen starts with the sidebar folded away
        expand.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)
    expect(page.get_by_label("用户名")).to_be_visible()


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a select box (opening it again when a click during a rerun was dropped)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    wanted = page.get_by_role("option", name=re.compile(re.escape(option))).first
    for attempt in range(3):
        box.click()
        try:
            expect(wanted).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            settled(page)
    wanted.click()
    settled(page)
    expect(box).to_have_value(re.compile(re.escape(option)))


def said(page: Page, text: str) -> Locator:
    """A message box on the page (not its toast) containing `text`."""
    return page.locator("[data-testid^='stAlertContent']").filter(has_text=text).first


def item(page: Page, prefix: str, item_id: str):
    return page.locator(f".st-key-{prefix}-item-{item_id.replace('.', '-')}")


def test_school_submits_inspector_rates_lead_finalizes(app_url: str, browser: Browser, shots: Path, tmp_path: Path):
    page = browser.new_page(viewport=TABLET, locale="zh-CN")
    try:
        round_trip(page, app_url, shots, tmp_path)
    except BaseException:
        page.screenshot(path=str(shots / "failure.png"))
        raise
    finally:
        page.close()


def round_trip(page: Page, app_url: str, shots: Path, tmp_path: Path) -> None:
    """The steps of the round, each with its screenshot."""
    page.goto(app_url)
    settled(page)
    expect(page.get_by_role("heading", name="学校心理健康教育工作评估")).to_be_visible()
    expect(page.get_by_test_id("stHeaderLogo")).to_be_visible()  # the configured logo
    shot(page, shots, "01-login")

    log_in(page, "cn004")
    expect(page.get_by_role("heading", name="长宁区周家桥小学")).to_be_visible()
    shot(page, shots, "02-school-home")

    nav(page, "基本数据")
    page.get_by_label("在校学生数").fill("0")
    page.get_by_role("button", name="保存基本数据").click()
    expect(said(page, "在校学生数: 应为 1 到")).to_be_visible()
    shot(page, shots, "03-facts-refused")
    page.get_by_label("在校学生数").fill("650")
    page.get_by_role("button", name="保存基本数据").click()
    expect(said(page, "基本数据已保存。")).to_be_visible()
    shot(page, shots, "04-facts-saved")

    nav(page, "逐项自评")
    choose(page, "评价领域", "A5")
    for item_id in sorted(SCHOOL_LEFT):
        pick(page, item(page, "walk", item_id).locator("[role='radiogroup'] label").first)
    account = item(page, "walk", "A5.1.2").get_by_label("工作情况说明")
    account.fill("测评数据由心理教师专人管理，纸质材料专柜上锁。")
    account.press("Tab")
    settled(page)
    evidence = tmp_path / "测评制度.pdf"
    evidence.write_bytes(PDF)
    item(page, "walk", "A5.1.2").locator("input[type='file']").set_input_files(str(evidence))
    expect(said(page, "已上传“测评制度.pdf”（项目 A5.1.2）。")).to_be_visible()
    expect(page.get_by_role("combobox", name="评价领域", exact=True)).to_have_value(re.compile(r"\(4/4\)$"))
    shot(page, shots, "05-walk-domain-A5")

    nav(page, "提交")
    expect(said(page, "可以提交")).to_be_visible()
    page.get_by_role("button", name="提交自评…").click()
    settled(page)
    expect(said(page, "确定提交")).to_be_visible()  # submitting asks first, as finalizing does
    page.get_by_role("button", name="提交自评", exact=True).click()
    expect(said(page, "自评已提交，现为只读。")).to_be_visible()
    shot(page, shots, "06-submitted")
    log_out(page)

    log_in(page, "insp07")
    expect(page.get_by_role("heading", name="我的学校")).to_be_visible()
    shot(page, shots, "07-inspector-schools")
    page.locator(".st-key-school-row-CN004").get_by_role("link", name="评分").click()
    settled(page)
    mine = item(page, "rate", INSPECTOR_LEFT)
    pick(page, mine.get_by_role("radiogroup", name="我的评定").locator("label").first)
    pick(page, mine.get_by_role("radiogroup", name="佐证材料核验（学校未上传）").locator("label").first)
    finding = mine.get_by_label("督导意见")
    finding.fill("领导小组会议记录完整。")
    finding.press("Tab")
    settled(page)
    expect(page.get_by_text("已评 29 / 29")).to_be_visible()
    shot(page, shots, "08-inspector-rates")
    choose(page, "评价领域", "A5")
    with page.expect_download() as download:
        item(page, "rate", "A5.1.2").get_by_role("button", name="下载").click()
    assert download.value.suggested_filename == "测评制度.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    item(page, "rate", "A5.1.2").scroll_into_view_if_needed()
    shot(page, shots, "09-inspector-evidence")
    log_out(page)

    log_in(page, "insp04")
    nav(page, "组长认定")
    choose(page, "学校", "CN004")
    expect(page.get_by_text("各督学评定")).to_be_visible()
    shot(page, shots, "10-lead-levels")
    page.get_by_role("button", name="定稿…").click()
    settled(page)
    expect(said(page, "定稿后任何人都不能再修改")).to_be_visible()
    shot(page, shots, "11-lead-confirm")
    page.get_by_role("button", name="确认定稿").click()
    expect(said(page, "已定稿。")).to_be_visible()
    shot(page, shots, "12-finalized")

    page.set_viewport_size(PORTRAIT)
    nav(page, "我的学校")
    shot(page, shots, "13-portrait-inspector-schools")
    log_out(page)
    log_in(page, "cn004")
    expect(page.get_by_role("heading", name="督导评估结果")).to_be_visible()
    shot(page, shots, "14-portrait-school-result")

    page.goto(f"{app_url}/lead")  # a page of another role, typed into the address bar (a new session)
    settled(page)  # still signed in: the session cookie names the server-side session (issue 10)
    expect(said(page, "您的账户不能使用“组长认定”页面")).to_be_visible()
    shot(page, shots, "15-portrait-denied")
