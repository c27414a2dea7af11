"""Shared fixtures: the small hand-computable framework and builders of facts and ratings frames."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from criteria import Framework, load_framework
from scoring.inputs import read_facts, read_ratings
from testkit import facts_rows

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"


@pytest.fixture(scope="session")
def mini() -> Framework:
    """The 10-point framework of tests/data/mini.yaml (see its comments)."""
    return load_framework(MINI)


@pytest.fixture
def mini_data() -> dict:
    """mini.yaml as plain data, to break in tests."""
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


@pytest.fixture
def make_facts() -> Callable[..., pd.DataFrame]:
    """Checked facts for (code, stages) pairs; keyword arguments override facts for every school."""

    def build(*schools: tuple[str, str], **overrides: object) -> pd.DataFrame:
        return read_facts(facts_rows(*schools, **overrides))

    return build


@pytest.fixture
def make_ratings() -> Callable[..., pd.DataFrame]:
    """Checked ratings from (school, item, rater, role, level) tuples."""

    def build(
        framework: Framework, facts: pd.DataFrame, rows: Iterable[tuple[str, str, str, str, str]]
    ) -> pd.DataFrame:
        frame = pd.DataFrame(list(rows), columns=["school_code", "item_id", "rater", "role", "level"])
        return read_ratings(frame, framework, facts.index)

    return build
