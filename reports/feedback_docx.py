"""One page of feedback the lead inspector hands over on site, before the inspection is finalized.

It is always marked provisional. Lists are cut to a few lines each so that the page stays one page;
the full lists are in the inspection report.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt, RGBColor

from i18n.catalog import t
from reports.content import SchoolReport, build_report
from reports.context import ReportContext
from reports.docx_parts import bullets, heading, label_value, para
from reports.docx_sections import result_lines
from reports.docx_style import add_header_text, add_run, new_document, to_bytes
from reports.text import fmt_points

MAX_FAILED = 4
MAX_LINES = 4
MAX_RAISES = 4


def feedback_docx(ctx: ReportContext, lang: str = "zh") -> bytes:
    """The provisional one-page feedback of one school as .docx bytes."""
    rep = build_report(ctx, lang)
    doc = new_document()
    _compact(doc)
    title = doc.add_paragraph(style="Heading 1")
    add_run(title, f"{t('report.title.feedback', lang)} · {rep.school_name}", heading=True)
    add_run(para(doc), t("report.provisional", lang), bold=True, color=RGBColor(0xC0, 0, 0))
    for key, value in (("cycle", rep.cycle), ("team", rep.team), ("visit_dates", rep.visit_dates)):
        label_value(doc, t(f"report.field.{key}", lang), value)
    for line in result_lines(rep, rep.inspection) + result_lines(rep, rep.self_view, decision=False):
        para(doc, line)
    if rep.inspection.present and rep.self_view.present:
        para(doc, t("report.result.overrating", lang, points=fmt_points(rep.overrating)))
    _lists(doc, rep)
    sign = para(doc)
    add_run(sign, f"{t('report.sign.lead', lang)}：", bold=True)
    add_run(sign, rep.lead + "\u3000" * 8)
    add_run(sign, f"{t('report.sign.date', lang)}：", bold=True)
    add_header_text(doc, t("report.provisional", lang))
    return to_bytes(doc)


def _compact(doc: DocumentObject) -> None:
    """Narrow margins, single line spacing and small gaps, so that the feedback stays on one page."""
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Mm(15)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.0
    doc.styles["Normal"].paragraph_format.space_after = Pt(2)
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.space_before = Pt(6)
        doc.styles[name].paragraph_format.space_after = Pt(2)


def _lists(doc: DocumentObject, rep: SchoolReport) -> None:
    lang = rep.lang
    sections = (
        ("report.feedback.failed", rep.inspection.failed, MAX_FAILED, "report.failed.none"),
        ("report.feedback.strengths", rep.strengths, MAX_LINES, "report.strengths.none"),
        ("report.feedback.problems", rep.problems, MAX_LINES, "report.problems.none"),
        ("report.feedback.next", rep.recommendations, MAX_RAISES + 1, "report.recommendations.none"),
    )
    for title_key, lines, limit, empty_key in sections:
        heading(doc, t(title_key, lang), 2)
        bullets(doc, cut(lines, limit, lang), t(empty_key, lang))


def cut(lines: Sequence[str], limit: int, lang: str) -> list[str]:
    """At most `limit` lines, and a last line saying how many more the full report has."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], t("report.more", lang, n=len(lines) - limit)]
