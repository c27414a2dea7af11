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


def map_parts(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """`work(part)` for every part, results in the parts' order: on every core at once when there are two or more."""
    workers = min(len(parts), cores())
    if workers < 2:
        return [work(part) for part in parts]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, parts))  # (the first error is raised here)
