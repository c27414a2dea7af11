"""Calibration and the second reader in a real browser, end to end.

The bureau builds a case from a finalized school, imports its master levels from a workbook and starts a
round for three inspectors; one of them rates in the browser (the other levels were given through the
service layer beforehand, to keep the run short); the bureau closes the round and certifies (two pass,
one does not), turns on the cycle's review and lead rules, is refused the uncertified inspector as a
lead and assigns a certified one; the lead proposes CN024's result, the reviewer (the lead of another
team) sends it back with a note, the lead proposes again, the reviewer confirms, the lead finalizes.
Screenshots go to test-artifacts/browser/calibration-*.png.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from browserkit import PASSWORD, settled, start_app
from playwright.sync_api import Browser, Page, expect
from test_browser_flow import choose, log_in, log_out, nav, pick, said

from criteria.models import QuantitativeItem
from reports.calibration_report import MasterCase, master_workbook
from settings import Settings
from store.bootstrap import open_services
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit, Role
from store.services import Services

pytestmark = pytest.mark.browser
TABLET = {"width": 1280, "height": 900}
PEOPLE: dict[str, str] = {}


def prefill(sv: Services) -> None:
    """Pick the three inspectors and give CN024's lead a rating of every item, so that it can be finalized."""
    cycle = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    school = sv.schools.by_code(SYSTEM, "CN024")
    teams = sv.cycles.assignments(SYSTEM, cycle.id)
    lead = next(a.inspector for a in teams if a.school_id == school.id and a.lead)
    team = {a.inspector for a in teams if a.school_id == school.id}
    reviewer = next(a.inspector for a in teams if a.lead and a.inspector not in team)
    third = next(
        u.username for u in sv.accounts.list_users(SYSTEM, role=Role.INSPECTOR) if u.username not in {lead, reviewer}
    )
    shown = next(u.display_name for u in sv.accounts.list_users(SYSTEM, role=Role.INSPECTOR) if u.username == reviewer)
    PEOPLE.update(lead=lead, reviewer=reviewer, third=third, reviewer_name=shown)
    a = sv.assessments.find(SYSTEM, cycle.id, school.id)
    fw = sv.frameworks.for_cycle(SYSTEM, cycle.id)
    items = [i for i in fw.items() if set(i.applies_to) & set(school.stages) and not isinstance(i, QuantitativeItem)]
    me = sv.accounts.authenticate(lead, PASSWORD)
    before = {r.item_id: r.version for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.rater == lead}
    edits = [RatingEdit(i.id, i.levels[0].id, expected_version=before.get(i.id)) for i in items]
    sv.ratings.save(me, a.id, RaterRole.INSPECTOR, edits)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "data"
    for url in start_app(folder, prefill):
        yield url, folder


def services(folder: Path) -> Services:
    """The app's database, opened beside the running app (as a second server would)."""
    return open_services(Settings(data_dir=folder, load_demo=False))


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settled(page)


def multi(page: Page, label: str, options: list[str]) -> None:
    """Choose options of a multiselect, one after another."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for option in options:
        box.click()
        page.keyboard.type(option.strip("()"))  # filter: a long list shows only part of its options
        page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
        settled(page)
    page.keyboard.press("Escape")


def shot(page: Page, shots: Path, name: str) -> None:
    settled(page)
    page.screenshot(path=str(shots / f"calibration-{name}.png"), full_page=True)


def test_case_round_certification_assignment_and_second_reader(app, browser: Browser, shots: Path, tmp_path: Path):
    url, folder = app
    page = browser.new_page(viewport=TABLET, locale="zh-CN")
    try:
        journey(page, url, folder, shots, tmp_path)
    except BaseException:
        page.screenshot(path=str(shots / "calibration-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def journey(page: Page, url: str, folder: Path, shots: Path, tmp_path: Path) -> None:
    lead, reviewer, third = PEOPLE["lead"], PEOPLE["reviewer"], PEOPLE["third"]
    page.goto(url)
    settled(page)
    log_in(page, "bureau")
    nav(page, "督学校准")
    page.get_by_label("案例名称").first.fill("开学前案例")
    page.get_by_role("button", name="制作案例").first.click()
    expect(said(page, "已制作案例“开学前案例”。")).to_be_visible()

    sv = services(folder)
    try:
        case = sv.calibration.cases(SYSTEM)[0]
        fw = sv.frameworks.get(SYSTEM, case.framework_version_id)
        items = [
            i
            for i in fw.items()
            if not isinstance(i, QuantitativeItem) and set(case.stages) & {s.value for s in i.applies_to}
        ]
        book = openpyxl.load_workbook(io.BytesIO(master_workbook([MasterCase(case.title, case.stages, fw)])))
        for row in book.active.iter_rows(min_row=2):
            item = next(i for i in items if i.id == row[1].value)
            row[3].value, row[4].value = item.levels[0].id, "材料与做法一致"
        upload = tmp_path / "标准等级.xlsx"
        book.save(upload)
    finally:
        sv.close()
    page.locator("input[type='file']").set_input_files(str(upload))
    settled(page)
    page.get_by_role("button", name="导入", exact=True).click()
    expect(said(page, f"已导入 {len(items)} 个标准等级。")).to_be_visible()
    shot(page, shots, "01-case")

    tab(page, "校准轮次")
    page.get_by_label("轮次名称").fill("开学前校准")
    multi(page, "案例", ["开学前案例"])
    multi(page, "邀请的督学", [f"({lead})", f"({reviewer})", f"({third})"])
    page.get_by_role("button", name="开始本轮").click()
    expect(said(page, "校准轮次“开学前校准”已开始。")).to_be_visible()
    shot(page, shots, "02-round")
    log_out(page)

    sv = services(folder)  # two inspectors rate everything, the third all but the first item (wrongly)
    try:
        rnd = sv.calibration.rounds(SYSTEM)[0]
        for who in (lead, reviewer, third):
            me = sv.accounts.authenticate(who, PASSWORD)
            for n, item in enumerate(items):
                if who == third and n == 0:
                    continue
                level = item.levels[-1 if who == third else 0].id
                sv.calibration.save_rating(me, rnd.id, case.id, item.id, level)
    finally:
        sv.close()

    log_in(page, third)
    nav(page, "校准练习")
    expect(said(page, "看不到其他督学的评定")).to_be_visible()
    first = page.locator(f".st-key-cal-item-{case.id}-{items[0].id.replace('.', '-')}")
    pick(page, first.get_by_role("radiogroup", name="我的评定").locator("label").first)
    expect(page.get_by_text(f"已评 {len(items)}/{len(items)} 项")).to_be_visible()
    shot(page, shots, "03-inspector-rates-blind")
    log_out(page)

    log_in(page, "bureau")
    nav(page, "督学校准")
    tab(page, "校准轮次")
    page.get_by_role("button", name="结束本轮").click()
    expect(said(page, "校准轮次已结束。")).to_be_visible()
    tab(page, "结果与认定")
    page.get_by_role("button", name="按规则认定资格").click()
    expect(said(page, "已认定：2 人通过，1 人未通过。")).to_be_visible()
    shot(page, shots, "04-certified")
    tab(page, "规则与设置")
    for label in ("结论须经复核人确认后才能定稿", "不允许未认定资格的督学担任组长（否则只提示）"):
        page.get_by_text(label, exact=True).click()  # the label takes the click, not the hidden input
        expect(page.get_by_label(label)).to_be_checked()
    page.get_by_role("button", name="保存", exact=True).nth(1).click()
    expect(said(page, "已保存。")).to_be_visible()

    nav(page, "评估周期")
    tab(page, "督学分配")
    refused = tmp_path / "assign_refused.csv"
    refused.write_text(f"school_code,inspector,lead\nCN024,{third},1\n", encoding="utf-8")
    page.get_by_label("分配文件（CSV）").locator("input[type='file']").set_input_files(str(refused))
    settled(page)
    tab(page, "督学分配")  # the rerun after an upload shows the first tab again
    page.get_by_role("button", name=re.compile("导入$")).click()
    expect(said(page, "没有有效的督学资格认定，本周期不能担任组长")).to_be_visible()
    shot(page, shots, "05-uncertified-lead-refused")
    tab(page, "督学分配")
    accepted = tmp_path / "assign.csv"
    accepted.write_text(f"school_code,inspector,lead\nCN024,{lead},1\n", encoding="utf-8")
    page.get_by_label("分配文件（CSV）").locator("input[type='file']").set_input_files(str(accepted))
    settled(page)
    tab(page, "督学分配")  # the rerun after an upload shows the first tab again
    page.get_by_role("button", name=re.compile("导入$")).click()
    expect(said(page, "已处理 1 条分配")).to_be_visible()
    tab(page, "督学分配")
    expect(page.get_by_text("本周期不允许未认定的督学担任组长。")).to_be_visible()
    log_out(page)

    log_in(page, lead)
    nav(page, "组长认定")
    choose(page, "学校", "CN024")
    expect(page.get_by_role("heading", name="结论复核")).to_be_visible()
    choose(page, "复核人", PEOPLE["reviewer_name"])
    page.get_by_role("button", name="提交复核").click()
    expect(said(page, "已提交复核。")).to_be_visible()
    page.get_by_role("button", name="定稿…").click()
    settled(page)
    page.get_by_role("button", name="确认定稿").click()
    expect(said(page, "确认后才能定稿")).to_be_visible()  # not before the reviewer confirms
    shot(page, shots, "06-proposed")
    log_out(page)

    log_in(page, reviewer)
    nav(page, "结论复核")
    note = page.get_by_label(re.compile(f"复核意见 · {re.escape(items[0].id)} ")).first
    note.fill("请补充访谈记录")
    page.get_by_role("button", name="退回组长").click()
    expect(said(page, "已退回组长。")).to_be_visible()
    shot(page, shots, "07-sent-back")
    log_out(page)

    log_in(page, lead)
    nav(page, "组长认定")
    choose(page, "学校", "CN024")
    expect(page.get_by_text("请补充访谈记录")).to_be_visible()
    choose(page, "复核人", PEOPLE["reviewer_name"])
    page.get_by_role("button", name="提交复核").click()
    expect(said(page, "已提交复核。")).to_be_visible()
    log_out(page)

    log_in(page, reviewer)
    nav(page, "结论复核")
    page.get_by_role("button", name="确认结论").click()
    expect(said(page, "已确认，组长可以定稿。")).to_be_visible()
    log_out(page)

    log_in(page, lead)
    nav(page, "组长认定")
    choose(page, "学校", "CN024")
    expect(said(page, "已确认，可以定稿")).to_be_visible()
    page.get_by_role("button", name="定稿…").click()
    settled(page)
    page.get_by_role("button", name="确认定稿").click()
    expect(said(page, "已定稿。")).to_be_visible()
    shot(page, shots, "08-finalized")

    sv = services(folder)
    try:
        cycle = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
        a = sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, "CN024").id)
        assert a.status == "finalized"
        actions = [e.action for e in sv.audit.entries(SYSTEM, action_prefix="quality.")]
        assert (
            actions.count("quality.propose") == 2 and "quality.sent_back" in actions and "quality.confirmed" in actions
        )
        held = sv.calibration.certifications(SYSTEM)
        assert {k for k, c in held.items() if c.certified} == {lead, reviewer}
    finally:
        sv.close()
