"""A school's reports from the store: the report inputs of one assessment, and download buttons built on click.

Everything is read through the service layer with the signed-in user, so a report holds only what that
user may see (a school its own ratings; the lead every inspector's and the consensus). The bytes are
built only when a button is pressed (`st.download_button(data=callable)`), so pages stay fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import streamlit as st

from reports.action_plan_docx import action_plan_docx
from reports.context import EvidenceFile, ItemNotes, ReportContext, TeamMember, evidence_verdict, notes_from_ratings
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack
from reports.pdf import docx_to_pdf, pdf_available
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from reports.text import safe_filename
from scoring import score_district
from store.records import EvidenceLink, RaterRole, Rating, Status, Visit
from ui.scope import Scope
from ui.text import tr

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_pdf(writer: Callable[[ReportContext, str], bytes]) -> Callable[[ReportContext, str], bytes]:
    """A writer of the same document rendered to PDF."""

    def write(ctx: ReportContext, lang: str) -> bytes:
        return docx_to_pdf(writer(ctx, lang))

    return write


@dataclass(frozen=True)
class Kind:
    """One downloadable report: its writer, file extension, MIME type and catalog keys."""

    writer: Callable[[ReportContext, str], bytes]
    ext: str
    mime: str
    label: str
    name: str


KINDS: dict[str, Kind] = {
    "self": Kind(self_report_docx, "docx", DOCX, "app.reports.self", "app.reports.file.self"),
    "feedback": Kind(feedback_docx, "docx", DOCX, "app.reports.feedback", "app.reports.file.feedback"),
    "inspection_docx": Kind(
        inspection_report_docx, "docx", DOCX, "app.reports.inspection_docx", "app.reports.file.inspection"
    ),
    "inspection_xlsx": Kind(
        school_report_xlsx, "xlsx", XLSX, "app.reports.inspection_xlsx", "app.reports.file.inspection"
    ),
    "pack": Kind(inspection_pack, "zip", "application/zip", "app.reports.pack", "app.reports.file.pack"),
    "plan_docx": Kind(action_plan_docx, "docx", DOCX, "documents.app.plan", "documents.app.file.plan"),
}
PDF_OF = {"self": "self_pdf", "feedback": "feedback_pdf", "inspection_docx": "inspection_pdf", "plan_docx": "plan_pdf"}
"""The Word documents that also come as PDF (rendered by LibreOffice where it is installed)."""
for _word, _pdf in PDF_OF.items():
    _spec = KINDS[_word]
    KINDS[_pdf] = Kind(as_pdf(_spec.writer), "pdf", PDF, f"documents.app.pdf.{_word}", _spec.name)


def report_context(scope: Scope) -> ReportContext:
    """The report inputs of the scope's assessment, as the signed-in user may see them (read now)."""
    ctx, cycle, school = scope.ctx, scope.cycle, scope.school
    sv, user = ctx.services, ctx.user
    facts = sv.frames.facts_frame(user, cycle.id, school.id)
    frame = sv.frames.ratings_frame(user, cycle.id, school.id)
    result = score_district(
        scope.bundle.compiled, facts, frame, overrides=sv.overrides.frame(user, cycle.id, school.id)
    )
    ratings = sv.ratings.list_ratings(user, scope.aid)
    verdicts = item_verdicts(ratings)
    notes = {
        item_id: ItemNotes(n.account, n.finding, verdicts.get(item_id))
        for item_id, n in notes_from_ratings(frame, school.code).items()
    }
    notes |= {i: ItemNotes(evidence_verified=v) for i, v in verdicts.items() if i not in notes}
    links = sv.evidence.list_links(user, scope.aid)
    by_file = sv.evidence.verdicts(user, scope.aid)
    district = ctx.settings.district_name if ctx.lang == "zh" else ctx.settings.district_name_en
    office = ctx.settings.issuing_office if ctx.lang == "zh" else ctx.settings.issuing_office_en
    visit = sv.visits.get(user, scope.aid)
    return ReportContext(
        result,
        school.code,
        cycle.name,
        team=team(visit),
        visit_dates=visit.days,
        notes=notes,
        evidence=evidence_files(links, verdicts, by_file),
        district=district,
        issued=visit.document_date(scope.assessment.finalized_at, date.today()),
        final=scope.assessment.status == Status.FINALIZED,
        office=office,
        reviewer=reviewer_of(scope),
    )


def reviewer_of(scope: Scope) -> str:
    """Who confirmed the result as second reader ('' when nobody did)."""
    review = scope.ctx.services.quality.review_of(scope.ctx.user, scope.aid)
    return review.reviewer_name if review is not None and review.status == "confirmed" else ""


def team(visit: Visit) -> tuple[TeamMember, ...]:
    """The team as entered for the visit, else every inspector assigned, by display name, lead first."""
    return tuple(TeamMember(m.name, m.lead) for m in visit.team)


def item_verdicts(ratings: Iterable[Rating]) -> dict[str, bool]:
    """Per item, the inspectors' evidence verdict as stored: insufficient if any says so, else accepted."""
    given: dict[str, list[bool]] = {}
    for r in ratings:
        if r.role != RaterRole.SELF and r.evidence_verified is not None:
            given.setdefault(r.item_id, []).append(r.evidence_verified)
    return {item_id: all(values) for item_id, values in given.items()}


def evidence_files(
    links: Iterable[EvidenceLink],
    verdicts: Mapping[str, bool],
    by_link: Mapping[int, Mapping[str, bool]] | None = None,
) -> tuple[EvidenceFile, ...]:
    """The evidence index: one entry per stored file, with the items it supports and their verdict.

    The inspectors' verdicts on the file itself (`by_link`: link id to verdict by inspector) decide
    when there are any: insufficient if any inspector says so, else accepted. Without them the file
    takes the verdicts of the items it supports (`verdicts`).
    """
    by_link = by_link or {}
    files: dict[str, tuple[EvidenceLink, list[str], list[bool]]] = {}
    for link in links:
        entry = files.setdefault(link.sha256, (link, [], []))
        entry[1].append(link.item_id)
        entry[2].extend(by_link.get(link.id, {}).values())
    out = []
    for link, items, judged in files.values():
        checked = [EvidenceFile("", "", 0, (), verdicts.get(i)) for i in items]
        if judged:
            verdict: bool | None = all(judged)
        else:
            verdict = evidence_verdict(checked) if any(i in verdicts for i in items) else None
        out.append(EvidenceFile(link.filename, link.sha256, link.size, tuple(dict.fromkeys(items)), verdict))
    return tuple(out)


def build(scope: Scope, kind: str) -> bytes:
    """One report of the scope's school as bytes, read from the store now; the download is audited."""
    data = KINDS[kind].writer(report_context(scope), scope.ctx.lang)
    where = {"school_id": scope.school.id, "cycle_id": scope.cycle.id, "after": {"kind": kind}}
    scope.ctx.services.audit.note(scope.ctx.user, "report.download", "assessment", scope.aid, **where)
    return data


def file_name(scope: Scope, kind: str) -> str:
    """`CN001_<report name>_<cycle>.<ext>`, safe on every system."""
    spec = KINDS[kind]
    return safe_filename(f"{scope.school.code}_{tr(spec.name)}_{scope.cycle.school_year}") + f".{spec.ext}"


def download(scope: Scope, kind: str, key: str, label: str | None = None) -> None:
    """A button that builds one report when pressed."""
    spec = KINDS[kind]
    st.download_button(
        label or tr(spec.label),
        data=functools.partial(build, scope, kind),
        file_name=file_name(scope, kind),
        mime=spec.mime,
        key=f"{key}.{kind}.{scope.aid}",
        on_click="ignore",
        icon=":material/download:",
    )


def school_reports(scope: Scope) -> None:
    """The school's self-assessment report; once finalized, also the inspection report and the feedback."""
    st.subheader(tr("app.reports.title"))
    if scope.assessment.status != Status.FINALIZED:
        cols = st.columns(2)
        with cols[0]:
            download(scope, "self", "reports.school")
        with cols[1]:
            pdf_download(scope, "self", "reports.school")
        return
    st.caption(tr("guide.reports.final"))
    cols = st.columns(3)
    with cols[0]:
        download(scope, "inspection_docx", "reports.school")
    with cols[1]:
        download(scope, "feedback", "reports.school", label=tr("guide.reports.feedback"))
    with cols[2]:
        download(scope, "self", "reports.school")


def lead_reports(scope: Scope, ratings: Iterable[Rating]) -> None:
    """The lead's on-site feedback once inspectors have rated, and the inspection report and pack."""
    st.subheader(tr("app.reports.title"))
    final = scope.assessment.status == Status.FINALIZED
    rated = any(r.role in (RaterRole.INSPECTOR, RaterRole.CONSENSUS) for r in ratings)
    if not rated:
        st.caption(tr("app.reports.not_rated"))
        return
    if not final:
        st.caption(tr("app.reports.provisional"))
    cols = st.columns(5)
    for col, kind in zip(cols, ("feedback", "inspection_docx", "inspection_xlsx", "plan_docx", "pack"), strict=True):
        with col:
            download(scope, kind, "reports.lead")
    cols = st.columns(5)
    for col, kind in zip(cols, ("feedback", "inspection_docx", "plan_docx"), strict=False):
        with col:
            pdf_download(scope, kind, "reports.lead")


def pdf_download(scope: Scope, word_kind: str, key: str) -> None:
    """The PDF of a Word document where LibreOffice is installed, else a line saying why there is none."""
    if pdf_available():
        download(scope, PDF_OF[word_kind], key)
    elif word_kind in ("self", "feedback"):
        st.caption(tr("documents.pdf.unavailable"))
