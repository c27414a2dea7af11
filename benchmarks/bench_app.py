"""Benchmark: how long one rerun of each page takes, for each role, with AppTest on a real SQLite file.

A rerun is one `AppTest.run()` of `app.py` after the page was opened: routing, the service calls of the
page, scoring where the page shows scores, and drawing. Measured on the demo district (40 schools) and
on a synthetic district loaded into the store the way the demo is (default 2,000 schools).

    python benchmarks/bench_app.py --schools 2000 --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

from criteria import DEFAULT_FRAMEWORK, load_framework
from sample_data.generator import generate_district
from settings import Settings, get_settings
from store.bootstrap import open_services, open_store
from store.demo import DEMO_PASSWORD_ENV, DistrictFrames, load_district
from store.records import SYSTEM, CycleStatus, Role, Status
from ui.services import close_all

APP = Path(__file__).resolve().parent.parent / "app.py"
PASSWORD = "bench-password-1"
WARM_UP = 2  # the first reruns after opening a page fill the caches of the process


@contextmanager
def data_dir(folder: Path) -> Iterator[None]:
    """Point the app at `folder` (and the fixed password) for the duration."""
    saved = {k: os.environ.get(k) for k in ("XINYU_DATA_DIR", DEMO_PASSWORD_ENV)}
    os.environ["XINYU_DATA_DIR"], os.environ[DEMO_PASSWORD_ENV] = str(folder), PASSWORD
    get_settings.cache_clear()
    try:
        yield
    finally:
        close_all()
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        get_settings.cache_clear()


def demo_district(folder: Path) -> None:
    """The demo district, as a first start loads it."""
    open_store(Settings(data_dir=folder, load_demo=True)).services.close()


def synthetic_district(folder: Path, n_schools: int) -> None:
    """A generated district of `n_schools` loaded with accounts for every school and inspector."""
    fw = load_framework()
    district = generate_district(n_schools, seed=2025, framework=fw)
    services = open_services(Settings(data_dir=folder, load_demo=False))
    frames = DistrictFrames(district.facts, district.ratings, district.assignments, {})
    text = DEFAULT_FRAMEWORK.read_text(encoding="utf-8-sig")
    load_district(services.ctx, framework=fw, framework_text=text, district=frames, fixed_password=PASSWORD)
    services.close()


def subjects(folder: Path) -> dict[str, tuple[str, str]]:
    """(user, school code) per role: a school in draft, and a lead inspector with a school under inspection."""
    services = open_services(Settings(data_dir=folder, load_demo=False))
    cycle = next(c for c in services.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.OPEN)
    assessments = services.assessments.list_assessments(SYSTEM, cycle.id)
    draft = next(a for a in assessments if a.status == Status.DRAFT)
    inspected = next(a for a in assessments if a.status in (Status.UNDER_INSPECTION, Status.SUBMITTED))
    lead = next(
        a for a in services.cycles.assignments(SYSTEM, cycle.id) if a.school_id == inspected.school_id and a.lead
    )
    services.close()
    return {
        Role.SCHOOL: (draft.school_code.lower(), draft.school_code),
        Role.INSPECTOR: (lead.inspector, inspected.school_code),
        Role.BUREAU: ("bureau", ""),
        Role.ADMIN: ("admin", ""),
    }


PAGES = {
    Role.SCHOOL: ["school_home.py", "school_facts.py", "school_walk.py", "school_submit.py"],
    Role.INSPECTOR: ["inspector_schools.py", "inspector_rate.py", "inspector_lead.py"],
    Role.BUREAU: ["bureau_home.py"],
    Role.ADMIN: ["admin_accounts.py"],
}


def opened(user: str, code: str, page: str) -> AppTest:
    """A session of `user` on `page` (with `?school=code` when given)."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.text_input(key="login.username").input(user)
    at.text_input(key="login.password").input(PASSWORD)
    at.button(key="login.submit").click().run()
    if code:
        at.query_params["school"] = code
    at.switch_page(f"ui/pages/{page}").run()
    assert not at.exception, at.exception
    return at


SAVES = [(Role.SCHOOL, "school_walk.py", "self.level."), (Role.INSPECTOR, "inspector_rate.py", "inspector.level.")]


def rerun_times(user: str, code: str, page: str, runs: int) -> list[float]:
    """Wall times of `runs` reruns of one page for one signed-in user."""
    at = opened(user, code, page)
    for _ in range(WARM_UP):
        at.run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return times


def save_times(user: str, code: str, page: str, prefix: str, runs: int) -> list[float]:
    """Wall times of reruns that save a level (alternately the two best levels of the first item shown)."""
    at = opened(user, code, page)
    radio = next(r for r in at.radio if r.key.startswith(prefix))
    times = []
    for n in range(runs + WARM_UP):
        at.radio(key=radio.key).set_value(radio.options[n % 2][:1])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception and not at.error, (at.exception, at.error)
    return times[WARM_UP:]


def p95(times: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(times, n=20)[-1]


def bench(folder: Path, label: str, runs: int) -> list[tuple[str, str, str, float, float]]:
    """(district, role, page, median ms, 95th percentile ms) for every page of every role."""
    rows = []
    with data_dir(folder):
        for role, (user, code) in subjects(folder).items():
            for page in PAGES[role]:
                times = rerun_times(user, code, page, runs)
                rows.append((label, role.value, page, 1000 * statistics.median(times), 1000 * p95(times)))
                print(f"{label:>14} {role.value:>9} {page:<22} median {rows[-1][3]:6.0f} ms  p95 {rows[-1][4]:6.0f} ms")
        for role, page, prefix in SAVES:
            user, code = subjects(folder)[role]
            times = save_times(user, code, page, prefix, runs)
            rows.append(
                (label, role.value, f"{page} (save a level)", 1000 * statistics.median(times), 1000 * p95(times))
            )
            print(f"{label:>14} {role.value:>9} {page} save: median {rows[-1][3]:6.0f} ms  p95 {rows[-1][4]:6.0f} ms")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000, help="size of the synthetic district")
    parser.add_argument("--runs", type=int, default=20, help="reruns per page")
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
        rows = bench(demo, "demo (40)", args.runs) + bench(big, f"{args.schools} schools", args.runs)
    print("\n| district | role | page | median rerun (ms) | 95th percentile (ms) |\n| --- | --- | --- | ---: | ---: |")
    for label, role, page, median, worst in rows:
        print(f"| {label} | {role} | {page.removesuffix('.py')} | {median:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    main()
