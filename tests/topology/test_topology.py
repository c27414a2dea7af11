"""Several app servers on one database: nginx (sticky by cookie) + two Streamlit servers + one worker +
PostgreSQL + Redis + an S3 server, all real processes on loopback ports.

Server A and server B are two separate service layers over the deployment's settings (what each
Streamlit process builds), and the page itself is checked through the proxy on each server.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.batch import skipped_name

sys.path.insert(0, str(Path(__file__).parent))
from topology import CREDENTIALS, PASSWORD, Topology, can_run, get

from criteria.models import RubricItem
from jobs.queue import start
from store.jobs import DONE, RUNNING
from store.records import SYSTEM, CycleStatus, RaterRole, RatingEdit, Status
from store.services import Services
from testkit import need

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "topology"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def topo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    reason = can_run()
    if reason:
        need(False, reason)
    t = Topology(tmp_path_factory.mktemp("topology"))
    try:
        t.start()
        yield t
    finally:
        t.stop()


@pytest.fixture(scope="module")
def servers(topo: Topology) -> Iterator[tuple[Services, Services]]:
    settings = topo.settings()
    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(CREDENTIALS)  # boto3 reads them from the environment, as each server does
    a, b = Services.from_settings(settings), Services.from_settings(settings)
    yield a, b
    a.close()
    b.close()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


PASSWORDS: dict[str, str] = {}


def account(sv: Services, username: str):
    """The demo account, signed in (its first-start password changed once, as the app asks)."""
    password = PASSWORDS.get(username, PASSWORD)
    user = sv.accounts.authenticate(username, password)
    if user.must_change_password:
        PASSWORDS[username] = PASSWORD + " changed"
        user = sv.accounts.change_own_password(user, password, PASSWORDS[username])
    return user


def test_the_proxy_keeps_each_browser_on_one_server(topo: Topology) -> None:
    seen = {}
    for _ in range(4):  # fresh browsers go round-robin
        status, headers, body = get(topo.proxy + "/_stcore/health")
        assert status == 200 and body == b"ok"
        seen[headers["X-Xinyu-Upstream"]] = headers["xinyu_node"]
    assert set(seen) == {f"127.0.0.1:{p}" for p in topo.ports}
    for upstream, cookie in seen.items():  # a browser with its cookie stays where it was
        for path in ("/_stcore/health", "/", "/_stcore/host-config"):
            assert get(topo.proxy + path, cookie)[1]["X-Xinyu-Upstream"] == upstream


def test_a_school_saves_on_a_and_the_inspector_sees_it_on_b(topo: Topology, servers) -> None:
    a, b = servers
    cycle = a.cycles.current(SYSTEM)
    school = a.schools.by_code(SYSTEM, "CN004")
    me = account(a, "cn004")
    found = a.assessments.find(me, cycle.id, school.id)
    assert found.status in (Status.DRAFT, Status.RETURNED)
    rubric = next(i for i in a.frameworks.for_cycle(me, cycle.id).items() if isinstance(i, RubricItem))
    item, level = rubric.id, rubric.levels[0].id
    kept = [r for r in a.ratings.list_ratings(me, found.id) if r.role == RaterRole.SELF and r.item_id == item]
    edit = RatingEdit(item, level, account="在服务器A上保存", expected_version=kept[0].version if kept else None)
    a.ratings.save(me, found.id, RaterRole.SELF, [edit])
    link = a.evidence.upload(me, found.id, item, "方案.pdf", PDF)
    lead = next(x for x in b.cycles.assignments(SYSTEM, cycle.id) if x.school_id == school.id and x.lead)
    inspector = account(b, lead.inspector)
    seen = [r for r in b.ratings.list_ratings(inspector, found.id) if r.role == RaterRole.SELF and r.item_id == item]
    assert seen and seen[0].account == "在服务器A上保存"
    got, chunks = b.evidence.open(inspector, link.id)  # uploaded through A, downloaded through B
    assert got.filename == "方案.pdf" and b"".join(chunks) == PDF
    # and on server B's page, through the proxy, in a browser pinned to B by nginx's cookie
    with browser_on(topo, topo.ports[1]) as page:
        page.get_by_label("用户名").fill(lead.inspector)
        page.get_by_label("密码").fill(PASSWORDS.get(lead.inspector, PASSWORD))
        page.get_by_role("button", name="登录", exact=True).click()
        page.get_by_role("button", name="退出登录").wait_for(timeout=60000)
        settled(page)
        page.get_by_test_id("stTopNavLink").filter(has_text="评分").first.click()  # in-app: a reload is a new session
        settled(page)
        box = page.get_by_role("combobox", name="学校", exact=True)
        box.click()
        page.get_by_role("option", name=re.compile("CN004")).first.click()
        settled(page)
        page.get_by_text("在服务器A上保存").first.wait_for(timeout=60000)
        page.get_by_text("方案.pdf").first.wait_for(timeout=30000)


def test_a_zip_job_started_on_a_survives_a_killed_worker_and_is_fetched_on_b(topo: Topology, servers) -> None:
    a, b = servers
    settings = topo.settings()
    bureau = account(a, "bureau")
    past = next(c for c in a.cycles.list_cycles(bureau) if c.status == CycleStatus.CLOSED)
    params = {"cycle_id": past.id, "kind": "docx", "finalized_only": False, "lang": "zh", "district": "长宁区"}
    job = start(a, settings, bureau, "reports_zip", params, cycle_id=past.id)
    assert start(a, settings, bureau, "reports_zip", params, cycle_id=past.id).id == job.id  # pressed twice
    end = time.monotonic() + 60
    while (seen := b.jobs.get(bureau, job.id)).done < 5:  # B sees the worker's progress
        assert time.monotonic() < end and seen.state != "failed"
        time.sleep(0.1)
    topo.kill("worker0")  # mid-job
    halted = b.jobs.get(bureau, job.id)
    assert halted.state == RUNNING and halted.result_key is None and 0 < halted.done < 40
    assert not list(a.storage.keys("results/")) or all(
        k != halted.result_key for k in a.storage.keys("results/")
    )  # nothing of the zip is stored yet (finished parts may be)
    topo.start_worker(1)
    end = time.monotonic() + 90
    while not (done := b.jobs.get(bureau, job.id)).finished:
        assert time.monotonic() < end, done
        time.sleep(0.2)
    assert done.state == DONE and done.attempts >= 2 and (done.done, done.total) == (40, 40)
    _got, chunks = b.jobs.result(bureau, job.id)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    names = archive.namelist()
    reports = [n for n in names if n.endswith(".docx")]
    listed = skipped_name("zh")  # schools never inspected get no report; the zip names them in one list
    skipped = archive.read(listed).decode("utf-8-sig").splitlines() if listed in names else []
    assert len(set(names)) == len(names) and set(names) - set(reports) <= {listed}
    assert len(reports) + len(skipped) == 40 and len(reports) >= 35
    end = time.monotonic() + 10  # the parts' files go once the zip is stored: one complete zip is left
    while list(b.storage.keys("results/")) != [done.result_key]:
        assert time.monotonic() < end, list(b.storage.keys("results/"))
        time.sleep(0.2)


def test_the_pages_answer_on_both_servers_through_the_proxy(topo: Topology) -> None:
    for port in topo.ports:
        with browser_on(topo, port) as page:
            page.get_by_label("用户名").wait_for(timeout=30000)  # the sign-in page, over the WebSocket


@contextlib.contextmanager
def browser_on(topo: Topology, port: int) -> Iterator:
    """A Chromium page on the proxy, pinned to one app server by nginx's sticky cookie."""
    from playwright import sync_api as playwright  # a test dependency: never skipped

    need(Path("/usr/bin/chromium").exists(), "Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "xinyu_node", "value": f"127.0.0.1:{port}", "url": topo.proxy}])
            page = context.new_page()
            served: list[str] = []
            page.on("response", lambda r: served.append(r.headers.get("x-xinyu-upstream", "")))
            page.goto(topo.proxy + "/")
            settled(page)
            try:
                yield page
            finally:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"server-{port}.png"), full_page=True)
            assert set(served) - {""} == {f"127.0.0.1:{port}"}  # every response came from that server
        finally:
            browser.close()


def settled(page) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
