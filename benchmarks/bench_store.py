"""Benchmark: the store with a synthetic district, on SQLite and on PostgreSQL.

For each backend: load a synthetic district (default 2,000 schools from `sample_data.generator`, seed
2025, the bundled framework, three inspectors a school) through the service layer (facts CSV into a
cycle, then the ratings CSV); time reading the cycle's ratings into a scoring frame
(`frames.ratings_frame`, the read_ratings shape: 2,000 schools x 29 rated items x 4 raters and the
consensus) and the facts frame; and time saving one school's full self-assessment
(`assessments.save_self_assessment`: all facts and every self rating changed, as its school account).

    python benchmarks/bench_store.py --schools 2000 --runs 7 [--backends sqlite postgres] [--write]
    python benchmarks/bench_store.py --smoke   # 20 schools, one run: what CI runs so that it cannot rot

PostgreSQL is TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); the
benchmark works in a schema of its own and drops it. `--write` puts the table into docs/bench/store.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from criteria import DEFAULT_FRAMEWORK, QuantitativeItem, load_framework
from sample_data.generator import generate_district
from store.engine import make_engine
from store.migrate import upgrade
from store.records import SYSTEM, RatingEdit, Role, Status
from store.services import Services

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DOC = Path(__file__).resolve().parent.parent / "docs" / "bench" / "store.md"
PASSWORD = "bench-password-1"
# Accounts are set up, not measured: a cheap argon2 setting (the hashing itself is real), as the tests use.
SETUP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class Figures:
    """What one backend measured."""

    backend: str
    schools: int
    ratings: int
    load_s: float
    ratings_frame_s: float
    facts_frame_s: float
    save_ms: float


@contextmanager
def database(backend: str, folder: Path) -> Iterator[Services]:
    """Migrated, empty services on a new SQLite file or a new PostgreSQL schema (dropped afterwards)."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
        schema = None
    else:
        schema = f"xinyu_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(PG_URL, schema=schema)
    try:
        upgrade(engine)
        yield Services(engine, evidence_dir=folder / "evidence", hasher=SETUP_HASHER)
    finally:
        engine.dispose()
        if schema:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def timed(func: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def load(services: Services, schools: int, seed: int) -> tuple[int, int, float]:
    """Load the synthetic district; (cycle id, rating rows, seconds)."""
    framework = load_framework()
    district = generate_district(schools, seed, framework)
    start = time.perf_counter()
    version = services.frameworks.add(SYSTEM, DEFAULT_FRAMEWORK.read_text(encoding="utf-8"), activate=True)
    cycle = services.cycles.create(SYSTEM, "bench", "2025-2026", version.id, school_ids=[])
    services.imports.schools(SYSTEM, district.facts, cycle_id=cycle.id, file="facts.csv")
    add_inspectors(services, cycle.id, district.assignments)
    result = services.imports.ratings(SYSTEM, cycle.id, district.ratings, file="ratings.csv")
    return cycle.id, result.rows, time.perf_counter() - start


def add_inspectors(services: Services, cycle_id: int, assignments: pd.DataFrame) -> None:
    """The district's inspectors as accounts, assigned to their schools: the ratings import refuses other raters."""
    for name in pd.unique(assignments["inspector"]):
        services.accounts.add_user(SYSTEM, str(name), Role.INSPECTOR, PASSWORD, str(name), None, False)
    frame = assignments.assign(lead=assignments["lead"].astype(int).astype(str))
    services.imports.assignments(SYSTEM, cycle_id, frame, file="assignments.csv")


def self_assessment_saver(services: Services, cycle_id: int) -> Callable[[], object]:
    """A call that saves one draft school's whole self-assessment, every rating and fact changed each time."""
    framework = services.frameworks.for_cycle(SYSTEM, cycle_id)
    draft = next(a for a in services.assessments.list_assessments(SYSTEM, cycle_id) if a.status == Status.DRAFT)
    school = services.accounts.add_user(
        SYSTEM, "bench_school", Role.SCHOOL, PASSWORD, school_id=draft.school_id, must_change_password=False
    )
    items = [i for i in framework.items() if not isinstance(i, QuantitativeItem)]
    turn = [0]

    def save() -> object:
        turn[0] += 1
        edits = [RatingEdit(i.id, i.levels[turn[0] % 2].id, f"第 {turn[0]} 次说明") for i in items]
        facts = {**draft.facts, "parent_sessions": float(turn[0])}
        version = services.assessments.get(school, draft.id).version
        return services.assessments.save_self_assessment(school, draft.id, version, facts, edits)

    return save


def measure(backend: str, schools: int, seed: int, runs: int) -> Figures:
    """Load, then time the reads and the saves (median of `runs`, after one warm-up)."""
    with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as services:
        cycle_id, rows, load_s = load(services, schools, seed)
        frame = services.frames.ratings_frame(SYSTEM, cycle_id)
        assert len(frame) == rows, (len(frame), rows)
        read = statistics.median(timed(lambda: services.frames.ratings_frame(SYSTEM, cycle_id)) for _ in range(runs))
        facts = statistics.median(timed(lambda: services.frames.facts_frame(SYSTEM, cycle_id)) for _ in range(runs))
        save = self_assessment_saver(services, cycle_id)
        save()
        save_s = statistics.median(timed(save) for _ in range(runs * 3))
        return Figures(backend, schools, rows, load_s, read, facts, save_s * 1000)


def table(figures: list[Figures]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| backend | schools | rating rows | load (import) | ratings → frame | facts → frame "
        "| save one self-assessment |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(
            f"| {f.backend} | {f.schools:,} | {f.ratings:,} | {f.load_s:.1f} s | {f.ratings_frame_s:.2f} s "
            f"| {f.facts_frame_s:.3f} s | {f.save_ms:.0f} ms |"
        )
    return "\n".join(lines)


def document(figures: list[Figures], command: str) -> str:
    """docs/bench/store.md."""
    return f"""# Store benchmark (issue 3)

Reproduce with:

```sh
{command}
```

{table(figures)}

- Synthetic district from `sample_data.generator` (seed 2025) on the bundled framework (38 items, 29
  rated, 9 computed from facts): each school has a self rating and three inspectors' ratings of every
  rated item (4 raters), and about 30% of the schools a lead's consensus on the disputed items.
- *load*: through the service layer as the CLI does it: the facts CSV into a new cycle
  (`imports.schools`), then the ratings CSV (`imports.ratings`), each checked in full and written in
  one transaction.
- *ratings → frame*: `frames.ratings_frame(bureau, cycle)`, the whole cycle in the exact shape of
  `scoring.inputs.read_ratings` (one query, then the scoring reader's own checks); median of the runs.
  Target: under 1 s on SQLite.
- *facts → frame*: `frames.facts_frame`, the shape of `read_facts`.
- *save one self-assessment*: `assessments.save_self_assessment` as the school's account: all facts
  and every self rating (29 items) changed, with their audit entries, in one transaction (median).
  Target: under 100 ms.
- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLAlchemy
  {sqlalchemy.__version__}, pandas {pd.__version__}; SQLite {_sqlite_version()} (WAL, synchronous FULL) in a
  temporary folder; PostgreSQL on 127.0.0.1 (the CI service). Load average when the run ended:
  {os.getloadavg()[0]:.1f} (other work shared the machine; figures vary by some tens of percent).
"""


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def main() -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--write", action="store_true", help=f"write the table to {DOC}")
    parser.add_argument("--smoke", action="store_true", help="20 schools, one run (CI runs this)")
    args = parser.parse_args()
    if args.smoke:
        args.schools, args.runs, args.write = 20, 1, False
    figures = [measure(b, args.schools, args.seed, args.runs) for b in args.backends]
    print(table(figures))
    if args.write:
        command = f"python benchmarks/bench_store.py --schools {args.schools} --runs {args.runs} --write"
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(document(figures, command), encoding="utf-8")
        print(f"written to {DOC}")


if __name__ == "__main__":
    main()
