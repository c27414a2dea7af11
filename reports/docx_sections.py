"""Sections of the Word reports: cover, result, domain table, item table, lists and signatures."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK

from i18n.catalog import t
from reports.content import ItemRow, SchoolReport, ViewSummary
from reports.docx_parts import bullets, grid_table, heading, label_value, para, span_row
from reports.docx_style import add_run
from reports.text import fmt_points, fmt_score

ITEM_WIDTHS_CM = (1.6, 4.2, 1.5, 1.5, 1.5, 1.1, 1.4, 4.2)
SELF_ITEM_WIDTHS_CM = (1.6, 4.6, 1.7, 1.5, 6.0, 1.6)
DOMAIN_WIDTHS_CM = (5.4, 1.8, 2.2, 2.2, 2.2, 2.2)


INSPECTION_FIELDS = ("school_code", "stages", "cycle", "framework", "version", "team", "visit_dates", "issued")
SELF_FIELDS = ("school_code", "stages", "cycle", "framework", "version", "issued")


def cover_values(rep: SchoolReport) -> dict[str, str]:
    """The values the cover can show, by field name."""
    return {
        "school_code": rep.school_code,
        "stages": rep.stages,
        "cycle": rep.cycle,
        "framework": rep.framework,
        "version": rep.framework_version,
        "team": rep.team,
        "visit_dates": rep.visit_dates,
        "issued": rep.issued or "—",
    }


def cover(doc: DocumentObject, rep: SchoolReport, title_key: str, fields: Sequence[str] = INSPECTION_FIELDS) -> None:
    """The cover page: district, title, school, then who, when and against which framework."""
    lang = rep.lang
    for _ in range(3):
        para(doc)
    para(doc, rep.district, size=16, center=True)
    title = doc.add_paragraph(style="Title")
    add_run(title, t(title_key, lang), heading=True)
    para(doc, rep.school_name, bold=True, size=18, center=True)
    if not rep.final and fields == INSPECTION_FIELDS:
        para(doc, t("report.provisional", lang), bold=True, center=True)
    para(doc)
    values = cover_values(rep)
    for field in fields:
        label_value(doc, t(f"report.field.{field}", lang), values[field])
    page_break(doc)


def page_break(doc: DocumentObject) -> None:
    """Start a new page."""
    add_run(doc.add_paragraph(), "").add_break(WD_BREAK.PAGE)


def result_lines(rep: SchoolReport, view: ViewSummary, decision: bool = True) -> list[str]:
    """The result of one view in sentences: the decision and its reason first (or score and tier), unrated items."""
    lang = rep.lang
    if not view.present:
        return [t(f"report.result.absent.{view.name}", lang)]
    if decision:
        lines = list(view.decision.lines)
    else:
        lines = [t(f"report.result.{view.name}", lang, score=fmt_score(view.score), tier=view.tier)]
    if view.unrated:
        lines.append(t("report.result.unrated", lang, n=view.unrated))
    return lines


def failed_conditions(doc: DocumentObject, rep: SchoolReport, view: ViewSummary) -> None:
    """Every condition of a tier the school did not reach, in words."""
    heading(doc, t("report.section.failed", rep.lang), 2)
    if view.present:
        bullets(doc, view.failed, t("report.failed.none", rep.lang))
    else:
        para(doc, t("result.no_ratings", rep.lang))


def domain_table(doc: DocumentObject, rep: SchoolReport, views: Sequence[str] = ("self", "inspection")) -> None:
    """Per domain: applicable points, earned and percentage in each view."""
    lang = rep.lang
    header = [t("report.col.domain", lang), t("report.col.possible", lang)]
    for name in views:
        header += [t(f"report.col.earned.{name}", lang), t(f"report.col.pct.{name}", lang)]
    rows = []
    for d in rep.domains:
        row = [d.label, fmt_points(d.insp_possible if "inspection" in views else d.self_possible)]
        if "self" in views:
            row += [fmt_points(d.self_earned), fmt_score(d.self_pct)]
        if "inspection" in views:
            row += [fmt_points(d.insp_earned), fmt_score(d.insp_pct)]
        rows.append(row)
    widths = DOMAIN_WIDTHS_CM[: len(header)]
    grid_table(doc, header, rows, widths, centered=range(1, len(header)))


def tier_rule_note(doc: DocumentObject, rep: SchoolReport, tiers: Sequence[tuple[str, float, float | None]]) -> None:
    """One line per tier: its minimum score and domain minimum."""
    for name, score, domain in tiers:
        key = "report.tier_rule" if domain is not None else "report.tier_rule_no_domain"
        para(doc, t(key, rep.lang, tier=name, score=fmt_points(score), domain=fmt_points(domain)), size=9)


def item_table(doc: DocumentObject, rep: SchoolReport) -> None:
    """Item by item in both views, grouped by domain."""
    lang = rep.lang
    header = [
        t(f"report.col.{k}", lang)
        for k in ("clause", "item", "self", "inspection", "points", "gap", "evidence", "finding")
    ]
    rows, groups = _grouped(
        rep,
        lambda row: [
            row.clause,
            f"{row.item_id} {row.title}",
            row.self_level,
            row.insp_level,
            f"{fmt_points(row.insp_earned)}/{fmt_points(row.insp_possible)}",
            fmt_points(row.gap),
            row.evidence,
            row.finding,
        ],
        len(header),
    )
    table = grid_table(doc, header, rows, ITEM_WIDTHS_CM, centered=(2, 3, 4, 5, 6))
    for r, text in groups:
        span_row(table, r, text)


def self_item_table(doc: DocumentObject, rep: SchoolReport) -> None:
    """Item by item as the school rated itself, with its account and how many evidence files it attached."""
    lang = rep.lang
    header = [t(f"report.col.{k}", lang) for k in ("clause", "item", "self", "points", "account", "files")]
    rows, groups = _grouped(
        rep,
        lambda row: [
            row.clause,
            f"{row.item_id} {row.title}",
            row.self_level,
            f"{fmt_points(row.self_earned)}/{fmt_points(row.points)}",
            row.account,
            str(row.evidence_files),
        ],
        len(header),
    )
    table = grid_table(doc, header, rows, SELF_ITEM_WIDTHS_CM, centered=(2, 3, 5))
    for r, text in groups:
        span_row(table, r, text)


def _grouped(
    rep: SchoolReport, cells: Callable[[ItemRow], list[str]], width: int
) -> tuple[list[list[str]], list[tuple[int, str]]]:
    """Rows with a group row before each domain's items; the group rows' table positions (after the header)."""
    titles = {d.domain_id: d.label for d in rep.domains}
    rows: list[list[str]] = []
    groups: list[tuple[int, str]] = []
    current = None
    for row in rep.items:
        if row.domain_id != current:
            current = row.domain_id
            groups.append((len(rows) + 1, titles[current]))
            rows.append([titles[current]] + [""] * (width - 1))
        rows.append(cells(row))
    return rows, groups


def signatures(doc: DocumentObject, rep: SchoolReport, who: Sequence[tuple[str, str]]) -> None:
    """A signature line per signer (label, printed name), each with a date line."""
    lang = rep.lang
    for label, name in who:
        para(doc)
        label_value(doc, label, name + "　" * 8)
        label_value(doc, t("report.sign.date", lang), "　" * 10)
