"""Jobs: started once, run by a thread (no broker), progress and results in the database and the storage,
failures in the reader's language, abandoned runs taken over, permissions in the service layer."""

from __future__ import annotations

import io
import os
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from jobs.queue import ThreadRunner, close_runners, start
from jobs.run import Runtime, execute
from settings import Settings
from store.bootstrap import open_store
from store.engine import make_engine
from store.errors import NotFound, PermissionDenied
from store.jobs import DONE, FAILED, LostClaim
from store.migrate import upgrade
from store.models import JobRow, RatingRow
from store.records import SYSTEM, CycleStatus, Role, Status
from store.services import Services
from store.storage import read_all
from testkit import need

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, Settings]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("jobs") / "data", demo_password="demo pass 1")
    opened = open_store(settings)
    yield opened.services, settings
    close_runners()
    opened.services.close()


@pytest.fixture(scope="module")
def past(demo):
    sv, _ = demo
    return next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)


def wait(sv: Services, job_id: int, timeout: float = 60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = sv.jobs.peek([job_id])[0]
        if job.finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def account(sv: Services, role: Role, school_id: int | None = None):
    name = f"{role.value}-{uuid.uuid4().hex[:6]}"
    return sv.accounts.add_user(SYSTEM, name, role, "a long password 1", name, school_id, False)


def test_a_zip_job_is_started_once_runs_in_a_thread_and_keeps_its_result(demo, past) -> None:
    sv, settings = demo
    bureau = account(sv, Role.BUREAU)
    params = {"cycle_id": past.id, "kind": "xlsx", "finalized_only": True, "lang": "zh", "district": "长宁区"}
    first = start(sv, settings, bureau, "reports_zip", params, cycle_id=past.id)
    second = start(sv, settings, bureau, "reports_zip", params, cycle_id=past.id)  # the button pressed twice
    assert second.id == first.id
    job = wait(sv, first.id)
    finalized = [a for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED]
    assert (job.state, job.done, job.total, job.started_by) == (DONE, len(finalized), len(finalized), bureau.username)
    assert job.result_key.startswith("results/") and job.result_name.endswith("_xlsx.zip")
    _found, chunks = sv.jobs.result(bureau, job.id)
    names = zipfile.ZipFile(io.BytesIO(b"".join(chunks))).namelist()
    assert len(names) == len(finalized) and all(n.endswith(".xlsx") for n in names)
    assert start(sv, settings, bureau, "reports_zip", params, cycle_id=past.id).id == job.id  # done: offered again
    assert next(j.id for j in sv.jobs.list_jobs(bureau, cycle_id=past.id, kind="reports_zip")) == job.id
    sv.storage.delete(job.result_key)  # a lifecycle rule removed the file: the same request builds it again
    with pytest.raises(NotFound):
        sv.jobs.result(bureau, job.id)
    again = start(sv, settings, bureau, "reports_zip", params, cycle_id=past.id)
    rebuilt = wait(sv, again.id)
    assert again.id == job.id and rebuilt.state == DONE and sv.storage.size(rebuilt.result_key)
    sv.cycles.set_entered_figures(SYSTEM, past.id, {"family_guidance_stations": 50.0})  # the data changed
    assert start(sv, settings, bureau, "reports_zip", params, cycle_id=past.id).id != job.id


def test_the_zip_is_built_in_parts_shared_by_two_runners(demo, past) -> None:
    sv, _ = demo
    other = ThreadPoolExecutor(max_workers=1)
    ran: list[int] = []

    def elsewhere(job_id: int) -> None:
        ran.append(job_id)
        other.submit(execute, sv, job_id, "second-runner", Runtime(30, 3, None, 4))

    job, _ = sv.jobs.start(SYSTEM, "reports_zip", {"cycle_id": past.id, "kind": "self", "finalized_only": False})
    assert execute(sv, job.id, "first-runner", Runtime(30, 3, elsewhere, 4)) == DONE
    other.shutdown(wait=True)
    job = sv.jobs.peek([job.id])[0]
    parts = sv.jobs.peek_parts(job.id)
    assert len(parts) == len(ran) == 10 and all(p.state == DONE for p in parts)  # 40 schools, 4 a part
    names = zipfile.ZipFile(io.BytesIO(read_all(sv.storage, job.result_key))).namelist()
    assert [n.split("_")[0] for n in names] == sorted(n.split("_")[0] for n in names) and len(names) == 40
    assert all(sv.storage.size(p.result_key) is None for p in parts)  # the parts' files are gone


def test_a_failed_job_says_why_in_the_reader_s_language(demo, past) -> None:
    sv, settings = demo
    job = start(sv, settings, SYSTEM, "rescore", {"cycle_id": past.id, "version_id": 999}, cycle_id=past.id)
    job = wait(sv, job.id)
    assert job.state == FAILED and job.result_key is None
    assert job.error_lines("zh") == ["找不到：framework version 999"]
    assert job.error_lines("en") == ["not found: framework version 999"]


def test_a_bad_import_fails_with_located_problems_and_writes_nothing(demo, past) -> None:
    sv, settings = demo
    current = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    before = sv.ctx.read(lambda s: s.scalar(select(func.count()).select_from(RatingRow)))
    bad = b"school_code,item_id,role,rater,level\nCN001,no-such-item,self,,A\n"
    job = start(sv, settings, SYSTEM, "import_ratings", {"cycle_id": current.id, "file": "评分.csv"}, upload=bad)
    job = wait(sv, job.id)
    assert job.state == FAILED
    lines = job.error_lines("en")
    assert lines and all(line.startswith("评分.csv row 2") for line in lines), lines
    assert sv.ctx.read(lambda s: s.scalar(select(func.count()).select_from(RatingRow))) == before


def test_an_import_job_imports_a_cycle_s_ratings(demo, tmp_path: Path) -> None:
    sv, settings = demo
    current = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    sv.exports.cycle_csv(SYSTEM, current.id, tmp_path, overwrite=True)
    data = (tmp_path / "ratings.csv").read_bytes()
    job = start(sv, settings, SYSTEM, "import_ratings", {"cycle_id": current.id, "file": "ratings.csv"}, upload=data)
    job = wait(sv, job.id)
    assert job.state == DONE, job.error_lines("en")
    assert job.total == data.count(b"\n") - 1 and job.done == job.total
    assert read_all(sv.storage, job.result_key).decode().startswith(f"导入完成：共 {job.total} 行")
    assert sv.storage.size(job.params["upload_key"]) is None  # the staged upload is gone once imported


def test_only_the_bureau_starts_jobs_and_others_see_only_their_own(demo, past) -> None:
    sv, _ = demo
    school = account(sv, Role.SCHOOL, sv.schools.list_schools(SYSTEM)[0].id)
    count = sv.ctx.read(lambda s: s.scalar(select(func.count()).select_from(JobRow)))
    with pytest.raises(PermissionDenied):
        sv.jobs.start(school, "workbook", {"cycle_id": past.id})
    with pytest.raises(PermissionDenied):
        sv.jobs.start(account(sv, Role.INSPECTOR), "reports_zip", {"cycle_id": past.id}, upload=b"never stored")
    assert sv.ctx.read(lambda s: s.scalar(select(func.count()).select_from(JobRow))) == count
    assert not [k for k in sv.storage.keys("uploads/") if b"never" in read_all(sv.storage, k)]
    assert sv.jobs.list_jobs(school) == []


def test_an_abandoned_run_is_taken_over_and_the_old_run_cannot_write(demo, past) -> None:
    sv, _ = demo
    job, _ = sv.jobs.start(SYSTEM, "workbook", {"cycle_id": past.id, "lang": "en"})
    assert sv.jobs.claim(job.id, "killed-worker", 30, 3) is not None  # then the worker is killed
    assert execute(sv, job.id, "new-worker", Runtime(30, 3)) == "skipped"  # its heartbeat is still fresh
    time.sleep(0.6)
    assert sv.jobs.stale(0.5) == [job.id]
    assert execute(sv, job.id, "new-worker", Runtime(0.5, 3)) == DONE
    with pytest.raises(LostClaim):
        sv.jobs.report(job.id, "killed-worker", 1, 3)
    done = sv.jobs.peek([job.id])[0]
    assert (done.state, done.attempts) == (DONE, 2) and done.result_name.endswith(".xlsx")


def test_a_job_abandoned_too_often_is_failed_with_a_reason(demo, past) -> None:
    sv, _ = demo
    job, _ = sv.jobs.start(SYSTEM, "workbook", {"cycle_id": past.id, "lang": "zh", "n": 2})
    for n in range(2):
        assert sv.jobs.claim(job.id, f"dies-{n}", 0.01, 2) is not None
        time.sleep(0.05)
    assert sv.jobs.claim(job.id, "third", 0.01, 2) is None
    failed = sv.jobs.peek([job.id])[0]
    assert failed.state == FAILED and failed.error_lines("zh") == [
        "处理该任务的后台进程已中断 2 次，任务已停止，请重新启动。"
    ]


def test_a_thread_runner_takes_up_what_a_stopped_process_left(demo, past) -> None:
    sv, settings = demo
    job, _ = sv.jobs.start(SYSTEM, "workbook", {"cycle_id": past.id, "lang": "zh", "left": True})
    runner = ThreadRunner(sv, settings)
    try:
        assert job.id in runner.recover()
        assert wait(sv, job.id).state == DONE
    finally:
        runner.close()


@pytest.mark.postgres
def test_two_servers_pressing_at_once_start_one_job_on_postgresql(tmp_path: Path) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = f"xinyu_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # unreachable server
        admin.dispose()
        need(False, f"PostgreSQL at {PG_URL} is unreachable: {error}")
    try:
        engines = [make_engine(PG_URL, schema=schema) for _ in range(2)]
        upgrade(engines[0])
        servers = [Services(e, evidence_dir=tmp_path / "ev") for e in engines]
        barrier = threading.Barrier(8)

        def press(n: int) -> int:
            barrier.wait()
            return servers[n % 2].jobs.start(SYSTEM, "workbook", {"cycle_id": 1})[0].id

        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(press, range(8)))
        assert len(ids) == 1
        assert servers[0].ctx.read(lambda s: s.scalar(select(func.count()).select_from(JobRow))) == 1
        for sv in servers:
            sv.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def test_a_failed_part_fails_the_zip_with_the_part_s_own_reason(demo, past) -> None:
    sv, _ = demo
    params = {"cycle_id": past.id, "kind": "no-such-kind", "finalized_only": True}
    job, _ = sv.jobs.start(SYSTEM, "reports_zip", params)
    assert execute(sv, job.id, "runner", Runtime(30, 3, None, 10)) == FAILED
    failed = sv.jobs.peek([job.id])[0]
    assert failed.error_key == "jobs.error.unexpected" and failed.error_lines("en")[0].startswith("The work failed")
    assert {p.state for p in sv.jobs.peek_parts(job.id)} <= {FAILED, "queued"}


def test_the_zip_s_reports_carry_the_visit_and_the_team_by_name(demo, past) -> None:
    """A report built by a job reads as the lead's own download: the visit entered, names never accounts."""
    import docx

    from sample_data.demo import DEMO_INSPECTORS

    sv, _ = demo
    finalized = [a for a in sv.assessments.list_assessments(SYSTEM, past.id) if a.status == Status.FINALIZED]
    entered, plain = finalized[0], finalized[1]
    sv.visits.set(
        SYSTEM,
        entered.id,
        first_day=date(2025, 11, 3),
        last_day=date(2025, 11, 4),
        team=["周明", "吴静"],
        report_date=date(2025, 12, 1),
    )
    params = {"cycle_id": past.id, "kind": "docx", "finalized_only": True, "lang": "zh", "district": "长宁区"}
    job, _ = sv.jobs.start(SYSTEM, "reports_zip", params)
    assert execute(sv, job.id, "runner", Runtime(30, 3, None, 100)) == DONE
    archive = zipfile.ZipFile(io.BytesIO(read_all(sv.storage, sv.jobs.peek([job.id])[0].result_key)))

    def text_of(code: str) -> str:
        name = next(n for n in archive.namelist() if n.startswith(code))
        return "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(name))).paragraphs)

    first = text_of(entered.school_code)
    assert "周明（组长）、吴静" in first and "2025年11月3日至2025年11月4日" in first and "2025年12月1日" in first
    second = text_of(plain.school_code)
    assigned = [a for a in sv.cycles.assignments(SYSTEM, past.id) if a.school_id == plain.school_id]
    assert assigned and all(DEMO_INSPECTORS[a.inspector] in second for a in assigned)
    assert not any(f"（{a.inspector}）" in second or f"({a.inspector})" in second for a in assigned)


def test_a_zip_job_reports_the_on_site_override_and_its_parts_score_the_cycle_once(demo) -> None:
    """The job scores with the lead's overrides, as the page's download does; every part reuses one scoring."""
    import docx

    from criteria.models import QuantitativeItem
    from jobs.tasks import cycle_contexts

    sv, _ = demo
    bureau = account(sv, Role.BUREAU)
    current = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    params = {"cycle_id": current.id, "kind": "docx", "finalized_only": False, "lang": "zh"}
    before, _ = cycle_contexts(sv, bureau, params)
    assert cycle_contexts(sv, bureau, params)[0] is before  # read and scored once per data version
    inspected = set(before.result.schools[before.result.inspection.present])
    codes = {a.school_id: a.school_code for a in before.assessments if a.status != Status.FINALIZED}  # writable
    leads = sv.cycles.assignments(SYSTEM, current.id)
    lead_of = next(a for a in leads if a.lead and codes.get(a.school_id) in inspected)
    lead = sv.accounts.by_username(SYSTEM, lead_of.inspector)
    lead = sv.accounts.set_password(SYSTEM, lead.id, "a long password 9", must_change=False)
    assessment = next(a for a in before.assessments if a.school_id == lead_of.school_id)
    item = next(i for i in before.framework.items() if isinstance(i, QuantitativeItem))
    sv.overrides.set(lead, assessment.id, item.id, item.levels[-1].id, "现场核查：台账与名单不符")
    assert cycle_contexts(sv, bureau, params)[0] is not before  # any stored change reads afresh
    job, _ = sv.jobs.start(bureau, "reports_zip", params)
    assert execute(sv, job.id, "runner", Runtime(30, 3, None, 8)) == DONE
    archive = zipfile.ZipFile(io.BytesIO(read_all(sv.storage, sv.jobs.peek([job.id])[0].result_key)))
    name = next(n for n in archive.namelist() if n.startswith(assessment.school_code))
    document = docx.Document(io.BytesIO(archive.read(name)))
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "现场改定" in cells and "现场核查：台账与名单不符" in cells
    sv.overrides.clear(lead, assessment.id, item.id)


def test_every_part_of_a_zip_finds_the_cycle_in_the_cache(demo, past) -> None:
    """A part's parameters are its job's plus its schools, parent and index: none of those may miss the cache."""
    from jobs.tasks import cycle_contexts

    sv, _ = demo
    bureau = account(sv, Role.BUREAU)
    params = {"cycle_id": past.id, "kind": "docx", "finalized_only": True, "lang": "zh"}
    whole = cycle_contexts(sv, bureau, params)
    part = cycle_contexts(sv, bureau, {**params, "codes": ["CN001"], "parent": 7, "index": 3})
    assert part is whole
    assert cycle_contexts(sv, bureau, {**params, "lang": "en"}) is not whole  # another document: its own entry
