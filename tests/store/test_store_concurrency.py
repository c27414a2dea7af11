"""Two writers at once, in threads and in processes, on SQLite and PostgreSQL; a kill in the middle of an import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert, text
from sqlalchemy.orm import Session
from storekit import Db, World, count, snapshot

from store.errors import ConflictError, IntegrityViolation
from store.models import CycleRow, RatingRow
from store.records import SYSTEM, RaterRole, RatingEdit

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def run_threads(*targets: Callable[[], object]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(target: Callable[[], object]) -> None:
        barrier.wait()
        try:
            target()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def save_loop(world: World, who: str, times: int) -> None:
    me = world.users[who]
    version = None
    for n in range(times):
        (saved,) = world.sv.ratings.save(
            me, world.assessment_a, RaterRole.INSPECTOR, [RatingEdit("i1", "ABC"[n % 3], expected_version=version)]
        )
        version = saved.version


def test_two_threads_writing_different_ratings_both_succeed(world: World) -> None:
    start = world.version_a()
    errors = run_threads(lambda: save_loop(world, "inspector", 10), lambda: save_loop(world, "lead", 10))
    assert errors == []
    ratings = world.sv.ratings.list_ratings(SYSTEM, world.assessment_a)
    assert sorted((r.rater, r.version) for r in ratings) == [("inspector", 10), ("lead", 10)]
    assert world.version_a() == start + 20
    assert count(world.sv.engine, "audit_log") >= 20


def test_two_threads_saving_one_stale_rating_give_one_conflict(world: World) -> None:
    sv, school = world.sv, world.users["school_a"]
    (read,) = sv.ratings.save(school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", "A")])

    def save(level: str) -> None:
        sv.ratings.save(
            school, world.assessment_a, RaterRole.SELF, [RatingEdit("i1", level, expected_version=read.version)]
        )

    errors = run_threads(lambda: save("B"), lambda: save("C"))
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors
    assert errors[0].who == "school_a"
    (rating,) = sv.ratings.list_ratings(school, world.assessment_a)
    assert rating.level in "BC" and rating.version == read.version + 1


def test_many_threads_never_see_a_locked_database(world: World) -> None:
    def facts_loop() -> None:  # nobody else writes B: every save must go through
        for n in range(8):
            a = world.sv.assessments.get(world.users["school_b"], world.assessment_b)
            world.sv.assessments.save_facts(
                world.users["school_b"], world.assessment_b, {"students": 100 + n}, a.version
            )

    def read_loop() -> None:
        for _ in range(10):
            world.sv.frames.ratings_frame(SYSTEM, world.cycle_id)

    errors = run_threads(
        lambda: save_loop(world, "inspector", 8), lambda: save_loop(world, "lead", 8), facts_loop, read_loop
    )
    assert errors == []


def worker(db: Db, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    return subprocess.Popen(
        [sys.executable, str(HERE / "store_worker.py"), args[0], db.full_url, *args[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once(db: Db, world: World, tmp_path: Path) -> None:
    """Two processes as the same inspector: i2 and i3 are each written by one, i1 by both (conflicts)."""
    start = world.version_a()
    go = tmp_path / "go"
    procs = [
        worker(db, "rate", "inspector", str(world.assessment_a), items, "20", str(go)) for items in ("i1,i2", "i1,i3")
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in (out + err).lower()
        results.append(tuple(int(x) for x in out.split()))
    assert [done for done, _, _ in results] == [20, 20]
    written = sum(w for _, _, w in results)
    versions = {r.item_id: r.version for r in world.sv.ratings.list_ratings(SYSTEM, world.assessment_a)}
    assert versions["i2"] == 10 and versions["i3"] == 10  # one writer each: every save is one version
    assert sum(versions.values()) == written  # i1: each stale save was refused, none overwrote silently
    assert world.version_a() == start + written
    assert len(world.sv.audit.entries(SYSTEM, entity="rating", limit=1000)) == written


def test_sigkill_in_the_middle_of_an_import_leaves_the_database_as_before(db: Db, world: World, tmp_path: Path) -> None:
    teams = {"A001": ("inspector", "lead"), "B001": ("other",)}  # the inspectors assigned to each school
    rows = [
        {"school_code": code, "item_id": item, "rater": rater, "role": role, "level": level}
        for code, team in teams.items()
        for item, level in (("i1", "B"), ("i2", "Y"))
        for rater, role in (("school", "self"), *((name, "inspector") for name in team))
    ]
    csv = tmp_path / "ratings.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    world.fill_a()
    before = snapshot(world.sv.engine)
    proc = worker(db, "import-and-hang", str(world.cycle_id), str(csv))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("written 2"), proc.stderr.read() if proc.stderr else line
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)  # reaps the process and closes its pipes
    assert proc.returncode == -signal.SIGKILL
    engine = world.sv.engine
    engine.dispose()  # fresh connections, as a restarted server would open
    assert snapshot(engine) == before
    if db.backend == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    result = world.sv.imports.ratings(SYSTEM, world.cycle_id, csv)
    assert result.created == len(rows) - 2  # A's two self ratings were there already: updated, not added
    assert result.updated == 2


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_sqlite_files_are_wal_with_foreign_keys_and_a_busy_timeout(world: World) -> None:
    with world.sv.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 5000


def test_an_integrity_error_is_not_retried_and_says_so(world: World) -> None:
    """A duplicate or a dangling reference fails the same way every time: one attempt, a clear message."""
    calls: list[int] = []

    def dangling(session: Session) -> None:
        calls.append(1)
        session.execute(
            insert(RatingRow).values(
                assessment_id=999_999,
                item_id="i1",
                role="self",
                slot="",
                rater="x",
                level="A",
                account="",
                finding="",
                updated_at=datetime.now(UTC),
                updated_by="x",
                version_id=1,
            )
        )

    def duplicate(session: Session) -> None:
        calls.append(1)
        session.execute(
            insert(CycleRow).values(
                name="2025学年",
                school_year="x",
                framework_version_id=world.version_id,
                status="open",
                created_at=datetime.now(UTC),
            )
        )

    before = snapshot(world.sv.engine)
    for fn in (dangling, duplicate):
        calls.clear()
        with pytest.raises(IntegrityViolation) as refused:
            world.sv.ctx.tx.write(fn)
        assert calls == [1]
        assert "Nothing was saved" in refused.value.render("en") and "保存未执行" in refused.value.render("zh")
    assert snapshot(world.sv.engine) == before
