"""The district workbook: overview with tier distribution, schools × domains, ranking, targets, agreement.

Built from a `DistrictResult` alone; the district targets and the agreement tables are rendered as the
caller gives them. Written row by row with xlsxwriter (2,000 schools in well under a second).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from i18n.catalog import t
from reports.district_frames import (
    AgreementTables,
    TargetRow,
    domain_means,
    key_figures,
    ranking,
    school_table,
    stage_tier_counts,
    tier_counts,
)
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
from scoring.engine import DistrictResult

SCHOOL_COLUMNS = (
    "rank", "school_code", "school_name", "stages", "street", "inspection_score", "inspection_tier",
    "self_score", "self_tier", "overrating", "inspection_unrated",
)  # fmt: skip
RANKING_COLUMNS = ("rank", "school_code", "school_name", "stages", "inspection_score", "inspection_tier")
SCORE_COLUMNS = ("inspection_score", "self_score", "overrating")
FIGURES = ("schools", "self_assessed", "inspected", "pass_rate", "top_tier", "mean_score", "mean_overrating")


def district_workbook(
    result: DistrictResult,
    lang: str = "zh",
    *,
    cycle: str = "",
    district: str = "",
    agreement: AgreementTables | None = None,
    targets: Sequence[TargetRow] = (),
    certification: Mapping[str, str] | None = None,
) -> bytes:
    """The district workbook as .xlsx bytes; `certification` (inspector → in words) adds a column to agreement."""
    table = school_table(result, lang)
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    overview = book.add_worksheet(t("report.district.sheet.overview", lang))
    schools = book.add_worksheet(t("report.district.sheet.schools", lang))
    ranked = book.add_worksheet(t("report.district.sheet.ranking", lang))
    goals = book.add_worksheet(t("report.district.sheet.targets", lang))
    agree = book.add_worksheet(t("report.district.sheet.agreement", lang))
    write_overview(book, overview, result, lang, fmts, f"{district} {cycle}".strip())
    write_schools(book, schools, table, result, lang, fmts)
    write_frame(ranked, ranking(table), RANKING_COLUMNS, lang, fmts)
    write_targets(goals, targets, lang, fmts)
    write_agreement(agree, agreement, lang, fmts, certification)
    title = f"{district} {cycle} {t('report.district.title', lang)}".strip()
    wide = {schools.get_name(): (True, 1), ranked.get_name(): (True, 1), goals.get_name(): (True, 1)}
    print_book(book, title, lang, wide | {agree.get_name(): (False, 1 if agreement is not None else 0)})
    return close(book, buffer)


def _header(columns: Sequence[str], lang: str, result: DistrictResult | None = None) -> list[str]:
    domains = {d.id: f"{d.id} {d.title.get(lang)} %" for d in result.compiled.framework.domains} if result else {}
    return [domains.get(c) or t(f"report.district.col.{c}", lang) for c in columns]


def _cell_formats(columns: Sequence[str], fmts: Formats, domain_ids: Sequence[str] = ()) -> list[Format]:
    def pick(c: str) -> Format:
        if c in SCORE_COLUMNS or c in domain_ids:
            return fmts.score
        if c in ("rank", "inspection_unrated"):
            return fmts.number
        return fmts.wrap if c == "reasons" else fmts.text

    return [pick(c) for c in columns]


def write_frame(sheet: Worksheet, frame: pd.DataFrame, columns: Sequence[str], lang: str, fmts: Formats) -> int:
    """Some columns of a frame as a table with a frozen, filtered header; returns the row after the last."""
    rows = frame[list(columns)].itertuples(index=False, name=None)
    rows = [list(r) for r in rows]
    header = _header(columns, lang)
    end = write_table(sheet, 0, header, rows, fmts, _cell_formats(columns, fmts))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(end - 1, 1), len(header) - 1)
    fit_widths(sheet, header, rows[:200], maximum=40)
    return end


def write_schools(
    book: Workbook, sheet: Worksheet, table: pd.DataFrame, result: DistrictResult, lang: str, fmts: Formats
) -> None:
    """Schools × domains: totals, tiers, domain percentages with a colour scale, the failed conditions."""
    domain_ids = list(result.compiled.domain_ids)
    columns = [*SCHOOL_COLUMNS, *domain_ids, "reasons"]
    rows = [list(r) for r in table[columns].itertuples(index=False, name=None)]
    header = _header(columns, lang, result)
    end = write_table(sheet, 0, header, rows, fmts, _cell_formats(columns, fmts, domain_ids))
    last = max(end - 1, 1)
    print_setup(sheet)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, last, len(header) - 1)
    fit_widths(sheet, header, rows[:200], maximum=30)
    reasons = columns.index("reasons")
    sheet.set_column(reasons, reasons, 60, fmts.wrap)
    for r, values in enumerate(rows, start=1):
        fit_row(sheet, r, [(values[reasons], 60)])
    first = len(SCHOOL_COLUMNS)
    sheet.conditional_format(
        1, first, last, first + len(domain_ids) - 1,
        {"type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num", "mid_value": 60,
         "max_type": "num", "max_value": 100, "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"},
    )  # fmt: skip
    score = columns.index("inspection_score")
    sheet.conditional_format(1, score, last, score, {"type": "data_bar", "bar_color": "#5B9BD5", "min_type": "num",
                                                     "min_value": 0, "max_type": "num", "max_value": 100})  # fmt: skip


def write_overview(
    book: Workbook, sheet: Worksheet, result: DistrictResult, lang: str, fmts: Formats, title: str
) -> None:
    """Key figures, tier distribution (with a chart), tiers by stage and domain means (with a chart)."""
    fw = result.compiled.framework
    sheet.write_string(0, 0, f"{title} {t('report.district.title', lang)}".strip(), fmts.title)
    sheet.write_string(1, 0, f"{fw.name.get(lang)} ({fw.id} {fw.version})", fmts.text)
    figures = key_figures(result)
    row = 3
    for key in FIGURES:
        sheet.write_string(row, 0, t(f"report.district.figure.{key}", lang), fmts.label)
        value = figures[key]
        write_value(sheet, row, 1, value, fmts.number if isinstance(value, int) else fmts.score)
        row += 1
    row += 1
    tiers = tier_counts(result, lang)
    top = row
    row = write_table(sheet, top, _header(("tier", "inspection", "self"), lang), tiers.values.tolist(), fmts)
    _column_chart(book, sheet, (top, row), (1, 2), t("report.district.chart.tiers", lang), None)
    stages = stage_tier_counts(result, lang)
    row = write_table(sheet, row + 12, [t("report.district.col.stages", lang), *stages.columns[1:]],
                      stages.values.tolist(), fmts) + 1  # fmt: skip
    means = domain_means(result, lang)
    top = row
    row = write_table(sheet, top, _header(("domain", "self", "inspection"), lang), means.values.tolist(), fmts,
                      [fmts.text, fmts.score, fmts.score])  # fmt: skip
    _column_chart(book, sheet, (top, row), (1, 2), t("report.district.chart.domains", lang), 100)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 14)


def _column_chart(
    book: Workbook, sheet: Worksheet, rows: tuple[int, int], cols: Sequence[int], title: str, top_value: float | None
) -> None:
    """A native column chart of some columns of a table (header row, row after the last), beside it; y from 0."""
    top, end = rows
    chart = book.add_chart({"type": "column"})
    name = sheet.get_name()
    for col in cols:
        chart.add_series(
            {
                "name": [name, top, col],
                "categories": [name, top + 1, 0, end - 1, 0],
                "values": [name, top + 1, col, end - 1, col],
                "data_labels": {"value": True, "num_format": "0"},
            }
        )
    chart.set_title({"name": title})
    chart.set_y_axis({"min": 0, **({"max": top_value} if top_value is not None else {})})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 300})
    sheet.insert_chart(top, 4, chart)


def write_targets(sheet: Worksheet, targets: Sequence[TargetRow], lang: str, fmts: Formats) -> None:
    """The district targets as given: clause, name, target, current value, met or not."""
    columns = ("clause", "name", "target", "current", "met")
    met = {True: t("report.district.met", lang), False: t("report.district.not_met", lang), None: "—"}
    rows = [[r.clause, r.name, r.target, r.current, met[r.met]] for r in targets]
    header = _header(columns, lang)
    write_table(sheet, 0, header, rows, fmts, [fmts.text, fmts.wrap, fmts.points, fmts.points, fmts.text])
    if not rows:
        sheet.write_string(1, 0, t("report.district.no_targets", lang), fmts.text)
    fit_widths(sheet, header, rows, maximum=50)


def write_agreement(
    sheet: Worksheet,
    tables: AgreementTables | None,
    lang: str,
    fmts: Formats,
    certification: Mapping[str, str] | None = None,
) -> None:
    """Overall agreement, by domain and per inspector (as given, with their certification when given)."""
    if tables is None:
        sheet.write_string(0, 0, t("report.district.no_agreement", lang), fmts.text)
        return
    o = tables.overall
    columns = ("scope", "units", "pairs", "exact", "alpha")
    rows = [[t("report.district.all", lang), o.units, o.pairs, o.exact, o.alpha]]
    rows += [[r.domain, r.units, r.pairs, r.exact, r.alpha] for r in tables.by_domain.itertuples()]
    cell_formats = [fmts.text, fmts.number, fmts.number, fmts.points, fmts.points]
    row = write_table(sheet, 0, _header(columns, lang), rows, fmts, cell_formats) + 1
    columns = ("rater", "units", "exact", "alpha", "bias")
    rows = [[r.rater, r.units, r.exact, r.alpha, r.bias] for r in tables.profile.itertuples()]
    header, cells = _header(columns, lang), [fmts.text, fmts.number, *[fmts.points] * 3]
    if certification is not None:  # issue 14: each inspector's certification beside their agreement
        header.append(t("calibration.col.certification", lang))
        cells.append(fmts.text)
        none = t("calibration.cert.none", lang)
        rows = [[*r, certification.get(str(r[0]), none)] for r in rows]
    write_table(sheet, row, header, rows, fmts, cells)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 4, 14)
