"""The evidence index of one school: every file with its hash and the items it supports, and every item's verdict."""

from __future__ import annotations

import io

from i18n.catalog import t
from reports.content import build_report, evidence_word
from reports.context import ReportContext
from reports.xlsx_style import close, fit_widths, formats, new_workbook, print_setup, write_table

FILE_COLUMNS = ("filename", "sha256", "size_kb", "items", "verdict")
ITEM_COLUMNS = ("item_id", "title", "files", "verdict")


def file_rows(ctx: ReportContext, lang: str) -> list[list[object]]:
    """One row per evidence file, in the order given."""
    return [
        [e.filename, e.sha256, round(e.size / 1024, 1), ", ".join(e.item_ids), evidence_word(e.verdict, lang)]
        for e in ctx.evidence
    ]


def item_rows(ctx: ReportContext, lang: str) -> list[list[object]]:
    """One row per applicable item: how many files support it and the inspectors' verdict."""
    return [[row.item_id, row.title, row.evidence_files, row.evidence] for row in build_report(ctx, lang).items]


def evidence_index_xlsx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The evidence index as .xlsx bytes: a sheet of files and a sheet of items."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    for sheet_key, columns, rows in (
        ("report.index.sheet.files", FILE_COLUMNS, file_rows(ctx, lang)),
        ("report.index.sheet.items", ITEM_COLUMNS, item_rows(ctx, lang)),
    ):
        sheet = book.add_worksheet(t(sheet_key, lang))
        header = [t(f"report.index.col.{c}", lang) for c in columns]
        end = write_table(sheet, 0, header, rows, fmts)
        if not rows:
            sheet.write_string(1, 0, t("report.index.none", lang), fmts.text)
        sheet.freeze_panes(1, 0)
        print_setup(sheet, title=ctx.school_name, lang=lang)
        sheet.autofilter(0, 0, max(end - 1, 1), len(header) - 1)
        fit_widths(sheet, header, rows, maximum=70)
    return close(book, buffer)
