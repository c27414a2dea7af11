"""The bundled Changning framework: valid, cited clause by clause, sensible for every stage."""

from __future__ import annotations

import re

import pytest

from criteria import DEFAULT_FRAMEWORK, QuantitativeItem, Stage, framework_hash, load_framework
from scoring.metrics import METRICS

FW = load_framework(DEFAULT_FRAMEWORK)
CLAUSE = re.compile(r"^[一二三四五六七八九十]+(\([一二三四五六七八九十]+\)(\d+([-–、,]\d+)*)?)?")


def test_points_sum_to_total():
    assert sum(item.points for item in FW.items()) == pytest.approx(FW.total_points) == pytest.approx(100)


def test_every_item_cites_a_clause_of_the_plan():
    bad = [(item.id, item.clause) for item in FW.items() if not CLAUSE.match(item.clause)]
    assert bad == []


def test_tiers_are_standard_then_model():
    assert [tier.id for tier in FW.tiers] == ["standard", "model"]
    assert [tier.name.zh for tier in FW.tiers] == ["达标校", "示范校"]


def test_plan_quantities_are_computed_from_facts():
    """Everything the plan quantifies is a quantitative item on the matching metric."""
    metrics = {item.rule.metric for item in FW.items() if isinstance(item, QuantitativeItem)}
    assert metrics == set(METRICS)


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_gets_most_of_the_framework(stage):
    applicable = [item for item in FW.items() if stage in item.applies_to]
    assert len(applicable) >= 30
    assert sum(item.points for item in applicable) >= 85


def test_course_items_split_by_stage():
    course = {item.rule.metric: item for item in FW.items() if isinstance(item, QuantitativeItem)}
    assert Stage.VOCATIONAL not in course["course_stage_coverage"].applies_to
    assert course["career_course_hours"].applies_to == [Stage.VOCATIONAL]


def test_every_label_has_english():
    missing = [item.id for item in FW.items() if not item.title.en]
    assert missing == []


def test_hash_is_stable_and_content_based():
    assert framework_hash(FW) == framework_hash(load_framework(DEFAULT_FRAMEWORK))
    changed = FW.model_copy(update={"version": "other"})
    assert framework_hash(changed) != framework_hash(FW)
