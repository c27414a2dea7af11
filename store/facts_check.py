"""Checking a school's facts with the scoring CLI's reader: for a draft (some missing) or to submit (all).

The facts are put into a one-row facts frame and read by `scoring.inputs.read_facts`, so that a fact
saved here is valid by exactly the rules the scoring engine reads facts with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from i18n.problems import InputError, Problem
from scoring.facts import FACT_BOUNDS, FACT_FIELDS, FACTS
from scoring.inputs import SCHOOL_COLUMNS, TRUE_WORDS, read_facts
from store.models import SchoolRow
from store.register import REGISTER_OPTIONAL, SchoolInput, check_register

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
    number = float(value)
    if pd.isna(number):
        return ""
    return str(int(number)) if number.is_integer() else repr(number)


def check_facts(facts: Mapping[str, FactValue], school: SchoolRow, *, complete: bool) -> dict[str, float]:
    """The given facts as numbers, or InputError; missing facts are problems only when `complete`."""
    problems = [Problem("store.unknown_fact", {"found": k}, path=k) for k in facts if k not in FACTS]
    texts = {f.name: fact_text(f.name, facts.get(f.name)) for f in FACT_FIELDS}
    missing = {name for name, text in texts.items() if text == ""}
    if complete:
        problems += [Problem("input.empty", {}, column=name, path=FACTS[name].zh) for name in sorted(missing)]
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


def _unlocated(problem: Problem) -> Problem:
    """The problem without the line of the one-row frame (a page shows the field instead)."""
    return dataclasses.replace(problem, file=None, row=None)


def check_facts_file(text: pd.DataFrame, file: str) -> tuple[list[SchoolInput], dict[str, dict[str, float]]]:
    """The register rows and the facts of a facts CSV (text cells), or InputError naming every bad cell.

    Facts are read by `read_facts`; the school columns also by the register rules (ownership, lengths).
    """
    problems: list[Problem] = []
    checked = None
    try:
        checked = read_facts(text, file=file)
    except InputError as error:
        if any(p.row is None for p in error.problems):
            raise
        problems += [p for p in error.problems if p.column not in REGISTER_CHECKED]
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
