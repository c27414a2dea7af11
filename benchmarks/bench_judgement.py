"""Benchmark: the decision sentence and the reachable improvement path for every school of a synthetic district.

Reports, per size: scoring (with on-site overrides on 1% of schools), `scoring.decision.decide` for
every school, and `improvement_path` for every school (the reachable-levels check included).

    python benchmarks/bench_judgement.py --schools 2000
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from criteria import load_framework
from sample_data.generator import generate_district
from scoring import compile_framework, read_facts, read_ratings, score_district
from scoring.decision import decide
from scoring.improvement import improvement_path


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def bench(n_schools: int) -> dict[str, float]:
    fw = load_framework()
    compiled = compile_framework(fw)
    district = generate_district(n_schools, 7, fw)
    facts = read_facts(district.facts)
    ratings = read_ratings(district.ratings, fw, facts.index)
    codes = list(facts.index[:: max(1, 100)])
    overrides = pd.DataFrame(
        [(c, "A2.1.1", "C", "现场核查", "督学") for c in codes],
        columns=["school_code", "item_id", "level", "reason", "by"],
    )
    t_score, result = timed(lambda: score_district(compiled, facts, ratings, overrides=overrides))
    t_decide, _ = timed(lambda: [decide(result, c) for c in facts.index])
    t_paths, _ = timed(lambda: [improvement_path(result.inspection, n) for n in range(len(facts))])
    return {"score": t_score, "decide": t_decide, "paths": t_paths}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[2000])
    parser.add_argument("--smoke", action="store_true", help="a tiny district, once (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.schools = [20]
    for n in args.schools:
        r = bench(n)
        print(
            f"{n} schools: score {r['score']:.2f} s; "
            f"decide {r['decide']:.2f} s ({1000 * r['decide'] / n:.2f} ms a school);"
            f" improvement paths {r['paths']:.2f} s ({1000 * r['paths'] / n:.2f} ms a school)"
        )


if __name__ == "__main__":
    main()
