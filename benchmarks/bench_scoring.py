"""Benchmark: score synthetic districts (three inspectors a school) on the bundled framework.

Reports, per size: wall time to read the generated frames into checked facts and ratings; wall time
of `score_district` from those frames (text → codes → scores, tiers); of the engine alone from
encoded arrays; the tracemalloc peak of scoring; the process's peak RSS; and the ratio to the
arithmetic floor: the bare weighted sum of the same rating levels in numpy (one bincount over every
rating, no consensus, no N/A, no tiers).

    python benchmarks/bench_scoring.py --schools 2000 100000
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from criteria import load_framework
from sample_data.generator import generate_district
from scoring import compile_framework, read_facts, score_district
from scoring.engine import score_encoded
from scoring.levels import encode_ratings


def best_of(repeats: int, func):
    """Smallest wall time of `repeats` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench(n_schools: int, repeats: int) -> dict[str, float]:
    fw = load_framework()
    compiled = compile_framework(fw)
    district = generate_district(n_schools, seed=2025, framework=fw)
    t_read, facts = best_of(1, lambda: read_facts(district.facts.astype(str)))
    ratings = district.ratings
    t_full, result = best_of(repeats, lambda: score_district(compiled, facts, ratings))
    enc = encode_ratings(compiled, facts.index, ratings)
    t_engine, _ = best_of(repeats, lambda: score_encoded(compiled, facts, enc))
    level = np.clip(enc.level, 0, None)

    def floor() -> np.ndarray:
        """Σ points × fraction(level) per school over every rating: the arithmetic any scoring must do."""
        weights = compiled.fractions[enc.item, level] * compiled.points[enc.item]
        return np.bincount(enc.school, weights=weights, minlength=len(facts))

    t_floor, _ = best_of(max(repeats, 5), floor)
    tracemalloc.start()
    score_district(compiled, facts, ratings).inspection.tier_index  # noqa: B018 - force the tiers
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "schools": n_schools,
        "ratings": len(ratings),
        "read_s": t_read,
        "score_s": t_full,
        "engine_s": t_engine,
        "floor_s": t_floor,
        "ratio_full": t_full / t_floor,
        "ratio_engine": t_engine / t_floor,
        "scoring_peak_mb": peak / 2**20,
        "process_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model_schools": int((result.inspection.tier_index == 1).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[2000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="a tiny district, one run (CI runs this)")
    args = parser.parse_args()
    if args.smoke:
        args.schools, args.repeats = [50], 1
    for n in args.schools:
        row = bench(n, args.repeats)
        print(" | ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
