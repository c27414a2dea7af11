"""The school's inspection report as an Excel workbook: summary with a native chart, items, findings."""

from __future__ import annotations

import io

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from i18n.catalog import t
from reports.content import SchoolReport, build_report
from reports.context import ReportContext
from reports.docx_sections import cover_values
from reports.inspection_docx import require_inspected
from reports.xlsx_style import (
    Formats,
    close,
    fit_row,
    fit_widths,
    formats,
    new_workbook,
    print_book,
    print_setup,
    write_table,
    write_value,
)

SUMMARY_FIELDS = ("school_code", "stages", "cycle", "framework", "version", "team", "visit_dates", "issued")
ITEM_COLUMNS = (
    "domain", "item_id", "clause", "title", "method", "points_max", "self", "self_points",
    "inspection", "inspection_points", "counted", "gap", "evidence", "files", "account", "finding", "votes",
)  # fmt: skip
WRAPPED = ("title", "account", "finding", "votes")
WRAP_WIDTH = 36


def school_report_xlsx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The inspection report of one school as .xlsx bytes (refused for a school never inspected)."""
    require_inspected(ctx)
    rep = build_report(ctx, lang)
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    summary = book.add_worksheet(t("report.sheet.summary", lang))
    items = book.add_worksheet(t("report.sheet.items", lang))
    findings = book.add_worksheet(t("report.sheet.findings", lang))
    write_summary(book, summary, rep, fmts)
    write_items(items, rep, fmts)
    write_findings(findings, rep, fmts)
    title = f"{rep.school_name} {t('report.title.inspection', lang)}"
    print_book(book, title, lang, {items.get_name(): (True, 1)})
    return close(book, buffer)


def write_summary(book: Workbook, sheet: Worksheet, rep: SchoolReport, fmts: Formats) -> None:
    """School and cycle, the result in both views, failed conditions, the domain table and its chart."""
    lang = rep.lang
    sheet.write_string(0, 0, f"{t('report.title.inspection', lang)} · {rep.school_name}", fmts.title)
    row = 1
    if not rep.final:
        sheet.write_string(row, 0, t("report.provisional", lang), fmts.label)
        row += 1
    values = cover_values(rep)
    pairs: list[tuple[str, object]] = [(t("judgement.heading", lang), rep.inspection.decision.sentence)]
    pairs += [(t("report.field.school", lang), rep.school_name)]
    pairs += [(t(f"report.field.{f}", lang), values[f]) for f in SUMMARY_FIELDS]
    pairs += _result_pairs(rep)
    for label, value in pairs:
        sheet.write_string(row, 0, label, fmts.label)
        write_value(sheet, row, 1, value, fmts.score if isinstance(value, float) else fmts.text)
        row += 1
    row += 1
    sheet.write_string(row, 0, t("report.section.failed", lang), fmts.label)
    for line in rep.inspection.failed or (t("report.failed.none", lang),):
        row += 1
        sheet.write_string(row, 1, line, fmts.text)
    top = row + 2
    end = _domain_table(sheet, top, rep, fmts)
    _chart(book, sheet, rep, top, end)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 5, 14)


def _result_pairs(rep: SchoolReport) -> list[tuple[str, object]]:
    lang = rep.lang
    return [
        (t("report.score.inspection", lang), rep.inspection.score),
        (t("report.tier.inspection", lang), rep.inspection.tier),
        (t("report.score.self", lang), rep.self_view.score),
        (t("report.tier.self", lang), rep.self_view.tier),
        (t("report.overrating", lang), rep.overrating),
    ]


def domain_table_rows(rep: SchoolReport) -> list[list[object]]:
    """Per domain: label, applicable points, self points and %, inspection points and %."""
    return [[d.label, d.insp_possible, d.self_earned, d.self_pct, d.insp_earned, d.insp_pct] for d in rep.domains]


def _domain_table(sheet: Worksheet, top: int, rep: SchoolReport, fmts: Formats) -> int:
    lang = rep.lang
    header = [
        t("report.col.domain", lang),
        t("report.col.possible", lang),
        t("report.col.earned.self", lang),
        t("report.col.pct.self", lang),
        t("report.col.earned.inspection", lang),
        t("report.col.pct.inspection", lang),
    ]
    cell_formats = [fmts.text, fmts.points, fmts.points, fmts.score, fmts.points, fmts.score]
    return write_table(sheet, top, header, domain_table_rows(rep), fmts, cell_formats)


def _chart(book: Workbook, sheet: Worksheet, rep: SchoolReport, top: int, end: int) -> None:
    """A native column chart of self % and inspection % per domain, beside the domain table."""
    lang = rep.lang
    chart = book.add_chart({"type": "column"})
    name = sheet.get_name()
    for col, key, color in ((3, "self", "#9DC3E6"), (5, "inspection", "#1F4E79")):
        chart.add_series(
            {
                "name": t(f"report.view.{key}", lang),
                "categories": [name, top + 1, 0, end - 1, 0],
                "values": [name, top + 1, col, end - 1, col],
                "fill": {"color": color},
                "data_labels": {"value": True, "num_format": "0"},
            }
        )
    chart.set_title({"name": t("report.section.chart", lang)})
    chart.set_y_axis({"min": 0, "max": 100, "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 360})
    sheet.insert_chart(end + 1, 0, chart)


def item_table_rows(rep: SchoolReport) -> list[list[object]]:
    """One row per applicable item, in ITEM_COLUMNS order."""
    lang = rep.lang
    return [
        [
            row.domain_id,
            row.item_id,
            row.clause,
            row.title,
            t(f"report.method.{row.method}", lang),
            row.points,
            row.self_level,
            row.self_earned,
            row.insp_level,
            row.insp_earned,
            row.insp_possible,
            row.gap,
            row.evidence,
            row.evidence_files,
            row.account,
            row.finding,
            row.votes,
        ]
        for row in rep.items
    ]


def write_items(sheet: Worksheet, rep: SchoolReport, fmts: Formats) -> None:
    """The item sheet: frozen header, filters, number formats, widths that fit Chinese text."""
    header = [t(f"report.col.{c}", rep.lang) for c in ITEM_COLUMNS]
    rows = item_table_rows(rep)
    numeric = {"points_max", "self_points", "inspection_points", "counted", "gap", "files"}
    cell_formats = [fmts.points if c in numeric else fmts.wrap if c in WRAPPED else fmts.text for c in ITEM_COLUMNS]
    cell_formats[ITEM_COLUMNS.index("files")] = fmts.number
    end = write_table(sheet, 0, header, rows, fmts, cell_formats)
    print_setup(sheet)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(end - 1, 1), len(header) - 1)
    fit_widths(sheet, header, rows, maximum=24)
    for c in WRAPPED:
        k = ITEM_COLUMNS.index(c)
        sheet.set_column(k, k, WRAP_WIDTH, fmts.wrap)
    wrapped = [ITEM_COLUMNS.index(c) for c in WRAPPED]
    for r, values in enumerate(rows, start=1):
        fit_row(sheet, r, [(values[k], WRAP_WIDTH) for k in wrapped])
    gap = ITEM_COLUMNS.index("gap")
    last = max(end - 1, 1)
    # Self rated above the inspection in red, below in green.
    sheet.conditional_format(1, gap, last, gap, {"type": "cell", "criteria": ">", "value": 0, "format": fmts.bad})
    sheet.conditional_format(1, gap, last, gap, {"type": "cell", "criteria": "<", "value": 0, "format": fmts.good})


def write_findings(sheet: Worksheet, rep: SchoolReport, fmts: Formats) -> None:
    """Strengths, problems and recommendations, one line a row under each heading."""
    lang = rep.lang
    row = 0
    for key, lines in (
        ("strengths", rep.strengths),
        ("problems", rep.problems),
        ("recommendations", rep.recommendations),
    ):
        sheet.write_string(row, 0, t(f"report.section.{key}", lang), fmts.label)
        for line in lines or (t(f"report.{key}.none", lang),):
            row += 1
            sheet.write_string(row, 0, line, fmts.wrap)
            fit_row(sheet, row, [(line, 110)])
        row += 2
    sheet.set_column(0, 0, 110, fmts.wrap)
