"""Reading and checking school facts and ratings, from CSV or Parquet files or frames, before anything is scored.

Both readers list every problem (file, line, column, expected, found) and raise `InputError`; they
return frames in the shape the engine expects. Files are read by the columnar path of
`scoring.columnar` (pyarrow, dictionary-encoded columns) and every check runs once per distinct value
of a column, then over the rows' integer codes, so that a district of 100,000 schools is read in
seconds; a file the columnar path does not take (an uneven row, an odd header) is read as text cells
by `read_csv_text`, with the same checks and messages. The bytes of every CSV door are decoded by
the one rule of `i18n.text_files` (UTF-8 with or without BOM, UTF-16, GB18030/GBK).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.models import NA, Framework, Item, QuantitativeItem, Stage
from i18n.problems import InputError, Problem
from i18n.text_files import decode_table
from scoring.columnar import TextColumns, read_columns
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


def read_csv_text(source: str | Path | bytes, file: str | None = None) -> pd.DataFrame:
    """A CSV file (a path, or an upload's bytes) as text cells (no type guessing, empty cells as ''), or InputError.

    The bytes are decoded by `i18n.text_files.decode_table`: UTF-8 with or without BOM, UTF-16 (tab
    separated, as Excel's "Unicode text"), GB18030/GBK (Excel's "CSV" on a Chinese Windows).
    """
    name = file or ("data" if isinstance(source, bytes) else Path(source).name)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as error:
        raise InputError([Problem("file.unreadable", {"found": str(error).splitlines()[0]}, file=name)]) from None
    decoded = decode_table(data, name)
    try:
        frame = pd.read_csv(io.StringIO(decoded.text), sep=decoded.delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError([Problem("file.unreadable", {"found": str(error).splitlines()[0]}, file=name)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def frame_columns(frame: pd.DataFrame, text: bool = True) -> TextColumns:
    """A frame of text cells as categorical columns (every cell as text when `text`, as the facts reader wants)."""
    frame = frame.reset_index(drop=True)
    cells = {c: pd.Categorical(frame[c].astype(str)) if text else frame[c] for c in frame.columns}
    return TextColumns(list(frame.columns), cells, len(frame))


def _file_columns(source: str | Path, wanted, file: str | None, text: bool = True) -> TextColumns:
    """A file's columns by the columnar path, else through the text reader."""
    columns = read_columns(source, wanted, file)
    return columns if columns is not None else frame_columns(read_csv_text(source), text)


def _shifted(problems: list[Problem], first_line: int) -> list[Problem]:
    """Problems with rows counted from the table's first data row (Parquet: row 1) instead of CSV line 2."""
    shift = first_line - (HEADER_LINES + 1)
    if not shift:
        return problems
    return [dataclasses.replace(p, row=p.row + shift) if p.row is not None else p for p in problems]


def _line(index: int) -> int:
    """The file line of a data row (the header is line 1)."""
    return index + HEADER_LINES + 1


def _column_problems(
    frame: pd.DataFrame | TextColumns, required: Iterable[str], allowed: Iterable[str], file: str
) -> list[Problem]:
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
    """Checked facts: one row per school, indexed by school code, numbers as float, stages as flags.

    A file is read as CSV (any encoding of `read_csv_text`) or, named `.parquet`, as Parquet.
    """
    if isinstance(source, pd.DataFrame):
        file = file or "facts"
        columns = TextColumns(list(source.columns), {}, len(source))
    else:
        file = file or Path(source).name
        columns = _file_columns(source, lambda names: names, file)
    problems = _column_problems(columns, (*SCHOOL_COLUMNS, *FACTS), OPTIONAL_SCHOOL_COLUMNS, file)
    if problems:
        raise InputError(problems)
    if isinstance(source, pd.DataFrame):
        columns = frame_columns(source)
    try:
        return _checked_facts(columns, file)
    except InputError as error:
        raise InputError(_shifted(error.problems, columns.first_line)) from None


def _checked_facts(columns: TextColumns, file: str) -> pd.DataFrame:
    """The facts checks over categorical columns: once per distinct text, then over the rows' codes."""
    cells = columns.cells
    problems: list[Problem] = []
    code_cat = cells["school_code"]
    code_codes = np.asarray(code_cat.codes)
    codes = pd.Series(np.asarray(pd.Index(code_cat.categories).str.strip(), dtype=object)[code_codes], dtype="str")
    out = pd.DataFrame(index=pd.Index(codes, name="school_code"))
    out["school_name"] = np.asarray(cells["school_name"], dtype=object)
    for col in OPTIONAL_SCHOOL_COLUMNS:
        out[col] = np.asarray(cells[col], dtype=object) if col in cells else ""
    problems += _code_problems(codes, file)
    stage_cat = cells["stages"]
    stage_codes = np.asarray(stage_cat.codes)
    parsed = [parse_stages(text) for text in stage_cat.categories]
    unknown = np.array([p is None for p in parsed], dtype=bool)
    expected = ", ".join(s.value for s in Stage)
    for n in np.flatnonzero(unknown[stage_codes]):
        problems.append(
            Problem(
                "input.bad_stages",
                {"expected": expected, "found": stage_cat[n]},
                file=file,
                row=_line(int(n)),
                column="stages",
            )
        )
    joined = np.array([";".join(s.value for s in (st or ())) for st in parsed] + [""], dtype=object)
    out["stages"] = joined[stage_codes].tolist()  # lists, as before: the same column types for an empty file
    for stage, col in STAGE_COLUMNS.items():
        flags = np.array([stage in (st or ()) for st in parsed] + [False], dtype=bool)
        out[col] = flags[stage_codes].tolist()
    for fact in FACT_FIELDS:
        cat = cells[fact.name]
        fact_codes = np.asarray(cat.codes)
        values, bad = _parse_fact(pd.Series(cat.categories, dtype="str"), fact.kind, fact.minimum, fact.maximum)
        out[fact.name] = values.to_numpy(dtype="float64")[fact_codes]
        for n in np.flatnonzero(bad[fact_codes]):
            problems.append(_fact_problem(fact.name, cat[n], file, _line(int(n))))
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
    texts: bool = True,
) -> pd.DataFrame:
    """Checked ratings in long form: school_code, item_id, rater, role, level (a level id or NA).

    Columns are handled as categoricals, so each check runs once per distinct value rather than per
    row; the frame returned keeps them categorical (the engine reads their codes). With `texts`
    False the optional account and finding columns are not read (they come back empty): `score`
    never uses them, and turning millions of them into text is most of the cost of a large file.
    """
    if isinstance(source, pd.DataFrame):
        file = file or "ratings"
        source = source.reset_index(drop=True)
        columns = TextColumns(list(source.columns), dict(source.items()), len(source))
    else:
        file = file or Path(source).name
        wanted = (*RATING_COLUMNS, *(OPTIONAL_RATING_COLUMNS if texts else ()))
        columns = _file_columns(source, lambda names: wanted, file, text=False)
    problems = _column_problems(columns, RATING_COLUMNS, OPTIONAL_RATING_COLUMNS, file)
    if problems:
        raise InputError(problems)
    try:
        return _checked_ratings(columns, framework, schools, file, texts)
    except InputError as error:
        raise InputError(_shifted(error.problems, columns.first_line)) from None


def _checked_ratings(
    columns: TextColumns, framework: Framework, schools: Iterable[str], file: str, texts: bool
) -> pd.DataFrame:
    problems: list[Problem] = []
    cols = {c: _stripped_categorical(columns.cells[c]) for c in RATING_COLUMNS}
    items = {item.id: item for item in framework.items()}
    checks = (
        ("school_code", pd.Index(list(schools)), "input.unknown_school", ""),
        ("item_id", pd.Index(list(items)), "input.unknown_item", ""),
        ("role", pd.Index(ROLES), "input.bad_role", ", ".join(ROLES)),
    )
    for column, known, key, expected in checks:
        bad = ~_isin(cols[column].categories, known)
        problems += _rows_where(_row_mask(cols[column], bad), cols[column], key, column, file, expected)
    empty_rater = np.asarray(cols["rater"].categories == "")
    problems += _rows_where(_row_mask(cols["rater"], empty_rater), cols["rater"], "input.empty", "rater", file)
    problems += _level_problems(cols, items, file)
    problems += _duplicate_problems(cols, file)
    if problems:
        raise InputError(problems)
    out = pd.DataFrame({c: cols[c] for c in RATING_COLUMNS})
    for col in OPTIONAL_RATING_COLUMNS:
        present = texts and col in columns.cells
        out[col] = _texts(columns.cells[col]) if present else _empty_texts(len(out), texts)
    return out


def _empty_texts(rows: int, texts: bool) -> object:
    """An absent text column: '' in every row (one shared category when texts were not asked for)."""
    return "" if texts else pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8), categories=[""], validate=False)


def _texts(values: pd.Series | pd.Categorical) -> np.ndarray:
    """A column's cells as text."""
    if isinstance(values, pd.Categorical):
        return np.asarray(values, dtype=object)
    return values.astype(str).to_numpy()


def _stripped_categorical(values: pd.Series | pd.Categorical) -> pd.Categorical:
    """The column as a categorical of stripped text (missing cells become '')."""
    if isinstance(values, pd.Categorical):
        cat = values
    else:
        cat = pd.Categorical(values) if not isinstance(values.dtype, pd.CategoricalDtype) else values.array
    stripped = pd.Index(cat.categories.astype(str).str.strip())
    unique = pd.Index(pd.unique(stripped.append(pd.Index([""]))))
    mapping = unique.get_indexer(stripped)
    codes = np.asarray(cat.codes)
    if np.array_equal(mapping, np.arange(len(mapping))) and (len(codes) == 0 or codes.min() >= 0):
        new_codes = codes  # nothing to strip, no missing cell: the codes stand (the common case, no copy)
    else:
        new_codes = np.where(codes >= 0, mapping[np.clip(codes, 0, None)], unique.get_loc(""))
    return pd.Categorical.from_codes(new_codes, categories=unique, validate=False)


def _isin(categories: pd.Index, known: pd.Index) -> np.ndarray:
    """Which categories are among `known` (hashing plain objects: pandas' arrow-backed text runs a Python loop here)."""
    return pd.Index(np.asarray(categories, dtype=object), dtype=object).isin(np.asarray(known, dtype=object))


def _row_mask(cat: pd.Categorical, bad_categories: np.ndarray) -> np.ndarray:
    """Rows whose category is flagged bad."""
    return np.asarray(bad_categories, dtype=bool)[np.asarray(cat.codes)]


def _duplicate_problems(cols: dict[str, pd.Categorical], file: str) -> list[Problem]:
    """One self rating and one consensus per school and item; one rating per inspector."""
    role = cols["role"]
    single = np.asarray(pd.Index(role.categories).isin(("self", "consensus")))[np.asarray(role.codes)]
    rater = np.where(single, 0, np.asarray(cols["rater"].codes) + 1)  # who counts: nobody for self and consensus
    n_raters, n_roles = len(cols["rater"].categories) + 1, len(role.categories)
    # (school, role, rater) then item: the order files are written in, so that a clean file shows it in one pass
    head = (np.asarray(cols["school_code"].codes).astype(np.int64) * n_roles + np.asarray(role.codes)) * n_raters
    head += rater
    item = np.asarray(cols["item_id"].codes)
    if _no_repeat_in_runs(head, item):
        return []
    key = head * len(cols["item_id"].categories) + item
    if not _any_repeat(key, len(cols["school_code"].categories) * n_roles * n_raters * len(cols["item_id"].categories)):
        return []
    problems = []
    for n in np.flatnonzero(pd.Series(key).duplicated(keep="first").to_numpy()):
        found = " / ".join(str(cols[c][n]) for c in ("school_code", "item_id", "role", "rater"))
        problems.append(Problem("input.duplicate_rating", {"found": found}, file=file, row=_line(int(n))))
    return problems


def _no_repeat_in_runs(head: np.ndarray, item: np.ndarray) -> bool:
    """True when rows come in runs of one (school, role, rater), items rising within a run, no run repeated.

    That is how every export writes ratings, and it proves there is no duplicate in a few passes over
    the rows, without sorting millions of keys. False means "not proven": the caller then looks row by row.
    """
    if len(head) < 2:
        return True
    same = head[1:] == head[:-1]
    if (same & (item[1:] <= item[:-1])).any():
        return False
    heads = head[np.concatenate(([0], np.flatnonzero(~same) + 1))]
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


OVERRIDE_COLUMNS = ("school_code", "item_id", "level", "reason")
OPTIONAL_OVERRIDE_COLUMNS = ("by",)


def read_overrides(
    source: str | Path | pd.DataFrame,
    framework: Framework,
    schools: Iterable[str],
    file: str | None = None,
) -> pd.DataFrame:
    """Checked on-site overrides: school_code, item_id (a computed item), level (one of its levels), reason, by.

    Every problem is named by file, line and column; a missing reason is one (the override needs it).
    """
    frame = source if isinstance(source, pd.DataFrame) else read_csv_text(source)
    file = file or (Path(source).name if not isinstance(source, pd.DataFrame) else "overrides")
    problems = _column_problems(frame, OVERRIDE_COLUMNS, OPTIONAL_OVERRIDE_COLUMNS, file)
    if problems:
        raise InputError(problems)
    frame = frame.reset_index(drop=True).astype(str)
    known = set(schools)
    items = {item.id: item for item in framework.items()}
    seen: set[tuple[str, str]] = set()
    out = []
    for n, row in frame.iterrows():
        line = _line(int(n))
        code, item_id = row["school_code"].strip(), row["item_id"].strip()
        level, reason = row["level"].strip(), row["reason"].strip()
        by = row["by"].strip() if "by" in frame.columns else ""
        item = items.get(item_id)
        if code not in known:
            problems.append(Problem("input.unknown_school", {"found": code}, file=file, row=line, column="school_code"))
        if item is None:
            problems.append(Problem("input.unknown_item", {"found": item_id}, file=file, row=line, column="item_id"))
        elif not isinstance(item, QuantitativeItem):
            params = {"item": f"{item.id} {item.title.zh}"}
            problems.append(Problem("judgement.override.not_computed", params, file=file, row=line, column="item_id"))
        elif level not in [lv.id for lv in item.levels]:
            params = {"item": item.id, "found": level, "expected": ", ".join(lv.id for lv in item.levels)}
            problems.append(Problem("judgement.override.unknown_level", params, file=file, row=line, column="level"))
        if not reason:
            problems.append(Problem("judgement.override.reason_required", {}, file=file, row=line, column="reason"))
        if (code, item_id) in seen:
            found = f"{code} / {item_id}"
            problems.append(Problem("input.duplicate_rating", {"found": found}, file=file, row=line))
        seen.add((code, item_id))
        out.append((code, item_id, level, reason, by))
    if problems:
        raise InputError(problems)
    return pd.DataFrame(out, columns=[*OVERRIDE_COLUMNS, "by"])
