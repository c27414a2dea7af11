"""The school's inspection report in Word: cover, result, domains and chart, items, findings, signatures."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from i18n.catalog import t
from reports.content import SchoolReport, build_report
from reports.context import ReportContext
from reports.docx_chart import domain_chart
from reports.docx_parts import bullets, heading, para
from reports.docx_sections import (
    cover,
    domain_table,
    failed_conditions,
    item_table,
    result_lines,
    signatures,
    tier_rule_note,
)
from reports.docx_style import add_header_text, add_page_numbers, new_document, to_bytes
from reports.text import fmt_points


def tier_rules(ctx: ReportContext, lang: str) -> list[tuple[str, float, float | None]]:
    """Each tier's name, minimum score and domain minimum."""
    return [(tier.name.get(lang), tier.min_score, tier.domain_min_pct) for tier in ctx.framework.tiers]


def inspection_report_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The inspection report of one school as .docx bytes."""
    rep = build_report(ctx, lang)
    doc = new_document()
    cover(doc, rep, "report.title.inspection")
    _result(doc, rep, ctx)
    heading(doc, t("report.section.items", lang), 1)
    item_table(doc, rep)
    findings(doc, rep)
    heading(doc, t("report.section.signatures", lang), 1)
    signatures(
        doc,
        rep,
        [
            (t("report.sign.lead", lang), rep.lead),
            *([(t("report.sign.reviewer", lang), ctx.reviewer)] if ctx.reviewer else []),
            (t("report.sign.bureau", lang, district=rep.district), ""),
        ],
    )
    finish(doc, rep, provisional=not rep.final)
    return to_bytes(doc)


def _result(doc: DocumentObject, rep: SchoolReport, ctx: ReportContext) -> None:
    lang = rep.lang
    heading(doc, t("report.section.result", lang), 1)
    for line in result_lines(rep, rep.inspection) + result_lines(rep, rep.self_view, decision=False):
        para(doc, line)
    if rep.inspection.present and rep.self_view.present:
        para(doc, t("report.result.overrating", lang, points=fmt_points(rep.overrating)))
    failed_conditions(doc, rep, rep.inspection)
    heading(doc, t("report.section.domains", lang), 2)
    domain_table(doc, rep)
    tier_rule_note(doc, rep, tier_rules(ctx, lang))
    heading(doc, t("report.section.chart", lang), 2)
    domain_chart(doc, rep)


def findings(doc: DocumentObject, rep: SchoolReport) -> None:
    """Strengths, problems and recommendations, each under its heading."""
    lang = rep.lang
    for key, lines in (
        ("strengths", rep.strengths),
        ("problems", rep.problems),
        ("recommendations", rep.recommendations),
    ):
        heading(doc, t(f"report.section.{key}", lang), 1)
        bullets(doc, lines, t(f"report.{key}.none", lang))


def finish(doc: DocumentObject, rep: SchoolReport, provisional: bool) -> None:
    """Page numbers, and a provisional mark on every page when asked for."""
    add_page_numbers(doc, t("report.page", rep.lang))
    if provisional:
        add_header_text(doc, t("report.provisional", rep.lang))
