"""The checks of school facts and ratings over coded columns, without pandas: what every door to scoring runs.

A column arrives as its distinct words and one code per row (`scoring.columnar.Coded`); each check
runs once per distinct word, then over the rows' codes, so that a district of 100,000 schools is
checked in a fraction of a second. Every problem names file, line and column, with what was expected
and what was found; on any problem `InputError` lists them all and nothing is returned.
`check_facts` gives `SchoolFacts`, `check_ratings` gives `CheckedRatings`; `scoring.inputs` turns
them into the frames the store and the pages use, and `xinyu score` scores them as they are.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from criteria.models import NA, Framework, Item, QuantitativeItem, Stage
from i18n.problems import InputError, Problem
from scoring.columnar import Coded, TextColumns, file_columns, rating_columns
from scoring.facts import FACT_BOUNDS, FACT_FIELDS, FACTS
from scoring.layout import (
    HEADER_LINES,
    OPTIONAL_RATING_COLUMNS,
    OPTIONAL_SCHOOL_COLUMNS,
    RATING_COLUMNS,
    ROLES,
    SCHOOL_COLUMNS,
)
from scoring.metrics import STAGE_COLUMNS
from scoring.school_facts import SchoolFacts

if TYPE_CHECKING:
    import pandas as pd


STAGE_ALIASES: dict[str, Stage] = {
    **{s.value: s for s in Stage},
    "小学": Stage.PRIMARY,
    "初中": Stage.JUNIOR,
    "高中": Stage.SENIOR,
    "中职": Stage.VOCATIONAL,
    "职校": Stage.VOCATIONAL,
    "特教": Stage.SPECIAL,
    "特殊教育": Stage.SPECIAL,
}
TRUE_WORDS = {"1", "yes", "y", "true", "是", "有"}
FALSE_WORDS = {"0", "no", "n", "false", "否", "无"}


@dataclass(frozen=True, eq=False)
class CheckedRatings:
    """Ratings that passed every check: the five rating columns (stripped) and, when read, account and finding."""

    columns: dict[str, Coded]  # school_code, item_id, rater, role, level
    texts: dict[str, Coded]  # account and finding as written (only those read)

    def __len__(self) -> int:
        return len(self.columns["school_code"])

    def frame(self, with_texts: bool = True) -> pd.DataFrame:
        """The `read_ratings` frame: the rating columns as categoricals, account and finding as text."""
        import pandas as pd

        out = pd.DataFrame(
            {
                c: pd.Categorical.from_codes(v.codes, categories=pd.Index(v.words, dtype="str"), validate=False)
                for c, v in self.columns.items()
            }
        )
        for col in OPTIONAL_RATING_COLUMNS:
            if col in self.texts:
                out[col] = self.texts[col].texts()
            elif with_texts:
                out[col] = ""
            else:  # one shared category: the column is there, its millions of cells are not
                codes = np.zeros(len(out), dtype=np.int8)
                out[col] = pd.Categorical.from_codes(codes, categories=[""], validate=False)
        return out


# ------------------------------------------------------------------------------------------- files


def load_facts(source: str | Path, file: str | None = None) -> SchoolFacts:
    """A facts file (CSV in any encoding of the CSV doors, or .parquet) checked, as arrays."""
    file = file or Path(source).name
    columns = file_columns(source, lambda names: names, file, as_text=True)
    return facts_of_columns(columns, file)


def load_ratings(
    source: str | Path, framework: Framework, schools: Collection[str], file: str | None = None, texts: bool = True
) -> CheckedRatings:
    """A ratings file checked (account and finding read only with `texts`), as coded columns."""
    file = file or Path(source).name
    return ratings_of_columns(rating_columns(source, file, texts), framework, schools, file, texts)


def facts_of_columns(columns: TextColumns, file: str) -> SchoolFacts:
    """The facts checks over a table's columns (problems counted from its first data line)."""
    problems = column_problems(columns.columns, (*SCHOOL_COLUMNS, *FACTS), OPTIONAL_SCHOOL_COLUMNS, file)
    if problems:
        raise InputError(problems)
    try:
        return check_facts(columns, file)
    except InputError as error:
        raise shifted(error, columns.first_line) from None


def ratings_of_columns(
    columns: TextColumns, framework: Framework, schools: Collection[str], file: str, texts: bool
) -> CheckedRatings:
    """The ratings checks over a table's columns (problems counted from its first data line)."""
    problems = column_problems(columns.columns, RATING_COLUMNS, OPTIONAL_RATING_COLUMNS, file)
    if problems:
        raise InputError(problems)
    try:
        return check_ratings(columns, framework, schools, file, texts)
    except InputError as error:
        raise shifted(error, columns.first_line) from None


def shifted(error: InputError, first_line: int) -> InputError:
    """The problems with rows counted from the table's first data row (Parquet: row 1) instead of CSV line 2."""
    shift = first_line - (HEADER_LINES + 1)
    if not shift:
        return error
    return InputError([dataclasses.replace(p, row=p.row + shift) if p.row is not None else p for p in error.problems])


def line(index: int) -> int:
    """The file line of a data row (the header is line 1)."""
    return index + HEADER_LINES + 1


def column_problems(names: Iterable[str], required: Iterable[str], allowed: Iterable[str], file: str) -> list[Problem]:
    """A required column missing, or a column nobody knows."""
    names, required = list(names), list(required)
    allowed_set = set(required) | set(allowed)
    missing = [col for col in required if col not in names]
    unknown = [col for col in names if col not in allowed_set]
    return [Problem("input.missing_column", {"expected": c}, file=file, column=c) for c in missing] + [
        Problem("input.unknown_column", {"found": c}, file=file, column=c) for c in unknown
    ]


# ------------------------------------------------------------------------------------------- facts


def parse_stages(text: str) -> tuple[Stage, ...] | None:
    """Stages written as `primary;junior` (or 小学;初中, separated by ; , 、 or spaces); None when any is unknown."""
    words = [w for w in re.split(r"[;,、，\s]+", text) if w]
    stages = [STAGE_ALIASES.get(w.lower() if w.isascii() else w) for w in words]
    if not stages or any(s is None for s in stages):
        return None
    return tuple(dict.fromkeys(s for s in stages if s is not None))


def check_facts(columns: TextColumns, file: str) -> SchoolFacts:
    """The facts checks over coded columns: once per distinct text, then over the rows' codes."""
    cells = columns.cells
    rows = columns.rows
    code = cells["school_code"].stripped()
    problems = _code_problems(code, file)
    out: dict[str, np.ndarray] = {"school_name": cells["school_name"].texts()}
    for col in OPTIONAL_SCHOOL_COLUMNS:
        out[col] = cells[col].texts() if col in cells else np.full(rows, "", dtype=object)
    stages = cells["stages"]
    parsed = [parse_stages(str(text)) for text in stages.words]
    unknown = np.array([p is None for p in parsed], dtype=bool)
    expected = ", ".join(s.value for s in Stage)
    for n in np.flatnonzero(unknown[stages.codes]):
        params = {"expected": expected, "found": stages[n]}
        problems.append(Problem("input.bad_stages", params, file=file, row=line(int(n)), column="stages"))
    out["stages"] = np.array([";".join(s.value for s in (st or ())) for st in parsed], dtype=object)[stages.codes]
    for stage, col in STAGE_COLUMNS.items():
        out[col] = np.array([stage in (st or ()) for st in parsed], dtype=bool)[stages.codes]
    for fact in FACT_FIELDS:
        cell = cells[fact.name]
        values, bad = parse_fact(cell.words, fact.kind, fact.minimum, fact.maximum)
        out[fact.name] = values[cell.codes]
        problems += [_fact_problem(fact.name, cell[n], file, line(int(n))) for n in np.flatnonzero(bad[cell.codes])]
    problems += _bound_problems(out, file)
    if problems:
        raise InputError(problems)
    absent = frozenset(col for col in OPTIONAL_SCHOOL_COLUMNS if col not in cells)
    return SchoolFacts(code.texts(), out, absent)


def _first_occurrences(codes: np.ndarray) -> np.ndarray:
    """[rows] True where a row's code appears for the first time."""
    first = np.zeros(len(codes), dtype=bool)
    first[np.unique(codes, return_index=True)[1]] = True
    return first


def _code_problems(code: Coded, file: str) -> list[Problem]:
    empty = (code.words == "")[code.codes]
    problems = [
        Problem("input.empty", {}, file=file, row=line(int(n)), column="school_code") for n in np.flatnonzero(empty)
    ]
    for n in np.flatnonzero(~_first_occurrences(code.codes) & ~empty):
        params = {"found": code[n]}
        problems.append(Problem("input.duplicate_school", params, file=file, row=line(int(n)), column="school_code"))
    return problems


def number(text: str) -> float:
    """A cell as a number, as pandas' `to_numeric` reads it (ASCII digits only, no underscores); NaN when it is none."""
    if not text.isascii() or "_" in text:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def parse_fact(words: np.ndarray, kind: str, minimum: float, maximum: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct cells as floats, and a mask of those that are not valid for the fact's kind and bounds."""
    text = [str(w).strip() for w in words]
    if kind == "bool":
        lowered = [w.lower() for w in text]
        values = np.array([1.0 if w in TRUE_WORDS else 0.0 if w in FALSE_WORDS else np.nan for w in lowered])
        return values.reshape(-1), np.isnan(values).reshape(-1)
    values = np.array([number(w) for w in text], dtype=np.float64).reshape(-1)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(values) | (values < minimum)
        if maximum is not None:
            bad |= values > maximum
        if kind == "int":
            bad |= ~np.isnan(values) & (values != np.round(values))
    return values, bad


def _fact_problem(name: str, found: str, file: str, row: int) -> Problem:
    fact = FACTS[name]
    if fact.kind == "bool":
        return Problem("input.bad_bool", {"found": found}, file=file, row=row, column=name)
    key = "input.bad_int" if fact.kind == "int" else "input.bad_number"
    upper = f"{fact.maximum:g}" if fact.maximum is not None else "∞"
    params = {"min": f"{fact.minimum:g}", "max": upper, "found": found}
    return Problem(key, params, file=file, row=row, column=name)


def _bound_problems(out: dict[str, np.ndarray], file: str) -> list[Problem]:
    problems = []
    for small, large in FACT_BOUNDS:
        with np.errstate(invalid="ignore"):
            over = out[small] > out[large]
        for n in np.flatnonzero(over):
            params = {
                "small": FACTS[small].zh,
                "large": FACTS[large].zh,
                "small_en": FACTS[small].en,
                "large_en": FACTS[large].en,
                "found": f"{out[small][n]:g} > {out[large][n]:g}",
            }
            problems.append(Problem("input.fact_exceeds", params, file=file, row=line(int(n)), column=small))
    return problems


# ----------------------------------------------------------------------------------------- ratings


def check_ratings(
    columns: TextColumns, framework: Framework, schools: Collection[str], file: str, texts: bool = True
) -> CheckedRatings:
    """The ratings checks over coded columns: unknown schools, items, roles and levels, empty raters, repeats."""
    problems: list[Problem] = []
    cols = {c: columns.cells[c].stripped() for c in RATING_COLUMNS}
    items = {item.id: item for item in framework.items()}
    known_schools = schools if isinstance(schools, dict | set | frozenset) else set(schools)
    checks = (
        ("school_code", known_schools, "input.unknown_school", ""),
        ("item_id", items, "input.unknown_item", ""),
        ("role", set(ROLES), "input.bad_role", ", ".join(ROLES)),
    )
    for column, known, key, expected in checks:
        bad = np.array([w not in known for w in cols[column].words], dtype=bool)
        problems += _rows_where(bad, cols[column], key, column, file, expected)
    problems += _rows_where(cols["rater"].words == "", cols["rater"], "input.empty", "rater", file)
    problems += _level_problems(cols, items, file)
    problems += _duplicate_problems(cols, file)
    if problems:
        raise InputError(problems)
    read = {c: columns.cells[c] for c in OPTIONAL_RATING_COLUMNS if texts and c in columns.cells}
    return CheckedRatings(cols, read)


def _rows_where(
    bad_words: np.ndarray, cells: Coded, key: str, column: str, file: str, expected: str = ""
) -> list[Problem]:
    """A problem for every row whose word is flagged bad."""
    if not len(bad_words) or not bad_words.any():
        return []
    return [
        Problem(key, {"found": cells[n], "expected": expected}, file=file, row=line(int(n)), column=column)
        for n in np.flatnonzero(np.asarray(bad_words, dtype=bool)[cells.codes])
    ]


def _level_problems(cols: dict[str, Coded], items: dict[str, Item], file: str) -> list[Problem]:
    """A level the item does not have, NA where the item does not allow it, a rating of a computed item."""
    item_words, level_words = cols["item_id"].words, cols["level"].words
    bad_pair = np.zeros((len(item_words), len(level_words)), dtype=bool)
    reasons: dict[tuple[int, int], tuple[str, str]] = {}
    for i, item_id in enumerate(item_words):
        item = items.get(item_id)
        if item is None:
            continue  # reported as an unknown item
        allowed = {lv.id for lv in item.levels} | ({NA} if item.allow_na else set())
        for k, level in enumerate(level_words):
            if isinstance(item, QuantitativeItem) or level not in allowed:
                bad_pair[i, k] = True
                reasons[(i, k)] = _level_reason(item, level)
    item_codes, level_codes = cols["item_id"].codes, cols["level"].codes
    if not bad_pair.any():
        return []
    problems = []
    for n in np.flatnonzero(bad_pair[item_codes, level_codes]):
        key, expected = reasons[(int(item_codes[n]), int(level_codes[n]))]
        params = {"item": item_words[item_codes[n]], "expected": expected, "found": level_words[level_codes[n]]}
        problems.append(Problem(key, params, file=file, row=line(int(n)), column="level"))
    return problems


def _level_reason(item: Item, level: str) -> tuple[str, str]:
    """The message key and the expected levels for a level an item does not take."""
    if isinstance(item, QuantitativeItem):
        return "input.computed_item", ""
    if level == NA:
        return "input.na_not_allowed", ""
    return "input.unknown_level", ", ".join(lv.id for lv in item.levels)


def _duplicate_problems(cols: dict[str, Coded], file: str) -> list[Problem]:
    """One self rating and one consensus per school and item; one rating per inspector."""
    role = cols["role"]
    single = np.isin(role.words, ["self", "consensus"])[role.codes]  # the rater counts only for inspectors
    school, rater, item = cols["school_code"].codes, cols["rater"].codes, cols["item_id"].codes
    sizes = (len(cols["school_code"].words), len(role.words), len(cols["rater"].words) + 1)
    if _no_repeat_in_runs(school, role.codes, rater, single, item, sizes):
        return []
    n_items = len(cols["item_id"].words)
    key = _run_heads(school, role.codes, rater, single, sizes, slice(None))
    key *= n_items
    key += item
    if not _any_repeat(key, sizes[0] * sizes[1] * sizes[2] * n_items):
        return []
    problems = []
    for n in np.flatnonzero(~_first_occurrences(key)):
        found = " / ".join(cols[c][n] for c in ("school_code", "item_id", "role", "rater"))
        problems.append(Problem("input.duplicate_rating", {"found": found}, file=file, row=line(int(n))))
    return problems


def _run_heads(
    school: np.ndarray, role: np.ndarray, rater: np.ndarray, single: np.ndarray, sizes: tuple[int, ...], rows: object
) -> np.ndarray:
    """The (school, role, rater) of the given rows as one number each; the rater is 0 for self and consensus."""
    head = school[rows].astype(np.int64)
    head *= sizes[1]
    head += role[rows]
    head *= sizes[2]
    head += np.where(single[rows], 0, rater[rows].astype(np.int64) + 1)
    return head


def _no_repeat_in_runs(
    school: np.ndarray,
    role: np.ndarray,
    rater: np.ndarray,
    single: np.ndarray,
    item: np.ndarray,
    sizes: tuple[int, ...],
) -> bool:
    """True when rows come in runs of one (school, role, rater), items rising within a run, no run repeated.

    That is how every export writes ratings, and it proves there is no duplicate in a few comparisons
    of neighbouring rows, without a key per row or sorting millions of them. False means "not
    proven": the caller then looks row by row.
    """
    if len(item) < 2:
        return True
    same = school[1:] == school[:-1]
    same &= role[1:] == role[:-1]
    same &= (rater[1:] == rater[:-1]) | single[1:]  # (the same role: both single, or both inspectors)
    if (same & (item[1:] <= item[:-1])).any():
        return False
    heads = _run_heads(school, role, rater, single, sizes, np.concatenate(([0], np.flatnonzero(~same) + 1)))
    heads.sort()
    return not (heads[1:] == heads[:-1]).any()


def _any_repeat(keys: np.ndarray, space: int) -> bool:
    """Whether any key (each in [0, space)) occurs twice: marks in a bitmap when the space is small, else a sort."""
    if space <= max(1 << 25, 4 * len(keys)):
        seen = np.zeros(space, dtype=bool)
        seen[keys] = True
        return int(np.count_nonzero(seen)) < len(keys)
    ordered = np.sort(keys.astype(np.int32) if space < 2**31 else keys)  # a smaller type sorts faster
    return bool((ordered[1:] == ordered[:-1]).any())
