"""Bad facts and ratings: every problem listed with file, line and column; expected and found."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from i18n.problems import InputError
from scoring.inputs import parse_stages, read_facts, read_ratings
from testkit import facts_rows


def rendered(call, lang="en") -> list[str]:
    with pytest.raises(InputError) as err:
        call()
    return [p.render(lang) for p in err.value.problems]


def write(tmp_path: Path, frame: pd.DataFrame, name: str) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_facts_problems_are_all_listed_with_line_and_column(tmp_path):
    raw = facts_rows(("S1", "primary"), ("S2", "junior"), ("S1", "kindergarten"))
    raw.loc[0, "students"] = "many"
    raw.loc[1, "psych_fulltime"] = "-1"
    raw.loc[1, "parent_school"] = "maybe"
    raw.loc[2, "grades"] = "2.5"
    found = rendered(lambda: read_facts(write(tmp_path, raw, "facts.csv")))
    assert "facts.csv row 4 column 'school_code': duplicate school code S1" in found
    assert any(line.startswith("facts.csv row 4 column 'stages': stages must be among") for line in found)
    assert "facts.csv row 2 column 'students': expected a whole number from 1 to ∞, found 'many'" in found
    assert "facts.csv row 3 column 'psych_fulltime': expected a whole number from 0 to ∞, found '-1'" in found
    assert "facts.csv row 3 column 'parent_school': expected yes/no (or 1/0), found 'maybe'" in found
    assert "facts.csv row 4 column 'grades': expected a whole number from 1 to 13, found '2.5'" in found


def test_facts_cross_field_bounds(tmp_path):
    raw = facts_rows(("S1", "primary"), screening_target=100, screening_done=120)
    found = rendered(lambda: read_facts(raw))
    assert found == [
        "facts row 2 column 'screening_done': Students screened this year cannot exceed "
        "Students due for the yearly screening (upper primary, junior, senior, vocational): 120 > 100"
    ]


def test_missing_and_unknown_columns(tmp_path):
    raw = facts_rows(("S1", "primary")).drop(columns=["mentors"]).assign(favourite_colour="blue")
    found = rendered(lambda: read_facts(raw))
    assert "facts column 'mentors': required column mentors is missing" in found
    assert "facts column 'favourite_colour': unknown column favourite_colour" in found


def test_chinese_stage_names_are_accepted():
    assert parse_stages("小学;初中") == parse_stages("primary, junior")
    assert parse_stages("幼儿园") is None


def test_unreadable_csv(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert rendered(lambda: read_facts(path))[0].startswith("facts.csv: cannot read the file")


def test_ratings_problems(mini, make_facts, tmp_path):
    facts = make_facts(("S1", "primary"))
    rows = pd.DataFrame(
        [
            ("S1", "i1", "s", "self", "A"),
            ("S9", "i1", "s", "self", "A"),
            ("S1", "zz", "s", "self", "A"),
            ("S1", "i1", "p", "inspector", "E"),
            ("S1", "i1", "t", "self", "B"),
            ("S1", "i1", "p", "boss", "A"),
            ("S1", "i4", "p", "inspector", "A"),
            ("S1", "i1", "q", "inspector", "NA"),
            ("S1", "i2", "", "inspector", "Y"),
        ],
        columns=["school_code", "item_id", "rater", "role", "level"],
    )
    found = rendered(lambda: read_ratings(write(tmp_path, rows, "ratings.csv"), mini, facts.index))
    assert found == [
        "ratings.csv row 3 column 'school_code': no school with code S9",
        "ratings.csv row 4 column 'item_id': the framework has no item zz",
        "ratings.csv row 7 column 'role': role must be one of self, inspector, consensus, found 'boss'",
        "ratings.csv row 10 column 'rater': must not be empty",
        "ratings.csv row 5 column 'level': item i1 has no level 'E'; choose from A, B, C",
        "ratings.csv row 8 column 'level': item i4 is computed from the school's facts and takes no rating (found 'A')",
        "ratings.csv row 9 column 'level': item i1 cannot be marked not applicable (NA)",
        "ratings.csv row 6: duplicate rating: S1 / i1 / self / t",
    ]


@pytest.mark.parametrize("value", ["inf", "Infinity", "1e400", "nan"])
def test_non_finite_facts_are_refused(value):
    raw = facts_rows(("S1", "primary"), room_area_m2=value)
    assert rendered(lambda: read_facts(raw))[0].startswith("facts row 2 column 'room_area_m2': expected a number")
