"""Benchmark of a several-server deployment, all on loopback (tests/topology/topology.py starts it).

zip:  every school's Word report of a synthetic district as one zip, run by 1 and by 2 `xinyu worker`
      processes (PostgreSQL, Redis queue, S3-compatible storage): wall time from the job's start to its
      stored result, and the peak memory (VmHWM) of each worker.
load: a bounded load test from this process against nginx in front of 1 and 2 Streamlit servers: each
      simulated browser opens a WebSocket session as a browser does (Streamlit's own protocol), signs in
      as the bureau and opens pages; requests per second and the 95th percentile of the page times.

    python benchmarks/bench_scale.py zip --schools 400
    python benchmarks/bench_scale.py load --schools 2000 --clients 4 --requests 10
    python benchmarks/bench_scale.py zip --smoke && python benchmarks/bench_scale.py load --smoke
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "topology"))
from topology import CREDENTIALS, Topology, can_run  # noqa: E402

from jobs.queue import QueueRunner  # noqa: E402
from store.records import SYSTEM, CycleStatus  # noqa: E402
from store.services import Services  # noqa: E402


def peak_mb(pid: int) -> float:
    """The peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def zip_run(schools: int, workers: int, part_size: int) -> dict[str, float]:
    """One zip job of every school's report on `workers` workers."""
    with tempfile.TemporaryDirectory(prefix="xinyu-bench-") as folder:
        topo = Topology(
            Path(folder), servers=0, workers=workers, schools=schools, part_size=part_size, stale_seconds=60
        )
        with topo:
            os.environ.update(CREDENTIALS)
            settings = topo.settings()
            sv = Services.from_settings(settings)
            try:
                past = next(c for c in sv.cycles.list_cycles(SYSTEM) if c.status == CycleStatus.CLOSED)
                params = {"cycle_id": past.id, "kind": "docx", "finalized_only": False, "lang": "zh"}
                started = time.perf_counter()
                job, _ = sv.jobs.start(SYSTEM, "reports_zip", params, cycle_id=past.id)
                QueueRunner(settings).submit(job.id)
                while not (job := sv.jobs.peek([job.id])[0]).finished:
                    time.sleep(0.1)
                wall = time.perf_counter() - started
                assert job.state == "done", job.error_lines("en")
                peaks = [peak_mb(p.pid) for n, p in topo.procs.items() if n.startswith("worker")]
                return {
                    "schools": job.total,
                    "workers": workers,
                    "wall": wall,
                    "per_school_ms": 1000 * wall / job.total,
                    "peak_mb": max(peaks),
                    "zip_mb": (job.result_size or 0) / 1048576,
                }
            finally:
                sv.close()


def zip_bench(args: argparse.Namespace) -> None:
    rows = [zip_run(args.schools, w, args.part_size) for w in (1, 2)]
    print("| schools | workers | wall (s) | per school (ms) | peak memory per worker (MB) | zip (MB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cells = (r["schools"], r["workers"], r["wall"], r["per_school_ms"], r["peak_mb"], r["zip_mb"])
        print("| {:.0f} | {:.0f} | {:.1f} | {:.0f} | {:.0f} | {:.1f} |".format(*cells))
    print(f"speed-up with 2 workers: {rows[0]['wall'] / rows[1]['wall']:.2f}x")


def load_bench(args: argparse.Namespace) -> None:
    from loadkit import run_load

    print(
        "| app servers | clients | timed page requests | requests/s | page p50 (ms) | page p95 (ms) "
        "| first visit p95 (ms) | sign-in p95 (ms) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for servers in (1, 2):
        with tempfile.TemporaryDirectory(prefix="xinyu-bench-") as folder:
            with Topology(Path(folder), servers=servers, workers=0, schools=args.schools) as topo:
                bureau_password(topo)
                r = run_load(topo.proxy, args.clients, args.requests)
            pages = r["pages"]
            print(
                f"| {servers} | {args.clients} | {len(pages)} | {len(pages) / r['wall']:.1f} | "
                f"{1000 * statistics.median(pages):.0f} | {1000 * p95(pages):.0f} | {1000 * p95(r['cold']):.0f} | "
                f"{1000 * p95(r['signins']):.0f} |"
            )


def bureau_password(topo: Topology) -> None:
    """The bureau's first-start password changed (as its first sign-in would), to the load test's own."""
    from loadkit import PASSWORD as LOAD_PASSWORD
    from topology import PASSWORD

    os.environ.update(CREDENTIALS)
    sv = Services.from_settings(topo.settings())
    try:
        sv.accounts.change_own_password(sv.accounts.authenticate("bureau", PASSWORD), PASSWORD, LOAD_PASSWORD)
    finally:
        sv.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=["zip", "load"], help="one part (default with --smoke: both)")
    parser.add_argument("--schools", type=int, default=400)
    parser.add_argument("--part-size", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=10, help="page requests per client after signing in")
    parser.add_argument("--smoke", action="store_true", help="a tiny run (CI)")
    args = parser.parse_args()
    reason = can_run()
    if reason:
        raise SystemExit(reason)
    if args.smoke:
        args.schools, args.part_size, args.clients, args.requests = 12, 5, 2, 2
    if args.what is None and not args.smoke:
        parser.error("name the part to run: zip or load")
    for what in [args.what] if args.what else ["zip", "load"]:
        (zip_bench if what == "zip" else load_bench)(args)


if __name__ == "__main__":
    main()
