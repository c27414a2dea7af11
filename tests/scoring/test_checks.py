"""The pandas-free path of `xinyu score` agrees with the frame path, cell for cell.

`scoring.checks` reads numbers as pandas' `to_numeric` did, the arrays it gives (`SchoolFacts`,
`CheckedRatings`) score exactly as the frames `read_facts` and `read_ratings` give, and the arrow
arrays built from numpy buffers hold exactly the text they were given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.output import csv_text
from criteria import DEFAULT_FRAMEWORK, load_framework
from i18n.problems import InputError
from sample_data.generator import main as generate
from scoring import score_district
from scoring.buffers import number_array, text_array, texts_of, values
from scoring.checks import load_facts, load_ratings, number
from scoring.inputs import read_facts, read_ratings
from scoring.school_facts import SchoolFacts

ROOT = Path(__file__).resolve().parents[2]
NUMBERISH = st.text(alphabet="0123456789.+-eE_ infatyINFATY１٣,x\t", max_size=8)


@settings(max_examples=400, deadline=None)
@given(NUMBERISH)
def test_numbers_are_read_as_pandas_read_them(cell):
    ours = number(cell.strip())
    theirs = float(pd.to_numeric(pd.Series([cell.strip()], dtype="str"), errors="coerce").astype("float64")[0])
    assert np.isfinite(ours) == np.isfinite(theirs), (cell, ours, theirs)
    if np.isfinite(ours):
        assert ours == theirs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=8), st.data())
def test_text_arrays_hold_the_words_they_were_given(words, data):
    assert text_array(words).to_pylist() == words
    codes = np.array(data.draw(st.lists(st.integers(-1, len(words) - 1), max_size=6)) if words else [], dtype=np.int64)
    taken = texts_of(words, codes).to_pylist()
    assert taken == [None if c < 0 else words[c] for c in codes]


def test_number_arrays_round_trip_and_text_arrays_refuse_other_cells():
    ints = np.array([3, -1, 7], dtype=np.int64)
    assert values(number_array(ints)).tolist() == [3, -1, 7]
    assert number_array(ints, ints < 0).to_pylist() == [3, None, 7]
    with pytest.raises(TypeError):
        text_array(["a", None])  # type: ignore[list-item]


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("district")
    generate(schools=60, seed=7, out=folder)
    return folder


def test_arrays_and_frames_give_the_same_facts(district):
    frame = read_facts(district / "facts.csv")
    table = load_facts(district / "facts.csv")
    pd.testing.assert_frame_equal(table.frame(), frame)
    pd.testing.assert_frame_equal(SchoolFacts.of(frame).frame(), frame)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_arrays_score_exactly_as_frames(district, lang):
    fw = load_framework(DEFAULT_FRAMEWORK)
    facts = read_facts(district / "facts.csv")
    by_frames = score_district(fw, facts, read_ratings(district / "ratings.csv", fw, facts.index))
    table = load_facts(district / "facts.csv")
    by_arrays = score_district(fw, table, load_ratings(district / "ratings.csv", fw, table.positions, texts=False))
    expected = by_frames.to_frame(lang).reset_index()
    assert csv_text({"school_code": by_arrays.table.codes, **by_arrays.columns(lang)}) == csv_text(expected)
    pd.testing.assert_frame_equal(by_arrays.to_frame(lang), by_frames.to_frame(lang))
    assert list(by_arrays.schools) == list(by_frames.schools)


def test_the_score_command_writes_what_the_frames_give(district, tmp_path):
    out = tmp_path / "scores.csv"
    command = [sys.executable, "-m", "cli.main", "score", "--out", str(out), "--lang", "en"]
    command += ["--facts", str(district / "facts.csv"), "--ratings", str(district / "ratings.csv")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    fw = load_framework(DEFAULT_FRAMEWORK)
    facts = read_facts(district / "facts.csv")
    expected = score_district(fw, facts, read_ratings(district / "ratings.csv", fw, facts.index))
    assert out.read_text(encoding="utf-8-sig") == csv_text(expected.to_frame("en").reset_index())


def test_a_ratings_frame_is_checked_for_its_columns_before_its_cells(district):
    fw = load_framework(DEFAULT_FRAMEWORK)
    facts = read_facts(district / "facts.csv")
    frame = pd.read_csv(district / "ratings.csv", dtype=str, keep_default_na=False).head(50)
    odd = frame.assign(extra=[[1]] * len(frame))  # an unknown column holding anything: named, not read
    with pytest.raises(InputError) as refused:
        read_ratings(odd, fw, facts.index)
    assert [p.key for p in refused.value.problems] == ["input.unknown_column"]
    listed = read_ratings(frame.assign(account=[[1]] * len(frame)), fw, facts.index)  # texts as they are written
    assert listed["account"].iloc[0] == "[1]"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "b", "甲", " a"])), max_size=5), max_size=5))
def test_coded_columns_hold_every_chunks_cells_missing_ones_as_empty_text(chunks):
    """Chunks with their own dictionaries (as the reader gives them), some all null: each cell's text, None as ''."""
    import pyarrow as pa

    from scoring.columnar import coded

    column = pa.chunked_array(
        [pa.array(chunk, pa.string()).dictionary_encode() for chunk in chunks], pa.dictionary(pa.int32(), pa.string())
    )
    got = coded(column)
    assert got.texts().tolist() == ["" if c is None else c for chunk in chunks for c in chunk]
    assert len(set(got.words.tolist())) == len(got.words)  # each word once


def test_a_null_word_in_a_dictionary_is_empty_text():
    """A dictionary may hold a null word (other writers than ours): its cells read as '' like any missing cell."""
    import pyarrow as pa

    from scoring.columnar import coded

    odd = pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 2, 1], pa.int32()), pa.array(["a", None, "b"]))
    got = coded(pa.chunked_array([odd, pa.array(["b", None, ""]).dictionary_encode()]))
    assert got.texts().tolist() == ["a", "", "", "b", "", "b", "", ""]
    assert sorted(got.words.tolist()) == ["", "a", "b"]
