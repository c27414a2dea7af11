"""The action plan of one school as an Excel sheet it fills in: what to reach, who owns it, by when.

The actions are `scoring.followup.action_plan` (failed vetoes and conditions of the next tier, the
raises of the improvement path, the inspectors' findings), so the sheet, the bureau's follow-up and the
next cycle's progress check all speak of the same plan. Owner and deadline are suggestions the school
may change; measures and status are for the school.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from i18n.catalog import t
from reports.context import ReportContext
from reports.xlsx_style import close, fit_row, fit_widths, formats, new_workbook, print_setup, write_table
from scoring.followup import Action, action_plan, action_text

COLUMNS = (
    "priority", "item_id", "title", "clause", "now", "target", "requirement", "finding",
    "measures", "owner", "deadline", "status",
)  # fmt: skip
STATUS_KEYS = ("report.plan.status.todo", "report.plan.status.doing", "report.plan.status.done")
DEFAULT_WEEKS = 26
"""Suggested deadline: about a semester after the report is issued."""


def actions(ctx: ReportContext, due: date | None = None) -> list[Action]:
    """The school's plan from its inspection result and the findings on its items."""
    due = due or (ctx.issued or date.today()) + timedelta(weeks=DEFAULT_WEEKS)
    findings = {item_id: note.finding for item_id, note in ctx.notes.items() if note.finding}
    return action_plan(ctx.result, ctx.school_code, due, findings)


def _row(ctx: ReportContext, a: Action, lang: str) -> list[object]:
    fw = ctx.framework
    item = fw.item(a.item_id) if a.item_id else None
    level = next((lv for lv in item.levels if lv.id == a.target_level), None) if item else None
    requirement = (level.descriptor or level.label).get(lang) if level else ""
    return [
        t(f"bureau.kind.{a.kind}", lang),
        a.item_id or a.domain_id or "",
        item.title.get(lang) if item else action_text(a, fw, lang),
        a.clause,
        a.current_level or (t("level.unrated", lang) if item else f"{a.current_value or 0:.1f}"),
        a.target_level or (f"{a.target_value:.1f}" if a.target_value is not None else ""),
        requirement,
        a.finding,
        "",
        t(f"bureau.owner.{a.owner}", lang),
        a.due,
        "",
    ]


def action_plan_xlsx(ctx: ReportContext, lang: str = "zh", due: date | None = None) -> bytes:
    """The action plan as .xlsx bytes."""
    rows = [_row(ctx, a, lang) for a in actions(ctx, due)]
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    sheet = book.add_worksheet(t("report.plan.sheet", lang))
    header = [t(f"report.plan.col.{c}", lang) for c in COLUMNS]
    cell_formats = [*[fmts.text] * 6, *[fmts.wrap] * 4, fmts.date, fmts.text]
    end = write_table(sheet, 0, header, rows, fmts, cell_formats)
    print_setup(sheet, title=f"{ctx.school_name} {t('report.plan.sheet', lang)}", lang=lang)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, max(end - 1, 1), len(header) - 1)
    fit_widths(sheet, header, rows, maximum=16)
    wide = [COLUMNS.index(c) for c in ("requirement", "finding", "measures")]
    for k in wide:
        sheet.set_column(k, k, 40, fmts.wrap)
    for r, values in enumerate(rows, start=1):
        fit_row(sheet, r, [(values[k], 40) for k in wide])
    last = max(end - 1, 200)
    deadline, status = COLUMNS.index("deadline"), COLUMNS.index("status")
    sheet.data_validation(1, deadline, last, deadline, {"validate": "date", "criteria": ">", "value": date(2000, 1, 1)})
    sheet.data_validation(1, status, last, status, {"validate": "list", "source": [t(k, lang) for k in STATUS_KEYS]})
    return close(book, buffer)
