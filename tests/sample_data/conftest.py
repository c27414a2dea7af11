"""Frameworks for the sample-data tests: a built one of realistic size, and the bundled one when it loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from criteria import Framework, load_framework, parse_framework

STAGE_SETS: list[list[str]] = [
    ["primary", "junior", "senior", "vocational", "special"],
    ["primary", "junior", "senior", "vocational", "special"],
    ["junior", "senior", "vocational"],
    ["vocational"],
    ["primary", "special"],
]


def built_framework_data(rated: int = 30, quantitative: int = 4) -> dict[str, Any]:
    """A valid framework of `rated` rubric/check items and `quantitative` computed ones, 100 points."""
    metrics = ["students_per_mentor", "screening_coverage", "counselling_room_conditions"]
    items: list[dict[str, Any]] = []
    total = rated + quantitative
    for n in range(total):
        item: dict[str, Any] = {
            "id": f"x{n + 1:02d}",
            "title": {"zh": f"项目{n + 1}"},
            "clause": "三(一)1",
            "points": 100 / total,
            "applies_to": STAGE_SETS[n % len(STAGE_SETS)],
            "allow_na": n % 4 == 1,
        }
        if n >= rated:
            metric = metrics[(n - rated) % len(metrics)]
            lower = metric == "students_per_mentor"
            item |= {
                "method": "quantitative",
                "allow_na": False,
                "levels": [
                    {"id": "A", "label": {"zh": "优"}, "fraction": 1.0},
                    {"id": "C", "label": {"zh": "差"}, "fraction": 0.0},
                ],
                "rule": {
                    "metric": metric,
                    "direction": "lower" if lower else "higher",
                    "thresholds": [{"level": "A", "bound": 15 if lower else 1}, {"level": "C"}],
                },
            }
        elif n % 3 == 2:
            item["method"] = "check"
        else:
            fractions = [1.0, 0.8, 0.6, 0.0] if n % 2 else [1.0, 0.5, 0.0]
            item |= {
                "method": "rubric",
                "levels": [
                    {"id": lv, "label": {"zh": lv}, "fraction": f}
                    for lv, f in zip("ABCD"[: len(fractions)], fractions, strict=True)
                ],
            }
        items.append(item)
    half = total // 2
    veto = {"item": "x03", "min_level": "Y"}
    domains = [
        {
            "id": f"D{d}",
            "title": {"zh": f"领域{d}"},
            "indicators": [{"id": f"B{d}", "title": {"zh": "指标"}, "items": part}],
        }
        for d, part in ((1, items[:half]), (2, items[half:]))
    ]
    return {
        "schema_version": 1,
        "id": "built",
        "version": "1",
        "name": {"zh": "测试框架"},
        "total_points": 100,
        "tiers": [
            {"id": "standard", "name": {"zh": "达标校"}, "min_score": 60, "vetoes": [veto]},
            {"id": "model", "name": {"zh": "示范校"}, "min_score": 90},
        ],
        "domains": domains,
    }


@pytest.fixture(scope="session")
def make_framework() -> Callable[..., Framework]:
    """A builder of valid frameworks: make_framework(rated=30, quantitative=4)."""
    return lambda rated=30, quantitative=4: parse_framework(built_framework_data(rated, quantitative))


@pytest.fixture(scope="session")
def built_framework() -> Framework:
    """30 rated items (rubric with 3 or 4 levels, checks; some N/A allowed; stage-specific) and 4 computed."""
    return parse_framework(built_framework_data())


@pytest.fixture(scope="session")
def bundled_framework() -> Framework:
    """The bundled framework."""
    return load_framework()


@pytest.fixture(scope="session", params=["built", "bundled"])
def framework(request: pytest.FixtureRequest) -> Framework:
    """Each framework in turn: the built one and the bundled one."""
    if request.param == "built":
        return request.getfixturevalue("built_framework")
    return request.getfixturevalue("bundled_framework")
