"""Every framework problem is reported, all at once, with its path, what was expected and what was found."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteria import load_framework, parse_framework, parse_framework_text
from i18n.problems import InputError


def problems_of(data: dict, lang: str = "en") -> list[str]:
    with pytest.raises(InputError) as err:
        parse_framework(data, "bad.yaml")
    return [p.render(lang) for p in err.value.problems]


ITEM0 = ("domains", 0, "indicators", 0, "items", 0)


def at(data: dict, path: tuple) -> dict:
    node = data
    for key in path:
        node = node[key]
    return node


CASES = [
    (
        "duplicate item id",
        lambda d: at(d, ("domains", 1, "indicators", 0, "items", 0)).update(id="i1"),
        "bad.yaml domains[1].indicators[0].items[0].id: duplicate item id i1",
    ),
    (
        "points do not sum",
        lambda d: at(d, ITEM0).update(points=5),
        "bad.yaml total_points: item points must add up to total_points 10, found 11",
    ),
    (
        "fraction above 1",
        lambda d: at(d, ITEM0)["levels"][0].update(fraction=1.5),
        "bad.yaml domains[0].indicators[0].items[0].levels[0].fraction: fraction must be within [0, 1], found 1.5",
    ),
    (
        "fractions not descending",
        lambda d: at(d, ITEM0)["levels"][2].update(fraction=0.7),
        "bad.yaml domains[0].indicators[0].items[0].levels[2].fraction: levels go from best to worst: "
        "fraction must be below the previous level's 0.5, found 0.7",
    ),
    (
        "unknown metric",
        lambda d: at(d, ("domains", 1, "indicators", 0, "items", 1))["rule"].update(metric="happiness"),
        "bad.yaml domains[1].indicators[0].items[1].rule.metric: unknown metric; known: career_course_hours",
    ),
    (
        "thresholds out of order",
        lambda d: at(d, ("domains", 1, "indicators", 0, "items", 1))["rule"]["thresholds"][1].update(bound=10),
        "bad.yaml domains[1].indicators[0].items[1].rule.thresholds[1].bound: for 'lower is better' bounds must "
        "increase: expected above 15.0, found 10.0",
    ),
    (
        "threshold naming an unknown level",
        lambda d: at(d, ("domains", 1, "indicators", 0, "items", 1))["rule"]["thresholds"][0].update(level="Z"),
        "bad.yaml domains[1].indicators[0].items[1].rule.thresholds[0].level: unknown level; known: A, B, D; found Z",
    ),
    (
        "veto naming an unknown item",
        lambda d: d["tiers"][0]["vetoes"][0].update(item="nope"),
        "bad.yaml tiers[0].vetoes[0].item: the framework has no item nope",
    ),
    (
        "veto naming an unknown level",
        lambda d: d["tiers"][1]["vetoes"][0].update(min_level="A+"),
        "bad.yaml tiers[1].vetoes[0].min_level: unknown level; known: A, B, C; found A+",
    ),
    (
        "unknown school stage",
        lambda d: at(d, ITEM0).update(applies_to=["primary", "kindergarten"]),
        "bad.yaml domains[0].indicators[0].items[0].applies_to[1]: expected one of",
    ),
    (
        "empty domain",
        lambda d: d["domains"].append({"id": "D3", "title": {"zh": "空领域"}, "indicators": []}),
        "bad.yaml domains[2].indicators: domain D3 has no items",
    ),
    (
        "missing Chinese label",
        lambda d: at(d, ITEM0)["title"].pop("zh"),
        "bad.yaml domains[0].indicators[0].items[0].title.zh: required field is missing",
    ),
    (
        "points as text",
        lambda d: at(d, ITEM0).update(points="four"),
        "bad.yaml domains[0].indicators[0].items[0].points: wrong type",
    ),
    (
        "unknown scoring method",
        lambda d: at(d, ITEM0).update(method="vibes"),
        "bad.yaml domains[0].indicators[0].items[0].method: expected one of 'rubric', 'quantitative', 'check', "
        "found 'vibes'",
    ),
    (
        "tiers out of order",
        lambda d: d["tiers"][1].update(min_score=50),
        "bad.yaml tiers[1].min_score: tiers go from lower to higher",
    ),
    (
        "level id NA reserved",
        lambda d: at(d, ITEM0)["levels"][2].update(id="NA"),
        "bad.yaml domains[0].indicators[0].items[0].levels[2].id: level id NA is reserved",
    ),
    (
        "fallback threshold with a bound",
        lambda d: at(d, ("domains", 1, "indicators", 0, "items", 1))["rule"]["thresholds"][2].update(bound=30),
        "bad.yaml domains[1].indicators[0].items[1].rule.thresholds[2].bound: the last threshold is the fallback",
    ),
    (
        "unknown field",
        lambda d: at(d, ITEM0).update(weight=3),
        "bad.yaml domains[0].indicators[0].items[0].weight: unknown field (value 3)",
    ),
]


@pytest.mark.parametrize(("case", "breaks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_named_with_its_path(mini_data, case, breaks, expected):
    breaks(mini_data)
    found = problems_of(mini_data)
    assert any(line.startswith(expected) for line in found), found


def test_all_rule_problems_are_reported_at_once(mini_data):
    """Five independent rule problems in one file: five lines, in framework order."""
    at(mini_data, ITEM0).update(points=5)
    at(mini_data, ITEM0)["levels"][0].update(fraction=1.5)
    at(mini_data, ("domains", 1, "indicators", 0, "items", 1))["rule"].update(metric="x")
    mini_data["tiers"][0]["vetoes"][0].update(item="nope")
    mini_data["domains"].append({"id": "D3", "title": {"zh": "空"}, "indicators": []})
    found = problems_of(mini_data)
    assert len(found) == 5
    assert [line.split(":")[0] for line in found] == [
        "bad.yaml domains[2].indicators",
        "bad.yaml total_points",
        "bad.yaml domains[0].indicators[0].items[0].levels[0].fraction",
        "bad.yaml domains[1].indicators[0].items[1].rule.metric",
        "bad.yaml tiers[0].vetoes[0].item",
    ]


def test_messages_are_chinese_by_default(mini_data):
    at(mini_data, ITEM0).update(points=5)
    assert problems_of(mini_data, "zh") == ["bad.yaml total_points: 各项目分值之和应等于总分 10，实际为 11"]


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(InputError) as err:
        parse_framework_text("schema_version: 1\nid: [unclosed\n", "broken.yaml")
    problem = err.value.problems[0]
    assert problem.file == "broken.yaml"
    assert problem.row is not None and problem.row >= 2


def test_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError) as err:
        load_framework(tmp_path / "none.yaml")
    assert err.value.problems[0].key == "file.unreadable"


def test_not_a_mapping():
    with pytest.raises(InputError) as err:
        parse_framework_text("- just\n- a list\n", "list.yaml")
    assert "expected a framework" in err.value.render("en")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_nan_and_infinity_are_refused(mini_data, value):
    at(mini_data, ITEM0).update(points=value)
    assert any("items[0].points" in line for line in problems_of(mini_data))


def test_a_duplicate_item_is_reported_at_its_own_path(mini_data):
    """The second i1 (in D2) has negative points: the problem names D2's item, not the valid first i1."""
    at(mini_data, ("domains", 1, "indicators", 0, "items", 0)).update(id="i1", points=-3)
    found = problems_of(mini_data)
    assert "bad.yaml domains[1].indicators[0].items[0].points: expected a positive number, found -3.0" in found


def test_repeated_yaml_keys_are_refused():
    with pytest.raises(InputError) as err:
        parse_framework_text("schema_version: 1\nid: a\nid: b\n", "twice.yaml")
    assert err.value.render("en") == "twice.yaml row 3: key 'id' appears twice in one mapping"
