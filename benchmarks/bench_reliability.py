# ruff: noqa: B023
"""Reliability figures of issue 11: hostile files per door, concurrent writers, SIGKILL during an import, backups.

    python benchmarks/bench_reliability.py corpus
    python benchmarks/bench_reliability.py writers --saves 1000 [--backends sqlite postgres]
    python benchmarks/bench_reliability.py sigkill --schools 20000 [--kills 3]
    python benchmarks/bench_reliability.py backup [--seconds 5] [--backends sqlite postgres]

- corpus: every generated hostile file of tests/security/corpus.py through its door (the CLI commands
  and the evidence upload); counts files, crashes (an exit code other than 0 and 2, or a traceback) and
  partial writes (an output file, a temporary file or a database change left by a refused file).
- writers: two processes save the same inspector rating SAVES times each, every save from a fresh read,
  a conflict retried from a new read; lost updates = successful saves that are not a version of the
  rating (the final version minus the first must equal the saves), "database is locked" = outputs that
  say so.
- sigkill: a register of N schools imported with `xinyu schools import` into a SQLite database holding
  the demo district, killed with SIGKILL at a random moment of the import; the database is compared row
  for row with its state before, and PRAGMA integrity_check must say ok; then the import is run to the end.
- backup: the demo district while a thread saves facts; `store.backup.backup`, restore into a new
  database, compare every table and every evidence file with the backup's content.

PostgreSQL is TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test), in a schema
of its own that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE_TESTS = ROOT / "tests" / "store"
sys.path[:0] = [str(ROOT), str(STORE_TESTS), str(ROOT / "tests" / "security")]

from sqlalchemy import create_engine, text  # noqa: E402

from store.engine import make_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, object]]:
    """A migrated empty database: (URL with schema for subprocesses, engine)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        yield url, engine
        engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, schema=schema)
    upgrade(engine)
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}", engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def writers(backends: list[str], saves: int) -> list[str]:
    from storekit import FAST_HASHER, build_world

    from store.records import SYSTEM
    from store.services import Services

    lines = [
        "| backend | processes × saves | conflicts retried | lost updates | 'database is locked' shown | seconds |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as (url, engine):
            sv = Services(engine, evidence_dir=Path(tmp) / "ev", hasher=FAST_HASHER)
            world = build_world(sv)
            go = Path(tmp) / "go"
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(STORE_TESTS)])}
            procs = [
                subprocess.Popen(
                    [
                        sys.executable,
                        str(STORE_TESTS / "store_worker.py"),
                        "rate",
                        url,
                        "inspector",
                        str(world.assessment_a),
                        "i1",
                        str(saves),
                        str(go),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            for proc in procs:
                assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            start = time.perf_counter()
            go.touch()
            outputs = [proc.communicate(timeout=3600) for proc in procs]
            seconds = time.perf_counter() - start
            locked = sum((out + err).lower().count("locked") for out, err in outputs)
            results = [tuple(int(x) for x in out.split()) for out, _ in outputs]
            written = sum(r[2] for r in results)
            conflicts = sum(r[1] for r in results)
            (rating,) = [r for r in sv.ratings.list_ratings(SYSTEM, world.assessment_a) if r.item_id == "i1"]
            lost = written - rating.version  # the rating was new: its version counts every save that landed
            lines.append(f"| {backend} | 2 × {saves} | {conflicts} | {lost} | {locked} | {seconds:.1f} |")
            print(lines[-1], flush=True)
    return lines


def sigkill(schools: int, kills: int) -> list[str]:
    from store.backup import dump_tables

    lines = [
        "| schools | kill after (s) | full import (s) | database identical | integrity_check |",
        "| --- | --- | --- | --- | --- |",
    ]
    rng = random.Random(20000)
    cli = [sys.executable, "-c", "from cli.main import app; app()"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "XINYU_DATA_DIR": str(folder / "data"), "XINYU_LOAD_DEMO": "0"}
        env.pop("DATABASE_URL", None)
        run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
        subprocess.run([*cli, "demo"], **run)
        subprocess.run(
            [*cli, "generate", "--schools", str(schools), "--seed", "20000", "--out", str(folder / "g")], **run
        )
        register = folder / "g" / "facts.csv"
        db = folder / "data" / "xinyu.sqlite3"
        engine = make_engine(f"sqlite:///{db}")

        def state() -> dict[str, bytes]:
            with engine.connect() as conn:
                return dump_tables(conn)

        before = state()
        (folder / "timed").mkdir()
        subprocess.run(["cp", str(db), str(folder / "timed" / "xinyu.sqlite3")], check=True)
        start = time.perf_counter()
        subprocess.run(
            [*cli, "schools", "import", str(register)],
            **{**run, "env": {**env, "XINYU_DATA_DIR": str(folder / "timed")}},
        )
        full = time.perf_counter() - start
        for _ in range(kills):
            delay = rng.uniform(0.3, 0.9) * full
            proc = subprocess.Popen(
                [*cli, "schools", "import", str(register)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            time.sleep(delay)
            finished = proc.poll() is not None
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate()
            engine.dispose()
            same = state() == before
            with engine.connect() as conn:
                check = conn.execute(text("PRAGMA integrity_check")).scalar_one()
            note = " (had finished)" if finished else ""
            lines.append(f"| {schools} | {delay:.2f}{note} | {full:.2f} | {'yes' if same else 'NO'} | {check} |")
            print(lines[-1], flush=True)
        engine.dispose()
    return lines


def backups(backends: list[str], seconds: float) -> list[str]:
    from storekit import FAST_HASHER

    from store.backup import backup, dump_tables, read_backup, restore
    from store.bootstrap import load_demo
    from store.records import SYSTEM
    from store.services import Services

    lines = [
        "| backend | saves during the backup | tables | rows | evidence files | differences after restore |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as (_, engine):
            folder = Path(tmp)
            sv = Services(engine, evidence_dir=folder / "ev", hasher=FAST_HASHER)
            loaded = load_demo(sv, fixed_password="bench-pass-123")
            school = sv.accounts.authenticate("cn004", "bench-pass-123")
            aid = sv.assessments.find(school, loaded.cycle_id, school.school_id).id
            for n in range(20):
                sv.evidence.upload(school, aid, "A1.1.1", f"e{n}.pdf", pdf + str(n).encode())
            stop, saves = threading.Event(), [0]

            def write() -> None:  # the loop variables are used before the next iteration starts
                while not stop.is_set():
                    a = sv.assessments.get(school, aid)
                    facts = {**a.facts, "students": 800 + saves[0] % 50}
                    sv.assessments.save_facts(school, aid, facts, expected_version=a.version)
                    saves[0] += 1

            thread = threading.Thread(target=write)
            thread.start()
            time.sleep(seconds / 2)
            summary = backup(sv, SYSTEM, folder / "b.zip")
            time.sleep(seconds / 2)
            stop.set()
            thread.join()
            _, dumps, files = read_backup(folder / "b.zip")
            target = make_engine(f"sqlite:///{folder / 'restored.sqlite3'}")
            restore(target, folder / "restored-ev", folder / "b.zip")
            with target.connect() as conn:
                restored = dump_tables(conn)
            target.dispose()
            differences = sum(restored[t] != dumps[t] for t in dumps) + sum(
                (folder / "restored-ev" / sha[:2] / sha).read_bytes() != data for sha, data in files.items()
            )
            row = f"| {backend} (restored on SQLite) | {saves[0]} | {len(summary.rows)} | {summary.total_rows} | "
            lines.append(row + f"{summary.files} | {differences} |")
            print(lines[-1], flush=True)
    return lines


def corpus() -> list[str]:
    """Files per door through the same checks as tests/security/test_hostile_doors.py."""
    import pytest

    code = pytest.main(
        [
            "-q",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "security"),
            str(STORE_TESTS / "test_store_security.py"),
            "-k",
            "hostile or doors",
            "-x",
        ]
    )
    from corpus import csv_cases, evidence_cases, xlsx_cases, yaml_cases
    from test_hostile_doors import DEMO, seeded, template_bytes

    from criteria import DEFAULT_FRAMEWORK, load_framework
    from reports.framework_xlsx import framework_to_xlsx

    doors = {
        "framework YAML (validate, framework export, upload)": len(
            yaml_cases(DEFAULT_FRAMEWORK.read_bytes(), seeded("yaml"))
        )
        * 3,
        "framework workbook (validate, upload)": len(xlsx_cases(framework_to_xlsx(load_framework()), seeded("fw-xlsx")))
        * 2,
        "facts CSV (score)": len(
            csv_cases((DEMO / "facts.csv").read_bytes(), seeded("facts"), ("school_code", "stages", "students"))
        ),
        "ratings CSV (score)": len(
            csv_cases((DEMO / "ratings.csv").read_bytes(), seeded("ratings"), ("school_code", "item_id", "level"))
        ),
        "register CSV (schools import)": len(
            csv_cases((DEMO / "facts.csv").read_bytes(), seeded("register"), ("school_code", "school_name", "stages"))
        ),
        "assignments CSV (report --assignments)": len(
            csv_cases((DEMO / "assignments.csv").read_bytes(), seeded("assign"), ("school_code", "inspector", "lead"))
        ),
        "template xlsx (template import)": len(xlsx_cases(template_bytes(), seeded("template"))),
        "evidence upload (store, SQLite and PostgreSQL)": len(evidence_cases(random.Random(11), b"%PDF-1.7\n")) * 2,
    }
    verdict = "0" if code == 0 else "see the failing test"
    lines = ["| door | files tried | crashes | partial writes |", "| --- | --- | --- | --- |"]
    lines += [f"| {door} | {n} | {verdict} | {verdict} |" for door, n in doors.items()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="every part once at a tiny size (CI)")
    sub = parser.add_subparsers(dest="what")
    w = sub.add_parser("writers")
    w.add_argument("--saves", type=int, default=1000)
    w.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    k = sub.add_parser("sigkill")
    k.add_argument("--schools", type=int, default=20000)
    k.add_argument("--kills", type=int, default=3)
    b = sub.add_parser("backup")
    b.add_argument("--seconds", type=float, default=5.0)
    b.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    sub.add_parser("corpus")
    args = parser.parse_args()
    if args.smoke and args.what is None:  # writers, a kill during an import and a backup, each tiny
        lines = writers(["sqlite", "postgres"], 10) + sigkill(300, 1) + backups(["sqlite", "postgres"], 0.5)
    elif args.what is None:
        parser.error("name the part to run: writers, sigkill, backup or corpus")
    elif args.what == "writers":
        lines = writers(args.backends, args.saves)
    elif args.what == "sigkill":
        lines = sigkill(args.schools, args.kills)
    elif args.what == "backup":
        lines = backups(args.backends, args.seconds)
    else:
        lines = corpus()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
