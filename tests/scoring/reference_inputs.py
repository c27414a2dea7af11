# The reader of scoring/inputs.py as it was at commit 2204ea2, kept verbatim as the oracle of test_fast_reader.py.
# Do not edit: the property tests hold the columnar reader to exactly what this one accepted and said.
"""Reading and checking school facts and ratings, from CSV files or frames, before anything is scored.

Both readers list every problem (file, line, column, expected, found) and raise `InputError`; they
return frames in the shape the engine expects. Checks are vectorised so that a district of 100,000
schools is read in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.models import NA, Framework, Item, QuantitativeItem, Stage
from i18n.problems import InputError, Problem
from scoring.facts import FACT_BOUNDS, FACT_FIELDS, FACTS
from scoring.metrics import STAGE_COLUMNS

SCHOOL_COLUMNS = ("school_code", "school_name", "stages")
OPTIONAL_SCHOOL_COLUMNS = ("street", "ownership")
RATING_COLUMNS = ("school_code", "item_id", "rater", "role", "level")
OPTIONAL_RATING_COLUMNS = ("account", "finding")
ROLES = ("self", "inspector", "consensus")
HEADER_LINES = 1

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


def read_csv_text(path: str | Path) -> pd.DataFrame:
    """A CSV file as text cells (no type guessing, empty cells as ''), or InputError."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError([Problem("file.unreadable", {"found": str(error).splitlines()[0]}, file=path.name)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _line(index: int) -> int:
    """The file line of a data row (the header is line 1)."""
    return index + HEADER_LINES + 1


def _column_problems(frame: pd.DataFrame, required: Iterable[str], allowed: Iterable[str], file: str) -> list[Problem]:
    problems = []
    required = list(required)
    allowed_set = set(required) | set(allowed)
    for col in required:
        if col not in frame.columns:
            problems.append(Problem("input.missing_column", {"expected": col}, file=file, column=col))
    for col in frame.columns:
        if col not in allowed_set:
            problems.append(Problem("input.unknown_column", {"found": col}, file=file, column=col))
    return problems


def parse_stages(text: str) -> tuple[Stage, ...] | None:
    """Stages written as `primary;junior` (or 小学;初中, separated by ; , 、 or spaces); None when any is unknown."""
    words = [w for w in re.split(r"[;,、，\s]+", text) if w]
    stages = [STAGE_ALIASES.get(w.lower() if w.isascii() else w) for w in words]
    if not stages or any(s is None for s in stages):
        return None
    return tuple(dict.fromkeys(s for s in stages if s is not None))


def read_facts(source: str | Path | pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Checked facts: one row per school, indexed by school code, numbers as float, stages as flags."""
    frame = source if isinstance(source, pd.DataFrame) else read_csv_text(source)
    file = file or (Path(source).name if not isinstance(source, pd.DataFrame) else "facts")
    problems = _column_problems(frame, (*SCHOOL_COLUMNS, *FACTS), OPTIONAL_SCHOOL_COLUMNS, file)
    if problems:
        raise InputError(problems)
    frame = frame.reset_index(drop=True).astype(str)
    codes = frame["school_code"].str.strip()
    out = pd.DataFrame(index=pd.Index(codes, name="school_code"))
    out["school_name"] = frame["school_name"].to_numpy()
    for col in OPTIONAL_SCHOOL_COLUMNS:
        out[col] = frame[col].to_numpy() if col in frame.columns else ""
    problems += _code_problems(codes, file)
    parsed = {text: parse_stages(text) for text in pd.unique(frame["stages"])}
    stage_lists = [parsed[text] for text in frame["stages"]]
    for n, stages in enumerate(stage_lists):
        if stages is None:
            expected = ", ".join(s.value for s in Stage)
            problems.append(
                Problem(
                    "input.bad_stages",
                    {"expected": expected, "found": frame["stages"].iloc[n]},
                    file=file,
                    row=_line(n),
                    column="stages",
                )
            )
    out["stages"] = [";".join(s.value for s in (st or ())) for st in stage_lists]
    for stage, col in STAGE_COLUMNS.items():
        out[col] = [stage in (st or ()) for st in stage_lists]
    for fact in FACT_FIELDS:
        values, bad = _parse_fact(frame[fact.name], fact.kind, fact.minimum, fact.maximum)
        out[fact.name] = values.to_numpy()
        for n in np.flatnonzero(bad):
            problems.append(_fact_problem(fact.name, frame[fact.name].iloc[n], file, _line(int(n))))
    problems += _bound_problems(out, file)
    if problems:
        raise InputError(problems)
    return out


def _code_problems(codes: pd.Series, file: str) -> list[Problem]:
    problems = []
    for n in np.flatnonzero((codes == "").to_numpy()):
        problems.append(Problem("input.empty", {}, file=file, row=_line(int(n)), column="school_code"))
    dup = codes.duplicated() & (codes != "")
    for n in np.flatnonzero(dup.to_numpy()):
        problems.append(
            Problem(
                "input.duplicate_school",
                {"found": codes.iloc[n]},
                file=file,
                row=_line(int(n)),
                column="school_code",
            )
        )
    return problems


def _parse_fact(cells: pd.Series, kind: str, minimum: float, maximum: float | None) -> tuple[pd.Series, np.ndarray]:
    """Values as float and a mask of the cells that are not valid for the fact's kind and bounds."""
    text = cells.str.strip()
    if kind == "bool":
        lowered = text.str.lower()
        values = pd.Series(
            np.where(lowered.isin(TRUE_WORDS), 1.0, np.where(lowered.isin(FALSE_WORDS), 0.0, np.nan)),
            index=cells.index,
        )
        return values, values.isna().to_numpy()
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = ~np.isfinite(values) | (values < minimum)
    if maximum is not None:
        bad |= values > maximum
    if kind == "int":
        bad |= values.notna() & (values != values.round())
    return values, bad.to_numpy()


def _fact_problem(name: str, found: str, file: str, line: int) -> Problem:
    fact = FACTS[name]
    if fact.kind == "bool":
        return Problem("input.bad_bool", {"found": found}, file=file, row=line, column=name)
    key = "input.bad_int" if fact.kind == "int" else "input.bad_number"
    upper = f"{fact.maximum:g}" if fact.maximum is not None else "∞"
    params = {"min": f"{fact.minimum:g}", "max": upper, "found": found}
    return Problem(key, params, file=file, row=line, column=name)


def _bound_problems(out: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for small, large in FACT_BOUNDS:
        over = (out[small] > out[large]).to_numpy()
        for n in np.flatnonzero(over):
            problems.append(
                Problem(
                    "input.fact_exceeds",
                    {
                        "small": FACTS[small].zh,
                        "large": FACTS[large].zh,
                        "small_en": FACTS[small].en,
                        "large_en": FACTS[large].en,
                        "found": f"{out[small].iloc[n]:g} > {out[large].iloc[n]:g}",
                    },
                    file=file,
                    row=_line(int(n)),
                    column=small,
                )
            )
    return problems


def read_ratings(
    source: str | Path | pd.DataFrame,
    framework: Framework,
    schools: Iterable[str],
    file: str | None = None,
) -> pd.DataFrame:
    """Checked ratings in long form: school_code, item_id, rater, role, level (a level id or NA).

    Columns are handled as categoricals, so each check runs once per distinct value rather than per
    row; the frame returned keeps them categorical (the engine reads their codes).
    """
    frame = source if isinstance(source, pd.DataFrame) else read_csv_text(source)
    file = file or (Path(source).name if not isinstance(source, pd.DataFrame) else "ratings")
    problems = _column_problems(frame, RATING_COLUMNS, OPTIONAL_RATING_COLUMNS, file)
    if problems:
        raise InputError(problems)
    frame = frame.reset_index(drop=True)
    cols = {c: _stripped_categorical(frame[c]) for c in RATING_COLUMNS}
    items = {item.id: item for item in framework.items()}
    checks = (
        ("school_code", pd.Index(list(schools)), "input.unknown_school", ""),
        ("item_id", pd.Index(list(items)), "input.unknown_item", ""),
        ("role", pd.Index(ROLES), "input.bad_role", ", ".join(ROLES)),
    )
    for column, known, key, expected in checks:
        bad = ~cols[column].categories.isin(known)
        problems += _rows_where(_row_mask(cols[column], bad), cols[column], key, column, file, expected)
    empty_rater = np.asarray(cols["rater"].categories == "")
    problems += _rows_where(_row_mask(cols["rater"], empty_rater), cols["rater"], "input.empty", "rater", file)
    problems += _level_problems(cols, items, file)
    problems += _duplicate_problems(cols, file)
    if problems:
        raise InputError(problems)
    out = pd.DataFrame({c: cols[c] for c in RATING_COLUMNS})
    for col in OPTIONAL_RATING_COLUMNS:
        out[col] = frame[col].astype(str).to_numpy() if col in frame.columns else ""
    return out


def _stripped_categorical(values: pd.Series) -> pd.Categorical:
    """The column as a categorical of stripped text (missing cells become '')."""
    cat = pd.Categorical(values) if not isinstance(values.dtype, pd.CategoricalDtype) else values.array
    stripped = pd.Index(cat.categories.astype(str).str.strip())
    unique = pd.Index(pd.unique(stripped.append(pd.Index([""]))))
    mapping = unique.get_indexer(stripped)
    codes = np.asarray(cat.codes)
    new_codes = np.where(codes >= 0, mapping[np.clip(codes, 0, None)], unique.get_loc(""))
    return pd.Categorical.from_codes(new_codes, categories=unique)


def _row_mask(cat: pd.Categorical, bad_categories: np.ndarray) -> np.ndarray:
    """Rows whose category is flagged bad."""
    return np.asarray(bad_categories, dtype=bool)[np.asarray(cat.codes)]


def _duplicate_problems(cols: dict[str, pd.Categorical], file: str) -> list[Problem]:
    """One self rating and one consensus per school and item; one rating per inspector."""
    role = cols["role"]
    single = np.asarray(pd.Index(role.categories).isin(("self", "consensus")))[np.asarray(role.codes)]
    rater = np.where(single, 0, np.asarray(cols["rater"].codes) + 1).astype(np.int64)
    key = np.asarray(cols["school_code"].codes).astype(np.int64)
    for part, size in (
        (cols["item_id"].codes, len(cols["item_id"].categories)),
        (rater, len(cols["rater"].categories) + 1),
        (role.codes, len(role.categories)),
    ):
        key = key * size + np.asarray(part)
    problems = []
    for n in np.flatnonzero(pd.Series(key).duplicated(keep="first").to_numpy()):
        found = " / ".join(str(cols[c][n]) for c in ("school_code", "item_id", "role", "rater"))
        problems.append(Problem("input.duplicate_rating", {"found": found}, file=file, row=_line(int(n))))
    return problems


def _rows_where(
    mask: np.ndarray, cells: pd.Categorical, key: str, column: str, file: str, expected: str = ""
) -> list[Problem]:
    return [
        Problem(key, {"found": cells[n], "expected": expected}, file=file, row=_line(int(n)), column=column)
        for n in np.flatnonzero(mask)
    ]


def _level_problems(cols: dict[str, pd.Categorical], items: dict[str, Item], file: str) -> list[Problem]:
    """A level the item does not have, NA where the item does not allow it, a rating of a computed item."""
    item_cats, level_cats = cols["item_id"].categories, cols["level"].categories
    bad_pair = np.zeros((len(item_cats), len(level_cats)), dtype=bool)
    reasons: dict[tuple[int, int], tuple[str, str]] = {}
    for i, item_id in enumerate(item_cats):
        item = items.get(item_id)
        if item is None:
            continue  # reported as an unknown item
        allowed = {lv.id for lv in item.levels} | ({NA} if item.allow_na else set())
        for k, level in enumerate(level_cats):
            if isinstance(item, QuantitativeItem) or level not in allowed:
                bad_pair[i, k] = True
                reasons[(i, k)] = _level_reason(item, level)
    item_codes, level_codes = np.asarray(cols["item_id"].codes), np.asarray(cols["level"].codes)
    problems = []
    for n in np.flatnonzero(bad_pair[item_codes, level_codes]):
        key, expected = reasons[(int(item_codes[n]), int(level_codes[n]))]
        params = {"item": item_cats[item_codes[n]], "expected": expected, "found": level_cats[level_codes[n]]}
        problems.append(Problem(key, params, file=file, row=_line(int(n)), column="level"))
    return problems


def _level_reason(item: Item, level: str) -> tuple[str, str]:
    """The message key and the expected levels for a level an item does not take."""
    if isinstance(item, QuantitativeItem):
        return "input.computed_item", ""
    if level == NA:
        return "input.na_not_allowed", ""
    return "input.unknown_level", ", ".join(lv.id for lv in item.levels)
