"""The school's self-assessment report in Word: its own levels, accounts and evidence, and what it still lacks."""

from __future__ import annotations

from i18n.catalog import t
from reports.content import build_report
from reports.context import ReportContext
from reports.docx_parts import heading, para
from reports.docx_sections import (
    SELF_FIELDS,
    cover,
    domain_table,
    failed_conditions,
    result_lines,
    self_item_table,
    signatures,
    tier_rule_note,
)
from reports.docx_style import new_document, to_bytes
from reports.inspection_docx import findings, finish, tier_rules


def self_report_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The self-assessment report of one school as .docx bytes (findings drawn from the self view)."""
    rep = build_report(ctx, lang, view="self")
    doc = new_document()
    cover(doc, rep, "report.title.self", SELF_FIELDS)
    heading(doc, t("report.section.result", lang), 1)
    for line in result_lines(rep, rep.self_view):
        para(doc, line)
    failed_conditions(doc, rep, rep.self_view)
    heading(doc, t("report.section.domains", lang), 2)
    domain_table(doc, rep, views=("self",))
    tier_rule_note(doc, rep, tier_rules(ctx, lang))
    heading(doc, t("report.section.self_items", lang), 1)
    self_item_table(doc, rep)
    findings(doc, rep)
    heading(doc, t("report.section.signatures", lang), 1)
    signatures(doc, rep, [(t("report.sign.principal", lang), ""), (t("report.sign.school", lang), "")])
    finish(doc, rep, provisional=False)
    return to_bytes(doc)
