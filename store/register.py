"""Checking school register rows (code, name, stages, street, ownership, campuses) before anything is stored.

A register CSV has the school columns of the facts CSV (`school_code`, `school_name`, `stages`,
optional `street`, `ownership`) and optionally `campuses`; every bad cell is reported with its line
and column, with the same messages as the facts reader.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from criteria.models import Stage
from i18n.problems import InputError, Problem
from scoring.inputs import OPTIONAL_SCHOOL_COLUMNS, SCHOOL_COLUMNS, parse_stages
from store.records import Ownership

REGISTER_OPTIONAL = (*OPTIONAL_SCHOOL_COLUMNS, "campuses")
OWNERSHIP_ALIASES: dict[str, str] = {
    "": "",
    "public": Ownership.PUBLIC,
    "公办": Ownership.PUBLIC,
    "private": Ownership.PRIVATE,
    "民办": Ownership.PRIVATE,
}
MAX_NAME = 200
MAX_STREET = 100
MAX_CODE = 32


@dataclass(frozen=True, slots=True)
class SchoolInput:
    """A checked register row."""

    code: str
    name: str
    stages: tuple[str, ...]
    street: str = ""
    ownership: str = ""
    campuses: int | None = None


def line(index: int) -> int:
    """The CSV line of a data row (the header is line 1)."""
    return index + 2


def ownership_value(text: str) -> str | None:
    """'public', 'private' or '' for a written ownership (公办/民办 too); None when unknown."""
    return OWNERSHIP_ALIASES.get(text.strip().lower() if text.isascii() else text.strip())


def check_register(frame: pd.DataFrame, file: str) -> list[SchoolInput]:
    """Checked rows of a register frame (text cells), or InputError naming every bad cell."""
    problems = column_problems(frame.columns, SCHOOL_COLUMNS, REGISTER_OPTIONAL, file)
    if problems:
        raise InputError(problems)
    rows: list[SchoolInput] = []
    seen: set[str] = set()
    for n, record in enumerate(frame.astype(str).to_dict("records")):
        row, row_problems = _check_row(record, line(n), file, seen)
        problems += row_problems
        if row is not None:
            rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def column_problems(
    columns: Iterable[str], required: Iterable[str], optional: Iterable[str], file: str
) -> list[Problem]:
    """Missing required columns and unknown columns."""
    columns = list(columns)
    required = list(required)
    allowed = set(required) | set(optional)
    problems = [
        Problem("input.missing_column", {"expected": c}, file=file, column=c) for c in required if c not in columns
    ]
    problems += [
        Problem("input.unknown_column", {"found": c}, file=file, column=c) for c in columns if c not in allowed
    ]
    return problems


def _check_row(record: dict[str, str], row: int, file: str, seen: set[str]) -> tuple[SchoolInput | None, list[Problem]]:
    problems: list[Problem] = []
    code, name = record["school_code"].strip(), record["school_name"].strip()
    problems += code_problems(code, row, file, seen)
    if not name or len(name) > MAX_NAME:
        problems.append(_problem("store.bad_text", row, "school_name", file, found=name, max=MAX_NAME))
    stages = parse_stages(record["stages"])
    if stages is None:
        expected = ", ".join(s.value for s in Stage)
        problems.append(_problem("input.bad_stages", row, "stages", file, expected=expected, found=record["stages"]))
    street = record.get("street", "").strip()
    if len(street) > MAX_STREET:
        problems.append(_problem("store.bad_text", row, "street", file, found=street[:20] + "…", max=MAX_STREET))
    ownership = ownership_value(record.get("ownership", ""))
    if ownership is None:
        problems.append(_problem("store.bad_ownership", row, "ownership", file, found=record["ownership"]))
    campuses, campus_problems = _campuses(record.get("campuses", ""), row, file)
    problems += campus_problems
    if problems:
        return None, problems
    assert stages is not None and ownership is not None
    return SchoolInput(code, name, tuple(s.value for s in stages), street, ownership, campuses), []


def code_problems(code: str, row: int, file: str, seen: set[str]) -> list[Problem]:
    """An empty, too long or repeated school code."""
    if not code:
        return [_problem("input.empty", row, "school_code", file)]
    if len(code) > MAX_CODE:
        return [_problem("store.bad_text", row, "school_code", file, found=code, max=MAX_CODE)]
    if code in seen:
        return [_problem("input.duplicate_school", row, "school_code", file, found=code)]
    seen.add(code)
    return []


def _campuses(text: str, row: int, file: str) -> tuple[int | None, list[Problem]]:
    text = text.strip()
    if not text:
        return None, []
    value = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
    if pd.isna(value) or not math.isfinite(value) or value < 1 or value != round(value):
        params = {"min": "1", "max": "∞", "found": text}
        return None, [Problem("input.bad_int", params, file=file, row=row, column="campuses")]
    return int(value), []


def _problem(key: str, row: int, column: str, file: str, **params: object) -> Problem:
    return Problem(key, params, file=file, row=row, column=column)
