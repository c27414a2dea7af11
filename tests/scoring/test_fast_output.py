"""Reasons worded per failure pattern and the vectorised CSV text are exactly what the school-by-school code gave."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.output import csv_parts, csv_text
from criteria import load_framework
from sample_data.generator import generate_district
from scoring import score_district
from scoring.inputs import read_facts, read_ratings
from testkit import facts_rows

LEVELS = {"i1": ["A", "B", "C"], "i2": ["Y", "N", "NA"], "i3": ["A", "B", "C", "D", "NA"]}
STAGES = ["primary", "junior", "primary;junior"]


@st.composite
def districts(draw):
    """Up to six schools of the mini framework: some rated by themselves, some inspected, some not at all."""
    n = draw(st.integers(1, 6))
    schools = [(f"S{k}", draw(st.sampled_from(STAGES))) for k in range(n)]
    mentors = [draw(st.sampled_from([1, 15, 20, 30])) for _ in schools]  # staff is 30
    rows = []
    for code, _ in schools:
        for role, rater in (("self", "s"), ("inspector", "p"), ("inspector", "q"), ("consensus", "lead")):
            if not draw(st.integers(0, 2)):
                continue
            for item, levels in LEVELS.items():
                if draw(st.booleans()):
                    rows.append((code, item, rater, role, draw(st.sampled_from(levels))))
    return schools, mentors, rows


def reasons_both_ways(result, lang):
    frame = result.to_frame(lang)
    return frame["reasons"].tolist(), [result._reason_text(code, lang) for code in result.schools]


@settings(max_examples=150, deadline=None)
@given(districts(), st.sampled_from(["zh", "en"]))
def test_reasons_per_pattern_equal_reasons_per_school(mini, district, lang):
    schools, mentors, rows = district
    raw = facts_rows(*schools)
    raw["mentors"] = [str(m) for m in mentors]
    facts = read_facts(raw)
    ratings = read_ratings(
        pd.DataFrame(rows, columns=["school_code", "item_id", "rater", "role", "level"]), mini, facts.index
    )
    result = score_district(mini, facts, ratings)
    fast, slow = reasons_both_ways(result, lang)
    assert fast == slow
    frame = result.to_frame(lang).reset_index()
    assert csv_text(frame) == frame.to_csv(index=False)


@pytest.mark.parametrize("seed", [3, 11])
def test_generated_district_reasons_and_csv(seed):
    fw = load_framework()
    district = generate_district(400, seed=seed, framework=fw)
    facts = read_facts(district.facts.astype(str))
    result = score_district(fw, facts, district.ratings)
    for lang in ("zh", "en"):
        fast, slow = reasons_both_ways(result, lang)
        assert fast == slow
        frame = result.to_frame(lang).reset_index()
        assert csv_text(frame) == frame.to_csv(index=False)
        # as `xinyu score` writes it: reasons as distinct texts with a code per school, lines joined in blocks
        table = {"school_code": result.table.codes, **result.columns(lang, arrow_text=True)}
        header, blocks = csv_parts(table, block_rows=37)
        assert len(blocks) == 11 and (header + b"".join(blocks)).decode() == frame.to_csv(index=False)


FLOATS = st.one_of(
    st.integers(-1000, 1000).map(lambda k: round(k / 10, 1)),  # scores and percentages: tenths
    st.integers(-10000, 10000).map(lambda k: round(k / 100, 2)),  # points: hundredths
    st.sampled_from([float("nan"), -0.0, 0.0, 1e-7, 123456789.125, float("inf")]),
    st.floats(allow_nan=True, allow_infinity=False),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FLOATS, min_size=1, max_size=30), st.lists(st.text(max_size=5), min_size=1, max_size=30))
def test_numbers_and_text_are_written_as_pandas_writes_them(numbers, words):
    rows = min(len(numbers), len(words))
    frame = pd.DataFrame({"n": numbers[:rows], "w": pd.Series(words[:rows], dtype=object)})
    assert csv_text(frame) == frame.to_csv(index=False)
    assert csv_text({"n": frame["n"].to_numpy(), "w": frame["w"].to_numpy()}) == frame.to_csv(index=False)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(FLOATS, min_size=1, max_size=30),
    st.lists(st.text(max_size=5), min_size=1, max_size=30),
    st.integers(1, 8),
)
def test_lines_joined_in_blocks_of_rows_are_the_lines_joined_at_once(numbers, words, block_rows):
    """Large tables are joined a block of rows per core: the blocks, in order, are the whole table's lines."""
    rows = min(len(numbers), len(words))
    frame = pd.DataFrame({"n": numbers[:rows], "w": pd.Series(words[:rows], dtype=object)})
    header, blocks = csv_parts(frame, block_rows=block_rows)
    assert len(blocks) == -(-rows // block_rows)
    assert (header + b"".join(blocks)).decode() == frame.to_csv(index=False)


def test_pandas_own_column_types_are_written_as_pandas_writes_them():
    frame = pd.DataFrame(
        {
            "count": pd.array([1, None, 3], dtype="Int64"),
            "kind": pd.Categorical([1, None, 2]),
            "text": pd.Series(["a", None, "b,c"], dtype="str"),
            "flag": [True, False, True],
        }
    )
    assert csv_text(frame) == frame.to_csv(index=False)


@settings(max_examples=100, deadline=None)
@given(st.data(), st.integers(1, 40), st.lists(st.sampled_from([1, 2, 7, 100_000, 2**32 - 1]), min_size=0, max_size=8))
def test_patterns_number_rows_by_their_codes(data, rows, sizes):
    """Rows share a pattern exactly when their codes agree in every column, and each pattern names its first row.

    Large column sizes make the digits overflow, so the numbers are renumbered on the way (that path too).
    """
    import numpy as np

    from scoring.reasons import _patterns

    codes = [
        np.array(data.draw(st.lists(st.integers(-1, min(size - 1, 2)), min_size=rows, max_size=rows)), dtype=np.int64)
        for size in sizes
    ]
    pattern, first = _patterns(rows, codes, sizes)
    keys = [tuple(int(c[r]) for c in codes) for r in range(rows)]
    assert len(pattern) == rows
    for a in range(rows):
        for b in range(rows):
            assert (pattern[a] == pattern[b]) == (keys[a] == keys[b])
        assert first[pattern[a]] == keys.index(keys[a])
    assert sorted(set(pattern.tolist())) == list(range(len(first)))
