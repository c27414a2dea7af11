"""Reading a filled template back: every check first, then the ratings (and facts) — or every problem.

Order: the file as an archive (size, expansion, entries, XML declarations), then the workbook, its
hidden identity (school, cycle, framework version and hash, role, rater), then the item sheet and the
facts sheet. A wrong identity stops there (the rows of another school or framework mean nothing); the
rest of the problems are listed together. Nothing is returned unless everything is right, so the
caller writes all of it or nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pandas as pd
from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from criteria.models import Framework
from i18n.catalog import t
from i18n.problems import InputError, Problem
from reports.template_facts import FactsReader, facts_row, read_fact_cells
from reports.template_layout import (
    FORMAT_VERSION,
    META_KEYS,
    META_SHEET,
    TemplateIdentity,
    applicable_items,
)
from reports.template_rows import RatedRow, SheetReader, cell_text, header_problems, read_item_rows
from reports.zip_guard import Limits, container_problems
from scoring.inputs import OPTIONAL_RATING_COLUMNS, RATING_COLUMNS, parse_stages, read_ratings

IDENTITY_FIELDS = ("school_code", "cycle", "framework_id", "framework_version", "framework_hash", "role")


@dataclass(frozen=True)
class TemplateImport:
    """What a valid filled template holds.

    The ratings in `read_ratings` shape (with account and finding), and for a school's template the
    facts as numbers by fact name.
    """

    ratings: pd.DataFrame
    facts: dict[str, float] | None
    school_name: str
    stages: str
    versions: dict[str, str] = dataclass_field(default_factory=dict)  # what the export carried (see `write_template`)


def read_template(
    data: bytes,
    expected: TemplateIdentity,
    framework: Framework,
    lang: str = "zh",
    *,
    file: str = "template.xlsx",
    limits: Limits | None = None,
) -> TemplateImport:
    """The ratings (and facts) of a filled template, or InputError listing every problem with its place."""
    problems = container_problems(data, limits or Limits.from_settings(), file)
    if problems:
        raise InputError(problems)
    book = _open(data, file)
    try:
        meta, problems = _identity(book, expected, lang, file)
        if problems:
            raise InputError(problems)
        return _contents(book, meta, expected, framework, lang, file)
    finally:
        book.close()


def _open(data: bytes, file: str) -> Workbook:
    """The workbook, or InputError; openpyxl wraps what defusedxml refuses in a ValueError."""
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # garbage styles.xml or workbook.xml, lxml errors: all located
        cause = error.__cause__ or error.__context__
        if isinstance(error, DefusedXmlException) or isinstance(cause, DefusedXmlException):
            raise InputError([Problem("template.hostile_xml", {"found": "XML"}, file=file)]) from None
        raise InputError([Problem("template.unreadable", {"found": type(error).__name__}, file=file)]) from None


def _identity(book: Workbook, expected: TemplateIdentity, lang: str, file: str) -> tuple[dict[str, str], list[Problem]]:
    """The hidden identity of the template, and how it differs from the one expected."""
    if META_SHEET not in book.sheetnames:
        return {}, [Problem("template.no_meta", {}, file=file)]
    meta = {cell_text(row[0]): cell_text(row[1]) for row in book[META_SHEET].iter_rows(max_col=2, values_only=True)}
    if meta.get("format") != FORMAT_VERSION or any(k not in meta for k in META_KEYS):
        return meta, [
            Problem("template.format", {"found": meta.get("format", "—"), "expected": FORMAT_VERSION}, file=file)
        ]
    problems: list[Problem] = []
    for field in IDENTITY_FIELDS:
        want = getattr(expected, field)
        if meta[field] == want or (field == "framework_hash" and _other_framework(problems)):
            continue
        params = {"found": _shown(field, meta[field], lang), "expected": _shown(field, want, lang)}
        problems.append(Problem(f"template.wrong_{field}", params, file=file))
    if not problems and expected.role == "inspector" and meta["rater"] != expected.rater:
        problems.append(
            Problem("template.wrong_rater", {"found": meta["rater"], "expected": expected.rater}, file=file)
        )
    return meta, problems


def _other_framework(problems: list[Problem]) -> bool:
    """Another framework or version: a different hash then says nothing more."""
    return any(p.key in ("template.wrong_framework_id", "template.wrong_framework_version") for p in problems)


def _shown(field: str, value: str, lang: str) -> str:
    """A role in words; other identity fields as they are."""
    if field == "role" and value in ("self", "inspector"):
        return t(f"template.role.{value}", lang)
    return value


def _contents(
    book: Workbook, meta: dict[str, str], expected: TemplateIdentity, framework: Framework, lang: str, file: str
) -> TemplateImport:
    stages = parse_stages(meta["stages"]) or ()
    items = applicable_items(framework, stages)
    problems: list[Problem] = []
    rows: list[RatedRow] = []
    name = meta["items_sheet"]
    if name not in book.sheetnames:
        problems.append(Problem("template.missing_sheet", {"expected": name}, file=file))
    else:
        reader = SheetReader(file, name, expected.role, lang)
        problems += header_problems(book[name], reader, meta["lang"])
        if not problems:
            rows, row_problems = read_item_rows(book[name], reader, items)
            problems += row_problems
    facts, fact_problems = _facts(book, meta, lang, file) if expected.role == "self" else (None, [])
    problems += fact_problems
    if problems:
        raise InputError(problems)
    ratings = ratings_frame(rows, expected)
    read_ratings(ratings, framework, [expected.school_code], file=file)  # the same checks as a ratings CSV
    versions = {k.removeprefix("version."): v for k, v in meta.items() if k.startswith("version.")}
    return TemplateImport(ratings, facts, meta["school_name"], meta["stages"], versions)


def _facts(book: Workbook, meta: dict[str, str], lang: str, file: str) -> tuple[dict[str, float] | None, list[Problem]]:
    name = meta["facts_sheet"]
    if name not in book.sheetnames:
        return None, [Problem("template.missing_sheet", {"expected": name}, file=file)]
    reader = FactsReader(file, name, lang)
    cells, problems = read_fact_cells(book[name], reader)
    values, more = facts_row(cells, reader, (meta["school_code"], meta["school_name"], meta["stages"]))
    return values, problems + more


def ratings_frame(rows: list[RatedRow], expected: TemplateIdentity) -> pd.DataFrame:
    """The rows as ratings: the text is the school's account, or the inspector's finding."""
    text_column = "account" if expected.role == "self" else "finding"
    rater = expected.rater or f"school-{expected.school_code}"
    frame = pd.DataFrame(
        {
            "school_code": [expected.school_code] * len(rows),
            "item_id": [r.item_id for r in rows],
            "rater": [rater] * len(rows),
            "role": [expected.role] * len(rows),
            "level": [r.level for r in rows],
        },
        columns=list(RATING_COLUMNS),
    )
    for column in OPTIONAL_RATING_COLUMNS:
        frame[column] = [r.text for r in rows] if column == text_column else [""] * len(rows)
    return frame.astype(str)
