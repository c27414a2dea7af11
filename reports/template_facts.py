"""Reading the facts sheet of a filled template back to a facts row, checked like a facts CSV row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from i18n.catalog import t
from i18n.problems import InputError, Problem
from reports.template_layout import FACT_COLUMNS, column_letter
from reports.template_rows import cell_text
from scoring.facts import FACT_FIELDS, FACTS
from scoring.inputs import read_facts

VALUE = FACT_COLUMNS.index("value")


@dataclass(frozen=True)
class FactsReader:
    """Where problems of the facts sheet are reported."""

    file: str
    sheet: str
    lang: str

    def where(self, key: str, params: dict, row: int | None = None, column: int | None = None) -> Problem:
        """A problem at an Excel row and a zero-based column of the facts sheet."""
        label = None
        if column is not None:
            label = f"{column_letter(column)}（{t(f'template.fact.{FACT_COLUMNS[column]}', self.lang)}）"
        return Problem(key, params, file=self.file, sheet=self.sheet, row=row, column=label)


def fact_text(value: object) -> str:
    """A facts cell as the text a CSV would hold (booleans as 1/0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return cell_text(value)


def read_fact_cells(sheet: Worksheet, reader: FactsReader) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """Fact name → (value as text, Excel row), and the rows that are unknown, repeated, empty or missing."""
    found: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for row, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(FACT_COLUMNS), values_only=True), start=2):
        key, value = cell_text(cells[0]), fact_text(cells[VALUE] if len(cells) > VALUE else None)
        if not key and not value:
            continue
        if key not in FACTS:
            problems.append(reader.where("template.fact_unknown", {"found": key}, row, 0))
        elif key in found:
            problems.append(reader.where("template.fact_duplicate", {"found": key, "first": found[key][1]}, row, 0))
        elif not value:
            problems.append(reader.where("input.empty", {}, row, VALUE))
            found[key] = ("", row)
        else:
            found[key] = (value, row)
    problems += [reader.where("template.fact_missing", {"found": f.name}) for f in FACT_FIELDS if f.name not in found]
    return found, problems


def facts_row(
    cells: dict[str, tuple[str, int]], reader: FactsReader, school: tuple[str, str, str]
) -> tuple[dict[str, float], list[Problem]]:
    """The facts as numbers, checked by `read_facts` (kinds, bounds, and pairs such as screened ≤ due)."""
    code, name, stages = school
    frame = pd.DataFrame([{"school_code": code, "school_name": name, "stages": stages} | {
        f.name: cells.get(f.name, ("", 0))[0] for f in FACT_FIELDS
    }])  # fmt: skip
    try:
        checked = read_facts(frame, file=reader.file)
    except InputError as error:
        # Empty and missing facts are reported already; the rest are moved to their sheet rows.
        filled = {name for name, (value, _) in cells.items() if value}
        return {}, [_relocate(p, cells, reader) for p in error.problems if p.column in filled]
    return {f.name: float(checked[f.name].iloc[0]) for f in FACT_FIELDS}, []


def _relocate(problem: Problem, cells: dict[str, tuple[str, int]], reader: FactsReader) -> Problem:
    """A problem of the one-row frame moved to the sheet row of its fact."""
    row = cells.get(problem.column or "", ("", None))[1]
    return reader.where(problem.key, dict(problem.params), row or None, VALUE if row else None)
