"""A framework as a workbook: written, read back identical, edited badly with problems by sheet, row, column."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from criteria import load_framework, parse_framework
from i18n.problems import InputError
from reports.framework_xlsx import framework_from_xlsx, framework_to_xlsx
from reports.zip_guard import Limits

FW = load_framework()
LIMITS = Limits(max_bytes=5 * 1024 * 1024)


def edited(changes) -> bytes:
    """The bundled framework's workbook with cells changed: {(sheet, row, column name): value}."""
    book = load_workbook(io.BytesIO(framework_to_xlsx(FW)))
    for (sheet, row, column), value in changes.items():
        header = [c.value for c in book[sheet][1]]
        book[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(InputError) as err:
        framework_from_xlsx(data, "fw.xlsx", LIMITS)
    return [p.render("en") for p in err.value.problems]


def test_round_trip_is_identical():
    assert framework_from_xlsx(framework_to_xlsx(FW), "fw.xlsx", LIMITS) == FW


def test_user_text_stays_text():
    """A title that looks like a formula is written as a string cell and read back unchanged."""
    data = FW.model_dump(mode="json", exclude_none=True)
    data["domains"][0]["indicators"][0]["items"][0]["title"]["zh"] = '=HYPERLINK("http://x","点我")'
    hostile = parse_framework(data)
    book = load_workbook(io.BytesIO(framework_to_xlsx(hostile)))
    assert book["items"]["H2"].data_type == "s"
    assert book["items"]["H2"].value == '=HYPERLINK("http://x","点我")'
    assert framework_from_xlsx(framework_to_xlsx(hostile), "fw.xlsx", LIMITS) == hostile


def test_problems_point_at_sheet_row_and_column():
    found = problems(
        edited(
            {
                ("items", 2, "points"): 9,
                ("levels", 3, "fraction"): 1.7,
                ("items", 4, "method"): "vibes",
                ("vetoes", 2, "min_level"): "Z",
            }
        )
    )
    assert found == [
        "fw.xlsx sheet 'items' row 4 column 'method': expected one of 'rubric', 'quantitative', 'check', found 'vibes'"
    ]
    found = problems(
        edited({("items", 2, "points"): 9, ("levels", 3, "fraction"): 1.7, ("vetoes", 2, "min_level"): "Z"})
    )
    assert (
        "fw.xlsx sheet 'framework' row 7 column 'value': item points must add up to total_points 100, found 107.5"
        in found
    )
    assert "fw.xlsx sheet 'levels' row 3 column 'fraction': fraction must be within [0, 1], found 1.7" in found
    assert any(line.startswith("fw.xlsx sheet 'vetoes' row 2 column 'min_level': unknown level") for line in found)


def test_missing_sheet_and_columns():
    book = load_workbook(io.BytesIO(framework_to_xlsx(FW)))
    del book["thresholds"]
    book["levels"].delete_cols(7)
    out = io.BytesIO()
    book.save(out)
    assert problems(out.getvalue()) == [
        "fw.xlsx sheet 'levels': columns missing: fraction",
        "fw.xlsx sheet 'thresholds': sheet 'thresholds' is missing",
    ]


def test_not_a_workbook():
    assert problems(b"id: not a workbook") == ["fw.xlsx: " + problems(b"x")[0].split(": ", 1)[1]]
    assert len(problems(b"PK\x03\x04 broken")) == 1
