"""First start: migrate and load the demo district once; a busy SQLite file never shows 'database is locked'."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from storekit import FAST_HASHER, FRAMEWORK, Db, World, count, facts_row, snapshot

from criteria import load_framework
from sample_data.demo import DEMO_SCHOOLS
from settings import Settings
from store.bootstrap import open_store
from store.demo import DEMO_PASSWORD_ENV, DistrictFrames, load_district
from store.engine import make_engine
from store.errors import BusyError
from store.records import SYSTEM, CycleStatus, Role, Status
from store.services import Services


def settings(db: Db, tmp_path: Path) -> Settings:
    return Settings(DATABASE_URL=db.full_url, data_dir=tmp_path / "data", load_demo=True)


def test_first_start_loads_the_demo_once(db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEMO_PASSWORD_ENV, raising=False)
    opened = open_store(settings(db, tmp_path), hasher=FAST_HASHER)
    demo, sv = opened.demo, opened.services
    assert demo is not None and demo.schools == len(DEMO_SCHOOLS)
    roles = Counter(a.role for a in demo.accounts)
    assert roles[Role.ADMIN] == 1 and roles[Role.BUREAU] == 1 and roles[Role.SCHOOL] == len(DEMO_SCHOOLS)
    assert roles[Role.INSPECTOR] >= 2
    assert len({a.password for a in demo.accounts}) == len(demo.accounts)  # random, one each
    school = next(a for a in demo.accounts if a.role == Role.SCHOOL)
    user = sv.accounts.authenticate(school.username, school.password)
    assert user.must_change_password and user.school_id is not None
    assert demo.past_cycle_id is not None
    past = Counter(a.status for a in sv.assessments.list_assessments(SYSTEM, demo.past_cycle_id))
    assert set(past) == set(Status) - {Status.RETURNED}
    assert sv.cycles.get(SYSTEM, demo.past_cycle_id).status == CycleStatus.CLOSED
    assert sv.frameworks.list_versions(SYSTEM)[0].active
    rows = snapshot(sv.engine)
    sv.close()
    again = open_store(settings(db, tmp_path), hasher=FAST_HASHER)
    assert again.demo is None
    assert snapshot(again.services.engine) == rows
    again.services.close()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_fixed_demo_password_for_automated_tests(db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "demo-pass-2025")
    opened = open_store(settings(db, tmp_path), hasher=FAST_HASHER)
    assert opened.demo is not None and {a.password for a in opened.demo.accounts} == {"demo-pass-2025"}
    user = opened.services.accounts.authenticate("bureau", "demo-pass-2025")
    assert user.role == Role.BUREAU and not user.must_change_password
    opened.services.close()


def small_district() -> DistrictFrames:
    facts = pd.DataFrame([facts_row("A001", "primary"), facts_row("B001", "junior")])
    ratings = pd.DataFrame(
        [{"school_code": "A001", "item_id": "i1", "rater": "insp1", "role": "inspector", "level": "A"}]
    )
    assignments = pd.DataFrame([{"school_code": "A001", "inspector": "insp1", "lead": True}])
    return DistrictFrames(facts, ratings, assignments, {"insp1": "督学"})


def test_servers_starting_together_load_the_demo_once(db: Db, tmp_path: Path) -> None:
    text = FRAMEWORK.read_text(encoding="utf-8")
    framework = load_framework(FRAMEWORK)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        engine = db.engine()
        services = Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER)
        barrier.wait()
        try:
            results.append(load_district(services.ctx, framework, text, small_district(), "pass-for-tests"))
        except BaseException as error:
            results.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(type(r).__name__ for r in results) == ["DemoLoad", "NoneType"], results
    engine = db.engine()
    assert count(engine, "schools") == 2 and count(engine, "users") == 5 and count(engine, "ratings") == 1
    engine.dispose()


def sqlite_path(db: Db) -> str:
    return db.url.removeprefix("sqlite:///")


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_writer_waits_while_another_holds_the_lock(db: Db, world: World) -> None:
    other = sqlite3.connect(sqlite_path(db), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(world.fill_a()))
    thread.start()
    time.sleep(0.4)
    assert done == []  # waiting for the lock
    other.execute("COMMIT")
    other.close()
    thread.join(10)
    assert done == [None]


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_lock_held_too_long_is_a_polite_busy_error(db: Db, world: World, tmp_path: Path) -> None:
    engine = make_engine(db.url, busy_timeout_ms=20)
    impatient = dataclasses.replace(world, sv=Services(engine, evidence_dir=tmp_path / "ev", hasher=FAST_HASHER))
    before = snapshot(engine)
    other = sqlite3.connect(sqlite_path(db), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError) as busy:
            impatient.fill_a()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "locked" not in busy.value.render("en").lower() and "busy" in busy.value.render("en")
    assert busy.value.__cause__ is None and busy.value.__suppress_context__
    assert snapshot(engine) == before
    impatient.fill_a()  # and once the lock is gone, it works
    engine.dispose()
