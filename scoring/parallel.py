"""Work split over the cores: numpy's and arrow's kernels let go of the interpreter, so threads run them at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


MOST_WORKERS = 4  # each worker holds one part's temporaries: past four, more cores would cost memory for little time


def map_parts(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """`work(part)` for every part, results in the parts' order: up to four parts at once on as many cores."""
    workers = min(len(parts), cores(), MOST_WORKERS)
    if workers < 2:
        return [work(part) for part in parts]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, parts))  # (the first error is raised here)
