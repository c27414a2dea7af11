"""The calibration report of a round (Excel and Word), and the master-level workbook, both ways.

The report: inspectors against the master levels (exact, within one level, alpha, lowest domain,
certification), inspectors × domains, the items most missed, and the certification list. The
master-level workbook lists each case's rated items (case, item, title, level, reason) to be filled in
offline and read back; reading it checks the sheet and header and hands rows with their place to the
store, which checks every value and writes all or nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from criteria import Framework
from criteria.models import QuantitativeItem
from i18n.catalog import t
from i18n.problems import InputError, Problem
from reports.docx_parts import grid_table, heading, para
from reports.docx_style import new_document, to_bytes
from reports.xlsx_style import close, fit_widths, formats, new_workbook, write_table
from reports.zip_guard import Limits, container_problems
from scoring.calibration import CertificationRule, RoundResult

MASTER_COLUMNS = ("case", "item", "title", "level", "reason")


@dataclass(frozen=True)
class CalibrationReport:
    """What a round's report shows.

    `names`: user name → display name; `certified`: user name → valid until (None: decided, not certified);
    an inspector missing from `certified` has not been decided on yet.
    """

    round_name: str
    closed: bool
    cases: int
    result: RoundResult
    framework: Framework
    titles: Mapping[int, str]
    rule: CertificationRule = field(default_factory=CertificationRule)
    names: Mapping[str, str] = field(default_factory=dict)
    certified: Mapping[str, date | None] = field(default_factory=dict)

    def name(self, rater: str) -> str:
        """The inspector's display name."""
        return self.names.get(rater) or rater


def pct(value: float) -> float | str:
    """A share as a percentage with one decimal, or '' when there is none."""
    return "" if pd.isna(value) else round(100 * float(value), 1)


def cert_text(rep: CalibrationReport, rater: str, lang: str) -> str:
    """The inspector's certification in words."""
    if rater not in rep.certified:
        return t("calibration.report.not_certified_yet", lang)
    until = rep.certified[rater]
    return t("calibration.cert.valid", lang, until=until.isoformat()) if until else t("calibration.cert.failed", lang)


def summary_rows(rep: CalibrationReport, lang: str) -> tuple[list[str], list[list[object]]]:
    """Inspector, items, rated, exact %, within one %, alpha, lowest domain %, certification."""
    header = [
        t(f"calibration.col.{c}", lang)
        for c in ("inspector", "items", "rated", "exact", "adjacent", "alpha", "min_domain", "result")
    ]
    lowest = rep.result.by_domain("adjacent").min(axis=1)
    rows: list[list[object]] = []
    for r in rep.result.by_rater().itertuples(index=False):
        alpha = "" if pd.isna(r.alpha) else round(float(r.alpha), 3)
        rows.append(
            [
                rep.name(r.rater),
                int(r.items),
                int(r.rated),
                pct(r.exact),
                pct(r.adjacent),
                alpha,
                pct(lowest.get(r.rater, float("nan"))),
                cert_text(rep, r.rater, lang),
            ]
        )
    return header, rows


def domain_rows(rep: CalibrationReport, lang: str) -> tuple[list[str], list[list[object]]]:
    """Inspectors × domains, within one level, in percent."""
    table = rep.result.by_domain("adjacent")
    titles = {d.id: f"{d.id} {d.title.get(lang)}" for d in rep.framework.domains}
    header = [t("calibration.col.inspector", lang)] + [titles.get(str(d), str(d)) for d in table.columns]
    return header, [[rep.name(str(r))] + [pct(v) for v in table.loc[r]] for r in table.index]


def missed_rows(rep: CalibrationReport, lang: str, limit: int = 10) -> tuple[list[str], list[list[object]]]:
    """Case, item, master level, missed by, share missed %."""
    header = [t(f"calibration.col.{c}", lang) for c in ("case", "item", "master", "missed", "share")]
    items = {i.id: i for i in rep.framework.items()}
    rows: list[list[object]] = []
    for m in rep.result.most_missed(limit=limit).itertuples(index=False):
        item = items.get(str(m.item))
        title = f"{m.item} {item.title.get(lang)}" if item else str(m.item)
        rows.append([rep.titles.get(int(m.case), str(m.case)), title, m.master, int(m.missed), pct(m.share)])
    return header, rows


def calibration_xlsx(rep: CalibrationReport, lang: str = "zh") -> bytes:
    """The round's report as .xlsx bytes: inspectors, inspectors × domains, items most missed."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    for key, build in (("summary", summary_rows), ("domains", domain_rows), ("missed", missed_rows)):
        sheet = book.add_worksheet(t(f"calibration.report.sheet.{key}", lang))
        sheet.write_string(0, 0, _heading_line(rep, lang), fmts.label)
        header, rows = build(rep, lang)
        write_table(sheet, 2, header, rows, fmts)
        fit_widths(sheet, header, rows, maximum=40)
        sheet.freeze_panes(3, 1)
    return close(book, buffer)


def _heading_line(rep: CalibrationReport, lang: str) -> str:
    status = t(f"calibration.round.status.{'closed' if rep.closed else 'open'}", lang)
    return t(
        "calibration.report.round",
        lang,
        name=rep.round_name,
        cases=rep.cases,
        inspectors=len(rep.result.raters),
        status=status,
    )


def calibration_docx(rep: CalibrationReport, lang: str = "zh") -> bytes:
    """The round's report as .docx bytes."""
    doc = new_document(cover=False)  # the official layout, numbered from the first page (no cover)
    para(doc, t("calibration.report.title", lang), bold=True, size=18, center=True)
    para(doc, _heading_line(rep, lang), center=True)
    rule = rep.rule
    para(
        doc,
        t(
            "calibration.report.rule",
            lang,
            adjacent=f"{100 * rule.min_adjacent:g}",
            domain=f"{100 * rule.min_domain:g}",
            days=rule.valid_days,
        ),
    )
    for key, build, widths in (
        ("summary", summary_rows, (3.0, 1.4, 1.4, 1.9, 2.2, 1.7, 1.9, 3.0)),
        ("domains", domain_rows, None),
        ("missed", missed_rows, (3.0, 6.0, 1.8, 1.8, 2.0)),
    ):
        heading(doc, t(f"calibration.report.section.{key}", lang), 1)
        header, rows = build(rep, lang)
        cols = widths or [3.0] + [max(1.6, 12.6 / max(1, len(header) - 1))] * (len(header) - 1)
        cols = [w * min(1.0, TEXT_WIDTH_CM / sum(cols)) for w in cols]  # within the 156 mm text block
        grid_table(doc, header, [[_cell(v) for v in row] for row in rows], cols, centered=range(1, len(header)))
    heading(doc, t("calibration.report.section.certified", lang), 1)
    header = [t("calibration.col.inspector", lang), t("calibration.col.certification", lang)]
    rows = [[rep.name(r), cert_text(rep, r, lang)] for r in rep.result.raters]
    grid_table(doc, header, rows, (5.0, 8.0))
    return to_bytes(doc)


TEXT_WIDTH_CM = 15.6


def _cell(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- the master-level workbook
@dataclass(frozen=True)
class MasterCase:
    """A case to list in the master-level workbook, with its master levels so far (item → level, reason)."""

    title: str
    stages: Sequence[str]
    framework: Framework
    master: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def master_workbook(cases: Sequence[MasterCase], lang: str = "zh") -> bytes:
    """One row per rated item of each case: case, item, title, level, reason (filled in where known)."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    sheet = book.add_worksheet(t("calibration.report.sheet.master", lang))
    header = [t(f"calibration.xlsx.col.{c}", lang) for c in MASTER_COLUMNS]
    rows: list[list[object]] = []
    for case in cases:
        wanted = set(case.stages)
        for item in case.framework.items():
            if isinstance(item, QuantitativeItem) or not wanted & {s.value for s in item.applies_to}:
                continue
            level, reason = case.master.get(item.id, ("", ""))
            rows.append([case.title, item.id, item.title.get(lang), level, reason])
    write_table(sheet, 0, header, rows, fmts)
    fit_widths(sheet, header, rows, maximum=50)
    return close(book, buffer)


def read_master_workbook(data: bytes, *, file: str = "master.xlsx", limits: Limits | None = None) -> pd.DataFrame:
    """The rows of a filled master-level workbook (case, item, level, reason, sheet, row), or InputError.

    The sheet and the header are recognized in Chinese or English; values are checked by the store.
    """
    problems = container_problems(data, limits or Limits.from_settings(), file)
    if problems:
        raise InputError(problems)
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (DefusedXmlException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as error:
        raise InputError([Problem("template.unreadable", {"found": type(error).__name__}, file=file)]) from None
    try:
        names = {t("calibration.report.sheet.master", lang) for lang in ("zh", "en")}
        sheet_name = next((n for n in book.sheetnames if n.strip() in names), None)
        if sheet_name is None:
            raise InputError([Problem("calibration.xlsx.no_sheet", file=file)])
        sheet = book[sheet_name]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    expected = {lang: [t(f"calibration.xlsx.col.{c}", lang) for c in MASTER_COLUMNS] for lang in ("zh", "en")}
    head = [str(v or "").strip() for v in (rows[0] if rows else ())][: len(MASTER_COLUMNS)]
    if head not in expected.values():
        raise InputError([Problem("calibration.xlsx.bad_header", file=file, sheet=sheet_name, row=1)])
    out = []
    for n, values in enumerate(rows[1:], start=2):
        cells = [("" if v is None else str(v).strip()) for v in (*values, *[None] * len(MASTER_COLUMNS))]
        case, item, _, level, reason = cells[: len(MASTER_COLUMNS)]
        if not (case or item or level or reason):
            continue
        if not level:
            continue  # an item not filled in yet: left as it is
        out.append({"case": case, "item": item, "level": level, "reason": reason, "sheet": sheet_name, "row": n})
    if not out:
        raise InputError([Problem("calibration.xlsx.empty", file=file, sheet=sheet_name)])
    return pd.DataFrame(out, columns=["case", "item", "level", "reason", "sheet", "row"])
