"""Builders for the bureau tests: districts with per-school facts, and a second version of mini.yaml.

mini.yaml (version 1): D1 = i1 rubric 4 (A 1, B .5, C 0) + i2 check 2 (N/A allowed); D2 = i3 rubric 3
(primary only, A 1, B .6, C .3, D 0) + i4 students per mentor 1 (A ≤ 15, B ≤ 20, else D). Standard: ≥ 60,
every domain ≥ 50%, veto i2 = Y. Model: ≥ 90, veto i1 = A.

mini v2 (built by `v2_data`) changes, on purpose: standard min 60 → 65 and no domain minimum; model veto
i1 A removed and i5 B added; i1 4 → 3 points, levels A, B, C → A, B, D and B .5 → .4; new rubric i5
(4 points, D1); i2 moved to D2/B2; i4 bound A 15 → 12; i3 removed. Points: 3 + 4 + 2 + 1 = 10.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

import pandas as pd
import pytest

from criteria import Framework, parse_framework
from scoring.inputs import read_facts
from testkit import facts_rows


def v2_data(v1: dict) -> dict:
    """mini.yaml data edited into version 2 (see the module docstring)."""
    data = copy.deepcopy(v1)
    data["version"] = "2"
    standard, model = data["tiers"]
    standard["min_score"] = 65
    del standard["domain_min_pct"]
    model["vetoes"] = [{"item": "i5", "min_level": "B"}]
    d1, d2 = data["domains"]
    i1, i2 = d1["indicators"][0]["items"]
    _i3, i4 = d2["indicators"][0]["items"]  # i3 is dropped
    i1["points"] = 3
    i1["levels"] = [
        {"id": "A", "label": {"zh": "优"}, "fraction": 1.0},
        {"id": "B", "label": {"zh": "良"}, "fraction": 0.4},
        {"id": "D", "label": {"zh": "差"}, "fraction": 0.0},
    ]
    i5 = {
        "id": "i5",
        "title": {"zh": "项目五", "en": "Item five"},
        "clause": "三(五)12",
        "method": "rubric",
        "points": 4,
        "levels": [
            {"id": "A", "label": {"zh": "优"}, "fraction": 1.0},
            {"id": "B", "label": {"zh": "良"}, "fraction": 0.5},
            {"id": "C", "label": {"zh": "差"}, "fraction": 0.0},
        ],
    }
    d1["indicators"][0]["items"] = [i1, i5]
    i4["rule"]["thresholds"][0]["bound"] = 12
    d2["indicators"][0]["items"] = [i2, i4]
    return data


@pytest.fixture
def mini_v2(mini_data: dict) -> Framework:
    """Version 2 of the mini framework."""
    return parse_framework(v2_data(mini_data), "mini-v2")


@pytest.fixture
def make_district() -> Callable[..., pd.DataFrame]:
    """Checked facts from (code, stages, {fact: value}) triples, each school with its own facts."""

    def build(*schools: tuple[str, str, Mapping[str, object]]) -> pd.DataFrame:
        frames = [facts_rows((code, stages), **dict(overrides)) for code, stages, overrides in schools]
        return read_facts(pd.concat(frames, ignore_index=True))

    return build
