"""Benchmark: scoring a calibration round (default 20 cases × 60 inspectors, the bundled framework).

Two figures: the pure scoring (`scoring.calibration.compare_round` and everything the results page and
the report show: per inspector, per domain, items most missed, certification), and the store's
`calibration.results` call on a real SQLite file (reading the round's ratings, then the same scoring).
The ratings are synthetic and seeded: each inspector hits the master level with their own accuracy
(55–95 %), else rates one level off (a step up or down, where there is one).

    python benchmarks/bench_calibration.py                 # 20 cases × 60 inspectors
    python benchmarks/bench_calibration.py --smoke         # 2 cases × 3 inspectors (CI)
    python benchmarks/bench_calibration.py --cases 40 --inspectors 120 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402

from criteria import Framework  # noqa: E402
from criteria.loader import load_framework  # noqa: E402
from criteria.models import QuantitativeItem  # noqa: E402
from scoring.calibration import CertificationRule, compare_round  # noqa: E402
from store.engine import make_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import CalibrationRatingRow  # noqa: E402
from store.records import SYSTEM, Role  # noqa: E402
from store.services import Services  # noqa: E402

FRAMEWORK = ROOT / "criteria" / "frameworks" / "changning-2024.yaml"
STAGES = ("primary",)
BUDGET_S = 1.0


def synthetic_round(
    framework: Framework, cases: int, inspectors: int, seed: int = 14
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(master: case, item, level, reason; ratings: rater, case, item, level) of a synthetic round."""
    rng = np.random.default_rng(seed)
    items = [
        i
        for i in framework.items()
        if not isinstance(i, QuantitativeItem) and set(STAGES) & {s.value for s in i.applies_to}
    ]
    master, ratings = [], []
    accuracy = rng.uniform(0.55, 0.95, size=inspectors)
    for c in range(1, cases + 1):
        for item in items:
            levels = [lv.id for lv in item.levels]
            m = int(rng.integers(len(levels)))
            master.append((c, item.id, levels[m], "依据材料"))
            hit = rng.random(inspectors) < accuracy
            step = rng.choice((-1, 1), size=inspectors)
            for r in range(inspectors):
                pos = m if hit[r] else int(np.clip(m + step[r], 0, len(levels) - 1))
                ratings.append((f"insp{r + 1:03d}", c, item.id, levels[pos]))
    return (
        pd.DataFrame(master, columns=["case", "item", "level", "reason"]),
        pd.DataFrame(ratings, columns=["rater", "case", "item", "level"]),
    )


def score_everything(framework: Framework, master: pd.DataFrame, ratings: pd.DataFrame, raters: list[str]) -> int:
    """What the results page and the report compute from a round; returns the number of pairs compared."""
    result = compare_round(framework, master, ratings, raters)
    result.by_rater()
    result.by_domain("adjacent")
    result.by_domain("exact")
    result.most_missed(limit=10)
    result.certify(CertificationRule())
    return len(result.pairs)


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(median, best) seconds over `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def store_round(
    folder: Path, framework_text: str, master: pd.DataFrame, ratings: pd.DataFrame, inspectors: int
) -> tuple[Services, int]:
    """A SQLite store with the cases, a closed round and every rating (bulk-inserted: setup, not measured)."""
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    upgrade(engine)
    sv = Services(
        engine, evidence_dir=folder / "evidence", hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    version = sv.frameworks.add(SYSTEM, framework_text, "changning-2024.yaml", activate=True)
    cycle = sv.cycles.create(SYSTEM, "校准基准", "2025-2026", version.id, school_ids=[])
    users = [
        sv.accounts.add_user(SYSTEM, f"insp{r + 1:03d}", Role.INSPECTOR, "bench pass 123", f"督学{r + 1}", None, False)
        for r in range(inspectors)
    ]
    case_ids = {}
    for c, group in master.groupby("case"):
        case = sv.calibration.case_from_scratch(SYSTEM, f"案例{c}", version.id, list(STAGES))
        sv.calibration.set_master(SYSTEM, case.id, {r.item: (r.level, r.reason) for r in group.itertuples()})
        case_ids[c] = case.id
    rnd = sv.calibration.create_round(SYSTEM, cycle.id, "基准轮", list(case_ids.values()), [u.id for u in users])
    ids = {u.username: u.id for u in users}
    now = datetime.now(UTC)
    rows = [
        {
            "round_id": rnd.id,
            "case_id": case_ids[c],
            "item_id": item,
            "inspector_id": ids[rater],
            "level": level,
            "finding": "",
            "updated_at": now,
            "version_id": 1,
        }
        for rater, c, item, level in ratings.itertuples(index=False)
    ]
    with engine.begin() as conn:
        conn.execute(CalibrationRatingRow.__table__.insert(), rows)
    sv.calibration.close_round(SYSTEM, rnd.id)
    return sv, rnd.id


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; exit 1 when over budget (not with --smoke)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--inspectors", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny size, one run (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.cases, args.inspectors, args.runs = 2, 3, 1
    framework = load_framework(FRAMEWORK)
    master, ratings = synthetic_round(framework, args.cases, args.inspectors)
    raters = sorted(ratings["rater"].unique())
    pairs = score_everything(framework, master, ratings, raters)
    pure_median, pure_best = timed(lambda: score_everything(framework, master, ratings, raters), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        sv, round_id = store_round(Path(tmp), FRAMEWORK.read_text(encoding="utf-8"), master, ratings, args.inspectors)
        try:
            found = sv.calibration.results(SYSTEM, round_id)
            assert len(found.result.pairs) == pairs
            store_median, store_best = timed(lambda: sv.calibration.results(SYSTEM, round_id), args.runs)
        finally:
            sv.close()
    print(f"round: {args.cases} cases × {args.inspectors} inspectors, {len(ratings):,} ratings, {pairs:,} pairs")
    ms = {
        k: f"{1000 * v:.0f} ms"
        for k, v in {"pm": pure_median, "pb": pure_best, "sm": store_median, "sb": store_best}.items()
    }
    print(f"scoring (compare, per inspector and domain, most missed, certify): median {ms['pm']}, best {ms['pb']}")
    print(f"store calibration.results on SQLite (read + score): median {ms['sm']}, best {ms['sb']}")
    if not args.smoke and store_median > BUDGET_S:
        print(f"over the budget of {BUDGET_S:g} s")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
