"""The feedback the lead inspector hands over on site, before the inspection is finalized (official layout).

It is always marked provisional. Lists are cut to a few lines each so that it stays short (one or two
pages of 3号 text); the full lists are in the inspection report. No cover, so page numbers from page 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.shared import Pt, RGBColor

from i18n.catalog import t
from reports.content import SchoolReport, build_report
from reports.context import ReportContext
from reports.docx_parts import bullets, heading, label_value, para
from reports.docx_sections import body_title, masthead, result_lines, signatures
from reports.docx_style import BODY_PT, add_header_text, add_run, new_document, to_bytes
from reports.inspection_docx import require_inspected
from reports.text import fmt_points

MAX_FAILED = 3
MAX_LINES = 2
MAX_RAISES = 2


def feedback_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The provisional on-site feedback of one school as .docx bytes (refused for a school never inspected)."""
    require_inspected(ctx)
    rep = build_report(ctx, lang)
    head = masthead(ctx, lang)
    doc = new_document(cover=False)
    body_title(doc, "feedback", rep)
    mark = para(doc, center=True)
    add_run(mark, t("report.provisional", lang), font="hei", color=RGBColor(0xC0, 0, 0))
    for key, value in (
        ("documents.field.cycle", rep.cycle),
        ("documents.field.team", head.team),
        ("documents.field.visit", head.visit),
    ):
        label_value(doc, t(key, lang), value)
    heading(doc, t("documents.section.result", lang), 1, lang=lang)
    for line in result_lines(rep, rep.inspection, brief=True) + result_lines(rep, rep.self_view, decision=False):
        para(doc, line)
    if rep.inspection.present and rep.self_view.present:
        para(doc, t("report.result.overrating", lang, points=fmt_points(rep.overrating)))
    _lists(doc, rep)
    signatures(doc, rep, [(t("documents.sign.lead", lang), head.lead)])
    date_line = para(doc, indent=False)
    date_line.paragraph_format.left_indent = signatures_indent()
    add_run(date_line, f"{t('report.sign.date', lang)}：", font="hei")
    add_run(date_line, head.date)
    add_header_text(doc, t("report.provisional", lang))
    return to_bytes(doc)


def signatures_indent() -> Pt:
    """The signature lines' left indent (two characters)."""
    return Pt(2 * BODY_PT)


def _lists(doc: DocumentObject, rep: SchoolReport) -> None:
    lang = rep.lang
    sections = (
        ("report.feedback.failed", rep.inspection.failed, MAX_FAILED, "report.failed.none"),
        ("report.feedback.strengths", rep.strengths, MAX_LINES, "report.strengths.none"),
        ("report.feedback.problems", rep.problems, MAX_LINES, "report.problems.none"),
        ("report.feedback.next", rep.recommendations, MAX_RAISES, "report.recommendations.none"),
    )
    for title_key, lines, limit, empty_key in sections:
        heading(doc, t(title_key, lang), 1, lang=lang)
        if lines and lines[0].endswith(("：", ":")):  # a lead-in ("最少需提升 n 个等级…：") is no item of the list
            para(doc, lines[0])
            lines = lines[1:]
        shown = cut(lines, limit, lang)
        more = shown[limit:] if len(lines) > limit else []
        bullets(doc, shown[:limit], t(empty_key, lang), lang=lang)
        for line in more:  # "另有 n 条…" is not an item of the list: no number
            para(doc, line)


def cut(lines: Sequence[str], limit: int, lang: str) -> list[str]:
    """At most `limit` lines, and a last line saying how many more the full report has."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], t("report.more", lang, n=len(lines) - limit)]
