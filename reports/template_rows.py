"""Reading the item sheet of a filled template: one rating per applicable item, every problem located."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from i18n.problems import Problem
from reports.template_export import header_label
from reports.template_layout import EVIDENCE_COLUMN, Item, Role, column_letter, item_columns, level_choices


@dataclass(frozen=True)
class RatedRow:
    """A level and a text read from one row of the item sheet."""

    item_id: str
    level: str
    text: str


def cell_text(value: object) -> str:
    """A cell's value as text: numbers without a trailing .0, formulas as typed, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class SheetReader:
    """Where problems of one sheet are reported, in the user's language."""

    file: str
    sheet: str
    role: Role
    lang: str

    def where(self, key: str, params: dict, row: int | None = None, column: int | None = None) -> Problem:
        """A problem at an Excel row (1-based) and a zero-based column of the item sheet."""
        label = None
        if column is not None:
            name = item_columns(self.role)[column]
            label = f"{column_letter(column)}（{header_label(name, self.role, self.lang)}）"
        return Problem(key, params, file=self.file, sheet=self.sheet, row=row, column=label)


def header_problems(sheet: Worksheet, reader: SheetReader, template_lang: str) -> list[Problem]:
    """Header cells that differ from the template's (a column moved, renamed or inserted)."""
    columns = item_columns(reader.role)
    found = [cell_text(c.value) for c in next(sheet.iter_rows(min_row=1, max_row=1), ())]
    problems = []
    for c, name in enumerate(columns):
        expected = header_label(name, reader.role, template_lang)
        actual = found[c] if c < len(found) else ""
        if name == EVIDENCE_COLUMN and not actual:
            continue  # a template written before the evidence column: nothing to read there
        if actual != expected:
            problems.append(reader.where("template.header_changed", {"expected": expected, "found": actual}, 1, c))
    return problems


def read_item_rows(
    sheet: Worksheet, reader: SheetReader, items: Sequence[Item]
) -> tuple[list[RatedRow], list[Problem]]:
    """The rated rows and every problem: ids edited, removed or repeated, levels missing or not in the list."""
    columns = item_columns(reader.role)
    col = {name: columns.index(name) for name in ("item_id", "level", "text")}
    by_id = {item.id: item for item in items}
    seen: dict[str, int] = {}
    rows: list[RatedRow] = []
    problems: list[Problem] = []
    for excel_row, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = [cell_text(v) for v in cells]
        if not any(values):
            continue
        item_id = values[col["item_id"]] if col["item_id"] < len(values) else ""
        problem = _id_problem(reader, item_id, excel_row, by_id, seen)
        if problem:
            problems.append(problem)
            continue
        seen[item_id] = excel_row
        if not level_choices(by_id[item_id]):
            continue  # computed from the facts: nothing to read
        level = _get(values, col["level"])
        rated, problem = _level(reader, by_id[item_id], level, excel_row, col["level"])
        if problem:
            problems.append(problem)
        else:
            rows.append(RatedRow(item_id, rated, _get(values, col["text"])))
    problems += [
        reader.where("template.item_removed", {"item": item.id})
        for item in items
        if item.id not in seen and level_choices(item)
    ]
    return rows, problems


def _get(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def _id_problem(
    reader: SheetReader, item_id: str, row: int, by_id: dict[str, Item], seen: dict[str, int]
) -> Problem | None:
    if not item_id:
        return reader.where("template.item_id_empty", {}, row, 0)
    if item_id not in by_id:
        return reader.where("template.unknown_item", {"found": item_id}, row, 0)
    if item_id in seen:
        return reader.where("template.duplicate_item", {"found": item_id, "first": seen[item_id]}, row, 0)
    return None


def _level(reader: SheetReader, item: Item, level: str, row: int, column: int) -> tuple[str, Problem | None]:
    """The canonical level id (case as in the framework), or the problem with it."""
    choices = level_choices(item)
    if not level:
        return "", reader.where("template.level_missing", {"item": item.id}, row, column)
    match = next((c for c in choices if c.casefold() == level.casefold()), None)
    if match is None:
        params = {"item": item.id, "found": level, "expected": ", ".join(choices)}
        return "", reader.where("template.bad_level", params, row, column)
    return match, None
