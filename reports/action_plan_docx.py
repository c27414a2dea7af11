"""The action plan of one school in Word, in the official layout, to sign and file with the inspection report.

The same actions as the Excel plan (`reports.action_plan.actions`): what to reach for each item, by which
clause, from which level to which, who owns it and by when. No cover: page numbers from page 1.
"""

from __future__ import annotations

from i18n.catalog import t
from reports.action_plan import _row, actions
from reports.content import build_report
from reports.context import ReportContext
from reports.docx_parts import grid_table, heading, para
from reports.docx_sections import body_title, clause_lines, closing, masthead, signatures
from reports.docx_style import new_document, to_bytes
from reports.inspection_docx import require_inspected
from reports.text import doc_date

PLAN_WIDTHS_CM = (1.1, 5.3, 2.2, 2.0, 1.9, 3.1)  # the deadline (2026年5月21日) on one line
COLUMNS = ("no", "item", "clause", "level", "owner", "due")


def action_plan_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The action plan as .docx bytes (refused for a school never inspected)."""
    require_inspected(ctx)
    rep = build_report(ctx, lang)
    head = masthead(ctx, lang)
    doc = new_document(cover=False)
    body_title(doc, "plan", rep)
    para(doc, t("documents.plan.intro", lang, office=head.office))
    heading(doc, t("documents.section.plan", lang), 1, lang=lang)
    rows = []
    for n, action in enumerate(actions(ctx), start=1):
        values = _row(ctx, action, lang)
        title, clause, now, target, requirement, finding, owner, due = (
            values[2], values[3], values[4], values[5], values[6], values[7], values[9], values[10]
        )  # fmt: skip
        what = "\n".join(part for part in (str(title), str(requirement), str(finding)) if part)
        level = f"{now}→{target}" if target else str(now)
        rows.append([str(n), what, clause_lines(str(clause)), level, str(owner), doc_date(due, lang)])
    if rows:
        header = [t(f"documents.plan.col.{c}", lang) for c in COLUMNS]
        grid_table(doc, header, rows, PLAN_WIDTHS_CM, centered=(0, 3, 4, 5))
    else:
        para(doc, t("documents.plan.none", lang))
    signatures(doc, rep, [(t("documents.sign.principal", lang), "")])
    closing(doc, rep.school_name, head.date, seal=t("documents.sign.seal", lang))
    return to_bytes(doc)
