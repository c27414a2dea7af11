"""The school's inspection report in Word, in the official layout: cover, result, items, findings, closing.

A school that was never inspected (no inspection rating at all) gets no inspection report: the writer
refuses with a message saying so (`require_inspected`), so the command, the download and the pack all
say the same. A report of an inspection still under way is issued, marked provisional on every page.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from i18n.catalog import t
from i18n.problems import InputError, Problem
from reports.content import SchoolReport, build_report
from reports.context import ReportContext
from reports.docx_chart import domain_chart
from reports.docx_parts import bullets, heading, para
from reports.docx_sections import (
    Masthead,
    closing,
    cover,
    domain_table,
    failed_conditions,
    item_table,
    result_lines,
    signatures,
    tier_rule_note,
)
from reports.docx_style import add_header_text, new_document, to_bytes
from reports.text import fmt_points


def tier_rules(ctx: ReportContext, lang: str) -> list[tuple[str, float, float | None]]:
    """Each tier's name, minimum score and domain minimum."""
    return [(tier.name.get(lang), tier.min_score, tier.domain_min_pct) for tier in ctx.framework.tiers]


def inspected(ctx: ReportContext) -> bool:
    """Whether the school has at least one inspection rating (else there is nothing to report on)."""
    return bool(ctx.result.inspection.present[ctx.row])


def require_inspected(ctx: ReportContext) -> None:
    """Refuse, in words, a document of an inspection that never took place."""
    if not inspected(ctx):
        raise InputError([Problem("documents.not_inspected", {"school": ctx.school_name})])


def inspection_report_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The inspection report of one school as .docx bytes (refused for a school never inspected)."""
    require_inspected(ctx)
    rep = build_report(ctx, lang)
    doc = new_document()
    head = cover(doc, rep, ctx, "report.title.inspection")
    _result(doc, rep, ctx)
    heading(doc, t("documents.section.items", lang), 1, lang=lang)
    item_table(doc, rep)
    findings(doc, rep)
    sign_and_close(doc, rep, head, reviewer=ctx.reviewer)
    finish(doc, rep, provisional=not rep.final)
    return to_bytes(doc)


def sign_and_close(doc: DocumentObject, rep: SchoolReport, head: Masthead, reviewer: str = "") -> None:
    """The lead's, the members' and the second reader's signature lines, then the issuing office and the date."""
    lang = rep.lang
    sep = ", " if lang == "en" else "、"
    signers = [(t("documents.sign.lead", lang), head.lead)]
    if head.members:
        signers.append((t("documents.sign.members", lang), sep.join(head.members)))
    if reviewer:  # issue 14: who confirmed the result as second reader
        signers.append((t("report.sign.reviewer", lang), reviewer))
    signatures(doc, rep, signers)
    closing(doc, head.office, head.date)


def _result(doc: DocumentObject, rep: SchoolReport, ctx: ReportContext) -> None:
    lang = rep.lang
    heading(doc, t("documents.section.result", lang), 1, lang=lang)
    for line in result_lines(rep, rep.inspection) + result_lines(rep, rep.self_view, decision=False):
        para(doc, line)
    if rep.inspection.present and rep.self_view.present:
        para(doc, t("report.result.overrating", lang, points=fmt_points(rep.overrating)))
    failed_conditions(doc, rep, rep.inspection)
    heading(doc, t("documents.section.domains", lang), 2, lang=lang)
    domain_table(doc, rep)
    tier_rule_note(doc, rep, tier_rules(ctx, lang))
    heading(doc, t("documents.section.chart", lang), 2, lang=lang)
    domain_chart(doc, rep)


def findings(doc: DocumentObject, rep: SchoolReport) -> None:
    """Strengths, problems and recommendations, each under its numbered heading as a numbered list."""
    lang = rep.lang
    for key, lines in (
        ("strengths", rep.strengths),
        ("problems", rep.problems),
        ("recommendations", rep.recommendations),
    ):
        heading(doc, t(f"documents.section.{key}", lang), 1, lang=lang)
        bullets(doc, lines, t(f"report.{key}.none", lang), lang=lang)


def finish(doc: DocumentObject, rep: SchoolReport, provisional: bool) -> None:
    """A provisional mark at the top of every page when asked for (page numbers are set per section)."""
    if provisional:
        add_header_text(doc, t("report.provisional", rep.lang))
