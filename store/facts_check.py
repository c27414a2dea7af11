"""Checking a school's facts with the scoring CLI's reader: for a draft (some missing) or to submit (all).

The facts are put into a one-row facts frame and read by `scoring.inputs.read_facts`, so that a fact
saved here is valid by exactly the rules the scoring engine reads facts with.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import pandas as pd

from i18n.problems import InputError, Problem
from scoring.facts import FACT_BOUNDS, FACT_FIELDS, FACTS
from scoring.inputs import SCHOOL_COLUMNS, TRUE_WORDS, read_facts
from store.models import SchoolRow
from store.register import REGISTER_OPTIONAL, SchoolInput, check_register, line

FactValue = float | int | bool | str | None
REGISTER_CHECKED = ("school_code", "stages", "campuses")  # reported by the register check, not twice


def fact_text(name: str, value: FactValue) -> str:
    """A fact value as the facts CSV writes it (whole numbers without '.0', yes/no as 1/0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or FACTS[name].kind == "bool":
        return "1" if value else "0"
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float: refused as infinite
        return str(value)
    if pd.isna(number):
        return ""
    return str(int(number)) if number.is_integer() else repr(number)


def is_infinite(text: str) -> bool:
    """Whether a cell reads as an infinite number ('inf', '-Infinity', '1e999', ...)."""
    try:
        return math.isinf(float(text))
    except ValueError:
        return False


def infinite_problem(
    name: str, found: str, *, file: str | None = None, row: int | None = None, path: str | None = None
) -> Problem:
    """An infinite number given for a fact."""
    return Problem("store.fact_not_finite", {"found": found}, file=file, row=row, column=name, path=path)


def check_facts(facts: Mapping[str, FactValue], school: SchoolRow, *, complete: bool) -> dict[str, float]:
    """The given facts as numbers, or InputError; missing facts are problems only when `complete`.

    An infinite number is refused here whatever the facts reader accepts (it could not be stored).
    """
    problems = [Problem("store.unknown_fact", {"found": k}, path=k) for k in facts if k not in FACTS]
    texts = {f.name: fact_text(f.name, facts.get(f.name)) for f in FACT_FIELDS}
    infinite = {name for name, text in texts.items() if is_infinite(text)}
    problems += [infinite_problem(name, texts[name], path=FACTS[name].zh) for name in sorted(infinite)]
    texts = {name: ("" if name in infinite else text) for name, text in texts.items()}
    missing = {name for name, text in texts.items() if text == ""}
    if complete:
        problems += [
            Problem("input.empty", {}, column=name, path=FACTS[name].zh) for name in sorted(missing - infinite)
        ]
    row = {"school_code": school.code, "school_name": school.name, "stages": school.stages}
    row |= {name: (_placeholder(name) if name in missing else text) for name, text in texts.items()}
    try:
        read_facts(pd.DataFrame([row]), file="facts")
    except InputError as error:
        problems += [_unlocated(p) for p in error.problems if not _about_missing(p, missing)]
    if problems:
        raise InputError(problems)
    return {name: _number(name, text) for name, text in texts.items() if name not in missing}


def _number(name: str, text: str) -> float:
    """A fact that read_facts accepted, as the number it reads it as."""
    if FACTS[name].kind == "bool":
        return 1.0 if text.lower() in TRUE_WORDS else 0.0
    return float(text)


def _placeholder(name: str) -> str:
    return "0" if FACTS[name].kind == "bool" else f"{FACTS[name].minimum:g}"


def _about_missing(problem: Problem, missing: set[str]) -> bool:
    """A problem that only the placeholder of a missing fact caused."""
    if problem.column in missing:
        return True
    if problem.key == "input.fact_exceeds":
        return any(large in missing for small, large in FACT_BOUNDS if small == problem.column)
    return False


def _caused_by(problem: Problem, cells: set[tuple[int, str]]) -> bool:
    """A reader's problem about one of the (line, fact) cells, or a bound it broke (reported once, as infinite)."""
    if (problem.row, problem.column) in cells:
        return True
    if problem.key == "input.fact_exceeds" and problem.row is not None:
        return any((problem.row, large) in cells for small, large in FACT_BOUNDS if small == problem.column)
    return False


def _unlocated(problem: Problem) -> Problem:
    """The problem without the line of the one-row frame (a page shows the field instead)."""
    return dataclasses.replace(problem, file=None, row=None)


def check_facts_file(text: pd.DataFrame, file: str) -> tuple[list[SchoolInput], dict[str, dict[str, float]]]:
    """The register rows and the facts of a facts CSV (text cells), or InputError naming every bad cell.

    Facts are read by `read_facts`; the school columns also by the register rules (ownership, lengths).
    """
    infinite = {
        (line(n), name): str(cell)
        for name in FACTS
        if name in text.columns
        for n, cell in enumerate(text[name].astype(str))
        if is_infinite(cell)
    }
    problems = [infinite_problem(name, found, file=file, row=row) for (row, name), found in infinite.items()]
    checked = None
    try:
        checked = read_facts(text, file=file)
    except InputError as error:
        if any(p.row is None for p in error.problems):
            raise
        problems += [p for p in error.problems if p.column not in REGISTER_CHECKED and not _caused_by(p, set(infinite))]
    register_columns = [c for c in (*SCHOOL_COLUMNS, *REGISTER_OPTIONAL) if c in text.columns]
    inputs: list[SchoolInput] = []
    try:
        inputs = check_register(text[register_columns], file)
    except InputError as error:
        problems += error.problems
    if problems or checked is None:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    numbers = checked[[f.name for f in FACT_FIELDS]].astype("float64")
    return inputs, numbers.to_dict("index")
