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
from reports.findings import what_to_do
from reports.xlsx_style import close, fit_row, fit_widths, formats, new_workbook, print_setup, write_table
from scoring.decision import decide
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
    requirement = what_to_do(item, a.target_level, lang) if item and a.target_level else ""
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


TOP = 2
"""The table's header row: the decision on the school opens the sheet (row 0), then a blank row."""


def action_plan_xlsx(ctx: ReportContext, lang: str = "zh", due: date | None = None) -> bytes:
    """The action plan as .xlsx bytes, opening with the decision on the school and its reason."""
    rows = [_row(ctx, a, lang) for a in actions(ctx, due)]
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    fmts = formats(book)
    sheet = book.add_worksheet(t("report.plan.sheet", lang))
    header = [t(f"report.plan.col.{c}", lang) for c in COLUMNS]
    decision = decide(ctx.result, ctx.school_code, "inspection", lang)
    sheet.merge_range(0, 0, 0, len(header) - 1, f"{ctx.school_name}：{decision.sentence}", fmts.wrap)
    sheet.set_row(0, 15 * max(2, len(decision.sentence) // 60 + 1))
    cell_formats = [*[fmts.text] * 6, *[fmts.wrap] * 4, fmts.date, fmts.text]
    end = write_table(sheet, TOP, header, rows, fmts, cell_formats)
    print_setup(sheet, title=f"{ctx.school_name} {t('report.plan.sheet', lang)}", lang=lang, first_row=TOP)
    sheet.freeze_panes(TOP + 1, 3)
    sheet.autofilter(TOP, 0, max(end - 1, TOP + 1), len(header) - 1)
    fit_widths(sheet, header, rows, maximum=16)
    wide = [COLUMNS.index(c) for c in ("requirement", "finding", "measures")]
    for k in wide:
        sheet.set_column(k, k, 40, fmts.wrap)
    for r, values in enumerate(rows, start=TOP + 1):
        fit_row(sheet, r, [(values[k], 40) for k in wide])
    first, last = TOP + 1, max(end - 1, 200)
    deadline, status = COLUMNS.index("deadline"), COLUMNS.index("status")
    sheet.data_validation(
        first, deadline, last, deadline, {"validate": "date", "criteria": ">", "value": date(2000, 1, 1)}
    )
    sheet.data_validation(
        first, status, last, status, {"validate": "list", "source": [t(k, lang) for k in STATUS_KEYS]}
    )
    return close(book, buffer)
