"""Benchmark: the bureau's pages with AppTest on a real SQLite file, the demo district and a synthetic one.

For each bureau page: the first drawing after the data changed (the cycle is read and scored again:
cold) and reruns once the caches are warm (median and 95th percentile). The district is loaded into
the store the way the demo is (`bench_app.synthetic_district`, default 2,000 schools); the bureau
looks at the closed cycle, where most schools are finalized.

    python benchmarks/bench_bureau.py --schools 2000 --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_app import APP, PASSWORD, data_dir, demo_district, p95, synthetic_district
from streamlit.testing.v1 import AppTest

from settings import Settings
from store.bootstrap import open_services
from store.demo import DEMO_PASSWORD_ENV
from store.records import SYSTEM, CycleStatus
from ui.bureau.data import clear

PAGES = [
    "bureau_home.py",
    "bureau_cycles.py",
    "bureau_compare.py",
    "bureau_targets.py",
    "bureau_consistency.py",
    "bureau_followup.py",
    "bureau_frameworks.py",
    "bureau_exports.py",
]
WARM_UP = 2


def past_cycle(folder: Path) -> tuple[int, int]:
    """(id of the closed cycle, its number of schools)."""
    services = open_services(Settings(data_dir=folder, load_demo=False))
    cycle = next(c for c in services.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
    n = len(services.assessments.list_assessments(SYSTEM, cycle.id))
    services.close()
    return cycle.id, n


def bureau_session(cycle_id: int) -> AppTest:
    """The bureau signed in, on the closed cycle."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.text_input(key="login.username").input("bureau")
    at.text_input(key="login.password").input(PASSWORD)
    at.button(key="login.submit").click().run()
    at.session_state["app.cycle_id"] = cycle_id
    return at


def timed(at: AppTest) -> float:
    """Seconds of one run, which must show no error."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    return elapsed


def page_times(at: AppTest, page: str, runs: int) -> tuple[float, list[float]]:
    """(cold first drawing, warm reruns) of one page."""
    clear()
    at.switch_page(f"ui/pages/{page}")
    cold = timed(at)
    for _ in range(WARM_UP):
        timed(at)
    return cold, [timed(at) for _ in range(runs)]


def bench(folder: Path, label: str, runs: int) -> list[tuple[str, str, float, float, float]]:
    """(district, page, cold ms, median warm ms, 95th percentile warm ms) per bureau page."""
    rows = []
    with data_dir(folder):
        cycle_id, n = past_cycle(folder)
        at = bureau_session(cycle_id)
        for page in PAGES:
            cold, warm = page_times(at, page, runs)
            rows.append((f"{label} ({n})", page, 1000 * cold, 1000 * statistics.median(warm), 1000 * p95(warm)))
            _, _, c, median, worst = rows[-1]
            print(f"{label:>10} {page:<24} cold {c:7.0f} ms  warm median {median:6.0f} ms  p95 {worst:6.0f} ms")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000, help="size of the synthetic district")
    parser.add_argument("--runs", type=int, default=20, help="warm reruns per page")
    parser.add_argument("--smoke", action="store_true", help="a tiny district, two reruns (CI runs this)")
    args = parser.parse_args()
    if args.smoke:
        args.schools, args.runs = 12, 2  # two: the 95th percentile needs two
    os.environ[DEMO_PASSWORD_ENV] = PASSWORD
    with tempfile.TemporaryDirectory() as tmp:
        demo, big = Path(tmp) / "demo", Path(tmp) / "big"
        demo_district(demo)
        start = time.perf_counter()
        synthetic_district(big, args.schools)
        print(f"loaded {args.schools} schools in {time.perf_counter() - start:.0f} s")
        rows = bench(demo, "demo", args.runs) + bench(big, "synthetic", args.runs)
    print("\n| district (schools) | page | first drawing, cold (ms) | warm rerun median (ms) | warm 95th pct (ms) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label, page, cold, median, worst in rows:
        print(f"| {label} | {page.removesuffix('.py')} | {cold:.0f} | {median:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    main()
