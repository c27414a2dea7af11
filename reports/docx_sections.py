"""Sections of the Word documents: cover, body title, result, domain and item tables, lists, closing block.

The cover shows no page number (a section of its own); the body section counts its pages from 1. The
closing block follows GB/T 9704: the signatures, then the issuing office centred over the date, the date
four characters in from the right (two for the office when it is the longer line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from i18n.catalog import t
from reports.content import ItemRow, SchoolReport, ViewSummary
from reports.context import ReportContext
from reports.docx_parts import bullets, grid_table, heading, label_value, para, styled
from reports.docx_style import BODY_PT, LINE_PITCH_TWIPS, add_run, body_section
from reports.text import display_width, doc_date, fmt_points, fmt_score
from settings import get_settings

ITEM_WIDTHS_CM = (2.2, 3.4, 1.8, 1.8, 1.5, 1.3, 3.6)
SELF_ITEM_WIDTHS_CM = (2.2, 3.4, 1.8, 1.5, 5.3, 1.4)
DOMAIN_WIDTHS_CM = (5.0, 1.8, 2.2, 2.2, 2.2, 2.2)
LINE_PT = LINE_PITCH_TWIPS / 20 - BODY_PT  # the space one more grid line takes (the grid rounds it up to a line)


INSPECTION_FIELDS = ("school_code", "stages", "cycle", "framework", "version", "team", "visit_dates", "issued")
SELF_FIELDS = ("school_code", "stages", "cycle", "framework", "version", "issued")


def cover_values(rep: SchoolReport) -> dict[str, str]:
    """The values the cover of the Excel report shows, by field name."""
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


@dataclass(frozen=True)
class Masthead:
    """What the cover and the closing block say beyond the scores: who issues it, when, who visited."""

    office: str
    date: str
    team: str
    lead: str
    members: tuple[str, ...]
    visit: str


def masthead(ctx: ReportContext, lang: str) -> Masthead:
    """The issuing office (context, else settings), the report date and visit in words, the team by name."""
    settings = get_settings()
    office = ctx.office or (settings.issuing_office_en if lang == "en" else settings.issuing_office)
    sep = ", " if lang == "en" else "、"
    team = sep.join(m.name + (t("documents.lead_mark", lang) if m.lead else "") for m in ctx.team)
    return Masthead(
        office=office,
        date=doc_date(ctx.issued, lang),
        team=team or t("documents.not_visited", lang),
        lead=ctx.lead.name if ctx.lead else "",
        members=tuple(m.name for m in ctx.team if not m.lead),
        visit=visit_text(ctx, lang),
    )


def visit_text(ctx: ReportContext, lang: str) -> str:
    """The visit in words: one day, or first to last day (`2025年11月3日至2025年11月4日`)."""
    if not ctx.visit_dates:
        return t("documents.not_visited", lang)
    days = sorted(ctx.visit_dates)
    if days[0] == days[-1]:
        return doc_date(days[0], lang)
    return t("documents.date_range", lang, start=doc_date(days[0], lang), end=doc_date(days[-1], lang))


def cover(
    doc: DocumentObject, rep: SchoolReport, ctx: ReportContext, title_key: str, *, inspection: bool = True
) -> Masthead:
    """The cover (no page number): title, school, cycle, team and visit, then the issuing office and date.

    Ends with the start of the numbered body section. Returns the masthead for the closing block.
    """
    lang = rep.lang
    head = masthead(ctx, lang)
    for _ in range(3):
        para(doc)
    title = styled(doc, "Title")
    add_run(title, t(title_key, lang), font="title", size=26)  # 一号 on the cover
    para(doc)
    para(doc, rep.school_name, center=True, font="kai", size=22)
    if not rep.final and inspection:
        para(doc, t("report.provisional", lang), center=True, font="hei")
    para(doc)
    para(doc)
    fields = [("documents.field.cycle", rep.cycle), ("documents.field.stages", rep.stages)]
    if inspection:
        fields += [("documents.field.team", head.team), ("documents.field.visit", head.visit)]
    fields.append(("documents.field.framework", f"{rep.framework}（{rep.framework_version}）"))
    for key, value in fields:
        row = label_value(doc, t(key, lang), value, indent=False)
        row.paragraph_format.left_indent = Pt(4 * BODY_PT)
        row.paragraph_format.first_line_indent = Pt(-0)
    para(doc)
    para(doc, head.office if inspection else rep.school_name, center=True)
    para(doc, head.date, center=True)
    body_section(doc)
    body_title(doc, title_key.rsplit(".", 1)[-1], rep)
    return head


def body_title(doc: DocumentObject, kind: str, rep: SchoolReport) -> None:
    """The title at the head of the body: 2号 小标宋, centred, then one empty line.

    In Chinese the school is the first line and the kind of document the second, so that a long name
    never breaks a word of the title (GB/T 9704: 回行时要做到词意完整).
    """
    paragraph = styled(doc, "Title")
    title = t(f"documents.body.{kind}", rep.lang, school=rep.school_name)
    if rep.lang != "en" and title.startswith(rep.school_name):
        add_run(paragraph, rep.school_name, font="title").add_break()
        title = title[len(rep.school_name) :]
    add_run(paragraph, title, font="title")
    para(doc)


def page_break(doc: DocumentObject) -> None:
    """Start a new page."""
    add_run(doc.add_paragraph(), "").add_break(WD_BREAK.PAGE)


def result_lines(rep: SchoolReport, view: ViewSummary, decision: bool = True, brief: bool = False) -> list[str]:
    """The result of one view in sentences: the decision and its reason first (or score and tier), unrated items.

    `brief` (the on-site feedback): the decision and the distance to the next tier, without the full list of
    deductions by domain (the sentence names the largest ones already).
    """
    lang = rep.lang
    if not view.present:
        return [t(f"report.result.absent.{view.name}", lang)]
    if decision:
        lines = [line for line in view.decision.lines if not (brief and line == view.decision.deductions)]
    else:
        lines = [t(f"report.result.{view.name}", lang, score=fmt_score(view.score), tier=view.tier)]
    if view.unrated:
        lines.append(t("report.result.unrated", lang, n=view.unrated))
    return lines


def failed_conditions(doc: DocumentObject, rep: SchoolReport, view: ViewSummary) -> None:
    """Every condition of a tier the school did not reach, in words (a numbered list)."""
    heading(doc, t("documents.section.failed", rep.lang), 2, lang=rep.lang)
    if view.present:
        bullets(doc, view.failed, t("report.failed.none", rep.lang), lang=rep.lang)
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
        para(doc, t(key, rep.lang, tier=name, score=fmt_points(score), domain=fmt_points(domain)))


def clause_lines(clause: str) -> str:
    """One clause a line, so that the clause column never breaks a clause (三(四)7、四(一) → two lines)."""
    return "\n".join(part.strip() for part in clause.replace("；", "、").split("、") if part.strip())


def level_cell(level: str) -> str:
    """`B 基本达到` as `B` over `基本达到`: the level column stays narrow without breaking a word."""
    head, _, rest = level.partition(" ")
    return f"{head}\n{rest}" if rest and len(head) <= 2 else level


def item_table(doc: DocumentObject, rep: SchoolReport) -> None:
    """Item by item in both views, grouped by domain."""
    lang = rep.lang
    header = [
        t(f"report.col.{k}", lang) for k in ("clause", "item", "self", "inspection", "points", "evidence", "finding")
    ]
    rows, groups = _grouped(
        rep,
        lambda row: [
            clause_lines(row.clause),
            f"{row.item_id} {row.title}",
            level_cell(row.self_level),
            level_cell(row.insp_level),
            f"{fmt_points(row.insp_earned)}/{fmt_points(row.insp_possible)}",
            row.evidence,
            row.finding,
        ],
        len(header),
    )
    grid_table(doc, header, rows, ITEM_WIDTHS_CM, centered=(2, 3, 4, 5), spans=groups)


def self_item_table(doc: DocumentObject, rep: SchoolReport) -> None:
    """Item by item as the school rated itself, with its account and how many evidence files it attached."""
    lang = rep.lang
    header = [t(f"report.col.{k}", lang) for k in ("clause", "item", "self", "points", "account", "files")]
    rows, groups = _grouped(
        rep,
        lambda row: [
            clause_lines(row.clause),
            f"{row.item_id} {row.title}",
            level_cell(row.self_level),
            f"{fmt_points(row.self_earned)}/{fmt_points(row.points)}",
            row.account,
            str(row.evidence_files),
        ],
        len(header),
    )
    grid_table(doc, header, rows, SELF_ITEM_WIDTHS_CM, centered=(2, 3, 5), spans=groups)


def _grouped(
    rep: SchoolReport, cells: Callable[[ItemRow], list[str]], width: int
) -> tuple[list[list[str]], dict[int, str]]:
    """Rows with a group row before each domain's items; the group rows' headings by table position (header 0)."""
    titles = {d.domain_id: d.label for d in rep.domains}
    rows: list[list[str]] = []
    groups: dict[int, str] = {}
    current = None
    for row in rep.items:
        if row.domain_id != current:
            current = row.domain_id
            groups[len(rows) + 1] = titles[current]
            rows.append([titles[current]] + [""] * (width - 1))
        rows.append(cells(row))
    return rows, groups


def signatures(doc: DocumentObject, rep: SchoolReport, who: Sequence[tuple[str, str]]) -> None:
    """A signature line per signer (label with its colon, printed name), each kept with the next.

    The paragraph before is kept with them too, so that the signatures never stand alone on a page.
    """
    last = doc.element.body[-2] if len(doc.element.body) > 1 else None  # [-1] is the section's sectPr
    if last is not None and last.tag == qn("w:p"):
        Paragraph(last, doc._body).paragraph_format.keep_with_next = True
    elif last is not None and last.tag == qn("w:tbl"):  # a table's last row kept with what follows
        for p in last.findall(qn("w:tr"))[-1].iter(qn("w:p")):
            Paragraph(p, doc._body).paragraph_format.keep_with_next = True
    for n, (label, name) in enumerate(who):
        line = para(doc, indent=False)
        line.paragraph_format.left_indent = Pt(2 * BODY_PT)
        line.paragraph_format.keep_with_next = True
        if n == 0:  # one empty line above, as space (dropped at the top of a page), not as an empty paragraph
            line.paragraph_format.space_before = Pt(LINE_PT)
        add_run(line, label, font="hei")
        add_run(line, name + "\u3000" * 4)


def closing(doc: DocumentObject, office: str, day: str, *, seal: str = "") -> None:
    """The issuing office centred over the date, the date four characters in from the right (GB/T 9704 7.3.5)."""
    office_w, date_w = display_width(office) / 2, display_width(day) / 2
    if office_w > date_w:
        office_in, date_in = 2.0, 2.0 + (office_w - date_w) / 2
    else:
        date_in, office_in = 4.0, 4.0 + (date_w - office_w) / 2
    for n, (text, indent, keep) in enumerate(((office + seal, office_in, True), (day, date_in, False))):
        line = para(doc, text, indent=False)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.right_indent = Pt(indent * BODY_PT)
        line.paragraph_format.keep_with_next = keep
        if n == 0:
            line.paragraph_format.space_before = Pt(LINE_PT)
