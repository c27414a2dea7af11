"""Every benchmark runs once on a tiny size (`--smoke`), so that none of them can rot unnoticed.

Each file benchmarks/bench_*.py is found here by itself and must accept `--smoke` (a few schools, one run);
a new benchmark is covered the day it is added. The figures are not checked: only that it runs to the end.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))  # helpers (e.g. loadkit.py) are no benchmarks


def test_there_are_benchmarks():
    assert {"bench_cli.py", "bench_scoring.py", "bench_store.py"} <= {p.name for p in BENCHMARKS}


@pytest.mark.parametrize("bench", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_runs_on_a_tiny_size(bench: Path, tmp_path: Path) -> None:
    assert "--smoke" in bench.read_text(encoding="utf-8"), f"{bench.name} must accept --smoke"
    done = subprocess.run(
        [sys.executable, str(bench), "--smoke"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{bench.name} --smoke failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert done.stdout.strip(), f"{bench.name} --smoke printed nothing"
