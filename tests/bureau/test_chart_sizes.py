"""Every bureau chart at 1, 2, 7, 40 and 2,000 schools, checked on its Vega-Lite spec (`chart.to_dict()`).

The browser test (tests/browser/test_browser_charts.py) draws the same charts and screenshots them.
What failed before: the heatmap was one fixed height for all rows, so 1 or 7 schools collapsed to a
line; a one-cycle trend drew a line of one point; the bias chart thinned out its labels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from chartkit import SIZES, frames, inspectors

from ui.bureau import charts


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def rows(spec: dict) -> int:
    return len(next(iter(spec["datasets"].values())))


@pytest.fixture(scope="module", params=SIZES)
def sized(request: pytest.FixtureRequest) -> tuple[int, dict[str, dict]]:
    n = request.param
    return n, {name: chart.to_dict() for name, chart in frames(n).items()}


def test_every_chart_has_room_for_its_axis_titles_and_never_thins_its_labels(sized):
    _, specs = sized
    for name, spec in specs.items():
        assert spec["padding"] == charts.PADDING, name
        assert spec["config"]["axis"]["labelOverlap"] is False, name
        assert spec["config"]["axis"]["titlePadding"] >= 8, name
        for layer in layers(spec):
            for channel in ("x", "y"):
                title = layer["encoding"].get(channel, {}).get("title")
                assert title != "", (name, channel)  # a title is words or left out, never an empty box


def test_the_heatmap_gives_each_named_school_a_row_and_bounds_a_long_list(sized):
    n, specs = sized
    spec = specs["heatmap"]
    assert rows(spec) == n  # one row per school, folded into cells by Vega-Lite
    if n <= charts.LABELLED_ROWS:
        assert spec["height"] == {"step": charts.ROW_STEP}  # 1 school or 60: each a 24-px row, never a line
        assert spec["encoding"]["y"]["axis"]["labelLimit"] >= 200
    else:
        assert spec["height"] == min(max(2 * n, 400), 1600)
        assert spec["encoding"]["y"]["axis"]["labels"] is False
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 100]


def test_bars_name_every_row_so_the_flagged_inspector_is_named(sized):
    n, specs = sized
    for name in ("weakest", "agreement", "bias", "overrating"):
        spec = specs[name]
        y = spec["encoding"]["y"]
        assert y["axis"]["labelOverlap"] is False, name
        assert spec["height"]["step"] in (charts.BAR_STEP, charts.THIN_STEP), name
    bias = specs["bias"]
    assert rows(bias) == inspectors(n)
    assert bias["height"] == {"step": charts.BAR_STEP if inspectors(n) <= charts.LABELLED_ROWS else charts.THIN_STEP}


def test_a_trend_of_one_cycle_is_bars_and_of_two_a_line_on_a_fixed_percent_axis(sized):
    _, specs = sized
    one, two = specs["trend_one_cycle"], specs["trend_two_cycles"]
    assert one["mark"]["type"] == "bar" and one["encoding"]["xOffset"]["field"] == "series"
    assert two["mark"]["type"] == "line" and two["mark"]["point"]["filled"] is True
    for spec in (one, two):
        assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
        assert spec["encoding"]["x"]["title"] == "评估周期" and spec["encoding"]["y"]["title"] == "数值（%）"


def test_counts_and_bullets_keep_their_shape(sized):
    n, specs = sized
    tiers = specs["tiers"]
    assert [layer["mark"]["type"] for layer in tiers["layer"]] == ["bar", "text"]  # counts written on the bars
    assert tiers["layer"][0]["encoding"]["y"]["axis"]["format"] == "d"
    for name in ("pass_rate", "targets"):
        spec = specs[name]
        assert spec["height"] == {"step": 34}
        assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "tick"]
    grouped = specs["grouped"]
    assert rows(grouped) == 7 * min(n, 6)
    assert grouped["encoding"]["color"]["legend"]["orient"] == "bottom"
