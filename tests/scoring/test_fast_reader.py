"""The columnar reader agrees with the reader it replaced, on random valid and invalid files (hypothesis).

The oracle is `reference_inputs.py`, the reader of commit 2204ea2 kept verbatim. For every generated
file both read it: when the old one refused it, the new one refuses it with the same problems in the
same order and words (file, line, column, expected, found); when the old one accepted it, the new one
returns the same frame. Files are written as a spreadsheet or a hand would: quoted cells with commas,
quotes and line breaks, blank lines, spaces around codes and header names, a BOM or none, short and
long rows, missing and unknown columns, repeated ratings, cells that are not numbers.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import reference_inputs as old

from criteria import load_framework
from i18n.problems import InputError
from scoring import inputs as new
from scoring.facts import FACT_FIELDS

MINI = load_framework(Path(__file__).resolve().parents[1] / "data" / "mini.yaml")
RUNS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.sampled_from(["", "学校", "长宁区第一小学", "a,b", 'say "hi"', "line\nbreak", " spaced ", "x"])
CODES = st.sampled_from(["S1", "S2", "S3", " S1", "S2 ", "", "S9"])
STAGES = st.sampled_from(["primary", "小学;初中", "junior, senior", "幼儿园", "", "Primary", "vocational"])
NUMBERS = st.sampled_from(
    ["0", "1", "2", "6", "30", "300", "2.5", "-1", "abc", "", " 3 ", "1e3", "inf", "nan", "是", "否", "yes", "99999"]
)
FACT_NAMES = [f.name for f in FACT_FIELDS]


def outcome(call):
    """('ok', frame) or ('refused', problems in both languages)."""
    try:
        return "ok", call()
    except InputError as error:
        return "refused", [(p.render("en"), p.render("zh")) for p in error.problems]


def csv_file(header: list[str], rows: list[list[str]], bom: bool, blank_line: bool, crlf: bool) -> bytes:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if crlf and bom else csv.QUOTE_MINIMAL  # some systems quote every cell, header too
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n", quoting=quoting)
    writer.writerow(header)
    for n, row in enumerate(rows):
        writer.writerow(row)
        if blank_line and n == 0:
            buffer.write("\n")
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


@st.composite
def facts_files(draw) -> bytes:
    columns = ["school_code", "school_name", "stages", "street", *FACT_NAMES]
    if draw(st.booleans()):
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.integers(0, 4)) == 0:
        columns.append("favourite_colour")
    header = [f" {c}" if draw(st.integers(0, 6)) == 0 else c for c in columns]
    good = {"students": "300", "grades": "6", "campuses": "1", "staff": "30", "mentors": "20"}
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = []
        for c in columns:
            if c == "school_code":
                row.append(draw(CODES))
            elif c in ("school_name", "street", "favourite_colour"):
                row.append(draw(TEXT))
            elif c == "stages":
                row.append(draw(STAGES))
            else:
                row.append(draw(NUMBERS) if draw(st.integers(0, 3)) == 0 else good.get(c, "0"))
        if draw(st.integers(0, 12)) == 0:
            row = row[:-1] if draw(st.booleans()) else [*row, "extra"]
        rows.append(row)
    return csv_file(header, rows, draw(st.booleans()), draw(st.integers(0, 5)) == 0, draw(st.booleans()))


@st.composite
def ratings_files(draw) -> bytes:
    columns = ["school_code", "item_id", "rater", "role", "level", "account", "finding"]
    if draw(st.integers(0, 4)) == 0:
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.integers(0, 5)) == 0:
        columns.append("notes")
    items = st.sampled_from(["i1", "i2", "i3", "i4", " i1", "zz"])
    levels = st.sampled_from(["A", "B", "C", "D", "Y", "N", "NA", "E", "", " A"])
    roles = st.sampled_from(["self", "inspector", "consensus", "boss", " inspector"])
    raters = st.sampled_from(["s", "p", "q", "", " p", "张老师"])
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        cell = {"school_code": draw(CODES), "item_id": draw(items), "rater": draw(raters), "role": draw(roles)}
        cell |= {"level": draw(levels), "account": draw(TEXT), "finding": draw(TEXT), "notes": draw(TEXT)}
        row = [cell[c] for c in columns]
        if draw(st.integers(0, 15)) == 0:
            row = row[:-1]
        rows.append(row)
    return csv_file(columns, rows, draw(st.booleans()), draw(st.integers(0, 5)) == 0, draw(st.booleans()))


def written(data: bytes, folder: str, name: str) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


@RUNS
@given(facts_files())
def test_facts_reader_agrees_with_the_reader_it_replaced(data):
    with tempfile.TemporaryDirectory() as folder:
        path = written(data, folder, "facts.csv")
        before = outcome(lambda: old.read_facts(path))
        after = outcome(lambda: new.read_facts(path))
        text_path = outcome(lambda: new.read_facts(new.read_csv_text(path), file="facts.csv"))
    assert after[0] == before[0] == text_path[0]
    if before[0] == "refused":
        assert after[1] == before[1] == text_path[1]
    else:
        pd.testing.assert_frame_equal(after[1], before[1])
        pd.testing.assert_frame_equal(text_path[1], before[1])


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as text (the order of a categorical's categories is not part of the result)."""
    return frame.astype({c: "str" for c in frame.columns})


def both_ratings_readers(data: bytes, texts: bool) -> tuple[tuple, tuple]:
    """The outcome of the reader it replaced and of the columnar reader on the same ratings file."""
    schools = pd.Index(["S1", "S2", "S3"])
    with tempfile.TemporaryDirectory() as folder:
        path = written(data, folder, "ratings.csv")
        return outcome(lambda: old.read_ratings(path, MINI, schools)), outcome(
            lambda: new.read_ratings(path, MINI, schools, texts=texts)
        )


@RUNS
@given(ratings_files(), st.booleans())
def test_ratings_reader_agrees_with_the_reader_it_replaced(data, texts):
    before, after = both_ratings_readers(data, texts)
    assert after[0] == before[0]
    if before[0] == "refused":
        assert after[1] == before[1]
        return
    expected = as_text(before[1])
    if not texts:
        expected = expected.assign(account="", finding="")
    pd.testing.assert_frame_equal(as_text(after[1]), expected)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_districts_read_the_same(tmp_path, seed):
    from sample_data.generator import main as generate

    generate(schools=60, seed=seed, out=tmp_path)
    pd.testing.assert_frame_equal(new.read_facts(tmp_path / "facts.csv"), old.read_facts(tmp_path / "facts.csv"))
    facts = new.read_facts(tmp_path / "facts.csv")
    fw = load_framework()
    a = new.read_ratings(tmp_path / "ratings.csv", fw, facts.index)
    b = old.read_ratings(tmp_path / "ratings.csv", fw, facts.index)
    pd.testing.assert_frame_equal(as_text(a), as_text(b))


@st.composite
def ordered_ratings(draw) -> bytes:
    """Valid ratings written as exports write them (runs of one school, role and rater, items rising), or
    shuffled, with or without one rating repeated: in its own run, in another run of the same rater, anywhere."""
    cells = st.tuples(
        st.sampled_from(["S1", "S2", "S3"]),
        st.sampled_from(["self", "inspector", "consensus"]),
        st.sampled_from(["p", "q", "r"]),
        st.sampled_from(["i1", "i3"]),
        st.sampled_from(["A", "B", "C"]),
    )
    rows = draw(st.lists(cells, min_size=1, max_size=24, unique_by=lambda r: r[:4]))
    # self and consensus ratings under one name, or (sometimes) under two: then still one per school and item
    names = {"p": "s", "q": "t", "r": "s"} if draw(st.integers(0, 3)) == 0 else {"p": "s", "q": "s", "r": "s"}
    rows = [(s, role, names[rater] if role != "inspector" else rater, item, lv) for s, role, rater, item, lv in rows]
    rows = list({r[:4]: r for r in rows}.values())  # one rating per school, role, rater and item
    order = draw(st.sampled_from(["runs", "runs", "shuffled"]))
    rows.sort(key=lambda r: r[:4]) if order == "runs" else draw(st.randoms()).shuffle(rows)
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), draw(st.sampled_from(rows)))
    header = ["school_code", "role", "rater", "item_id", "level"]
    return csv_file(header, [list(r) for r in rows], False, False, False)


@RUNS
@given(ordered_ratings())
def test_repeated_ratings_are_found_in_runs_and_out_of_order(data):
    before, after = both_ratings_readers(data, texts=False)
    assert after[0] == before[0]
    if before[0] == "refused":
        assert after[1] == before[1]
