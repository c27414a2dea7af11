"""The school's self-assessment report in Word, in the official layout: its own levels, accounts and evidence."""

from __future__ import annotations

from i18n.catalog import t
from reports.content import build_report
from reports.context import ReportContext
from reports.docx_parts import heading, para
from reports.docx_sections import (
    closing,
    cover,
    domain_table,
    failed_conditions,
    result_lines,
    self_item_table,
    signatures,
    tier_rule_note,
)
from reports.docx_style import new_document, to_bytes
from reports.inspection_docx import findings, tier_rules


def self_report_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The self-assessment report of one school as .docx bytes (findings drawn from the self view)."""
    rep = build_report(ctx, lang, view="self")
    doc = new_document()
    head = cover(doc, rep, ctx, "report.title.self", inspection=False)
    heading(doc, t("documents.section.result", lang), 1, lang=lang)
    for line in result_lines(rep, rep.self_view):
        para(doc, line)
    failed_conditions(doc, rep, rep.self_view)
    heading(doc, t("documents.section.domains", lang), 2, lang=lang)
    domain_table(doc, rep, views=("self",))
    tier_rule_note(doc, rep, tier_rules(ctx, lang))
    heading(doc, t("documents.section.self_items", lang), 1, lang=lang)
    self_item_table(doc, rep)
    findings(doc, rep)
    signatures(doc, rep, [(t("documents.sign.principal", lang), "")])
    closing(doc, rep.school_name, head.date, seal=t("documents.sign.seal", lang))
    return to_bytes(doc)
