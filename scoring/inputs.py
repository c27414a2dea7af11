"""Reading and checking school facts and ratings into frames, from CSV or Parquet files or from frames.

The frame door of the checks of `scoring.checks` (which `xinyu score` uses without pandas): both
readers list every problem (file, line, column, expected, found) and raise `InputError`; they return
frames in the shape the store, the pages and the reports expect. Files are read by the columnar path
of `scoring.columnar` (pyarrow, dictionary-encoded columns) and every check runs once per distinct
value of a column, then over the rows' integer codes; a file the columnar path does not take (an
uneven row, an odd header) is read as text cells by `read_csv_text`, with the same checks and
messages. The bytes of every CSV door are decoded by the one rule of `i18n.text_files` (UTF-8 with or
without BOM, UTF-16, GB18030/GBK).
"""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from criteria.models import Framework, QuantitativeItem
from i18n.problems import InputError, Problem
from i18n.text_files import decode_table
from scoring.checks import (
    FALSE_WORDS,
    STAGE_ALIASES,
    TRUE_WORDS,
    column_problems,
    facts_of_columns,
    line,
    load_facts,
    load_ratings,
    parse_stages,
    ratings_of_columns,
)
from scoring.columnar import Coded, TextColumns
from scoring.facts import FACTS
from scoring.layout import (
    HEADER_LINES,
    OPTIONAL_RATING_COLUMNS,
    OPTIONAL_SCHOOL_COLUMNS,
    RATING_COLUMNS,
    ROLES,
    SCHOOL_COLUMNS,
)

FACT_NAMES = tuple(FACTS)

__all__ = [
    "FALSE_WORDS",
    "HEADER_LINES",
    "OPTIONAL_RATING_COLUMNS",
    "OPTIONAL_SCHOOL_COLUMNS",
    "RATING_COLUMNS",
    "ROLES",
    "SCHOOL_COLUMNS",
    "STAGE_ALIASES",
    "TRUE_WORDS",
    "frame_columns",
    "parse_stages",
    "read_csv_text",
    "read_facts",
    "read_overrides",
    "read_ratings",
]


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
    """A frame's cells as coded columns (every cell as text when `text`, as the facts reader wants)."""
    frame = frame.reset_index(drop=True)
    cells = {c: Coded.of_values(frame[c], as_text=text) for c in frame.columns}
    return TextColumns(list(frame.columns), cells, len(frame))


def read_facts(source: str | Path | pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Checked facts: one row per school, indexed by school code, numbers as float, stages as flags.

    A file is read as CSV (any encoding of `read_csv_text`) or, named `.parquet`, as Parquet.
    """
    if not isinstance(source, pd.DataFrame):
        return load_facts(source, file).frame()
    file = file or "facts"
    problems = column_problems(source.columns, (*SCHOOL_COLUMNS, *FACT_NAMES), OPTIONAL_SCHOOL_COLUMNS, file)
    if problems:
        raise InputError(problems)
    return facts_of_columns(frame_columns(source), file).frame()


def read_ratings(
    source: str | Path | pd.DataFrame,
    framework: Framework,
    schools: Collection[str],
    file: str | None = None,
    texts: bool = True,
) -> pd.DataFrame:
    """Checked ratings in long form: school_code, item_id, rater, role, level (a level id or NA).

    Columns are handled as coded words, so each check runs once per distinct value rather than per
    row; the frame returned keeps them categorical (the engine reads their codes). With `texts`
    False the optional account and finding columns are not read (they come back empty): `score`
    never uses them, and turning millions of them into text is most of the cost of a large file.
    """
    if not isinstance(source, pd.DataFrame):
        return load_ratings(source, framework, schools, file, texts).frame(with_texts=texts)
    file = file or "ratings"
    problems = column_problems(source.columns, RATING_COLUMNS, OPTIONAL_RATING_COLUMNS, file)
    if problems:  # before any cell is read: an unknown column may hold anything
        raise InputError(problems)
    checked = ratings_of_columns(frame_columns(source, text=False), framework, schools, file, texts)
    return checked.frame(with_texts=texts)


OVERRIDE_COLUMNS = ("school_code", "item_id", "level", "reason")
OPTIONAL_OVERRIDE_COLUMNS = ("by",)


def read_overrides(
    source: str | Path | pd.DataFrame,
    framework: Framework,
    schools: Collection[str],
    file: str | None = None,
) -> pd.DataFrame:
    """Checked on-site overrides: school_code, item_id (a computed item), level (one of its levels), reason, by.

    Every problem is named by file, line and column; a missing reason is one (the override needs it).
    """
    frame = source if isinstance(source, pd.DataFrame) else read_csv_text(source)
    file = file or (Path(source).name if not isinstance(source, pd.DataFrame) else "overrides")
    problems = column_problems(frame.columns, OVERRIDE_COLUMNS, OPTIONAL_OVERRIDE_COLUMNS, file)
    if problems:
        raise InputError(problems)
    frame = frame.reset_index(drop=True).astype(str)
    known = set(schools)
    items = {item.id: item for item in framework.items()}
    seen: set[tuple[str, str]] = set()
    out = []
    for n, row in frame.iterrows():
        row_line = line(int(n))
        code, item_id = row["school_code"].strip(), row["item_id"].strip()
        level, reason = row["level"].strip(), row["reason"].strip()
        by = row["by"].strip() if "by" in frame.columns else ""
        item = items.get(item_id)
        where = {"file": file, "row": row_line}
        if code not in known:
            problems.append(Problem("input.unknown_school", {"found": code}, **where, column="school_code"))
        if item is None:
            problems.append(Problem("input.unknown_item", {"found": item_id}, **where, column="item_id"))
        elif not isinstance(item, QuantitativeItem):
            params = {"item": f"{item.id} {item.title.zh}"}
            problems.append(Problem("judgement.override.not_computed", params, **where, column="item_id"))
        elif level not in [lv.id for lv in item.levels]:
            params = {"item": item.id, "found": level, "expected": ", ".join(lv.id for lv in item.levels)}
            problems.append(Problem("judgement.override.unknown_level", params, **where, column="level"))
        if not reason:
            problems.append(Problem("judgement.override.reason_required", {}, **where, column="reason"))
        if (code, item_id) in seen:
            found = f"{code} / {item_id}"
            problems.append(Problem("input.duplicate_rating", {"found": found}, file=file, row=row_line))
        seen.add((code, item_id))
        out.append((code, item_id, level, reason, by))
    if problems:
        raise InputError(problems)
    return pd.DataFrame(out, columns=[*OVERRIDE_COLUMNS, "by"])
