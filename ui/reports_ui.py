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

from reports.context import EvidenceFile, ItemNotes, ReportContext, TeamMember, evidence_verdict, notes_from_ratings
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.pack import inspection_pack
from reports.school_xlsx import school_report_xlsx
from reports.self_docx import self_report_docx
from reports.text import safe_filename
from scoring import score_district
from store.records import EvidenceLink, RaterRole, Rating, Status
from ui.scope import Scope
from ui.text import tr

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
}


def report_context(scope: Scope) -> ReportContext:
    """The report inputs of the scope's assessment, as the signed-in user may see them (read now)."""
    ctx, cycle, school = scope.ctx, scope.cycle, scope.school
    sv, user = ctx.services, ctx.user
    facts = sv.frames.facts_frame(user, cycle.id, school.id)
    frame = sv.frames.ratings_frame(user, cycle.id, school.id)
    result = score_district(scope.bundle.compiled, facts, frame)
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
    return ReportContext(
        result,
        school.code,
        cycle.name,
        team=team(scope),
        notes=notes,
        evidence=evidence_files(links, verdicts, by_file),
        district=district,
        issued=date.today(),
        final=scope.assessment.status == Status.FINALIZED,
    )


def team(scope: Scope) -> tuple[TeamMember, ...]:
    """The school's inspectors in the cycle by their display names, lead first."""
    ctx = scope.ctx
    me = ctx.user
    names = {me.username: me.display_name or me.username}
    members = [
        TeamMember(names.get(a.inspector) or a.inspector_name or a.inspector, a.lead)
        for a in ctx.services.cycles.team(me, scope.cycle.id, scope.school.id)  # the whole team, for the lead too
    ]
    return tuple(sorted(members, key=lambda m: not m.lead))


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
    """One report of the scope's school as bytes, read from the store now."""
    return KINDS[kind].writer(report_context(scope), scope.ctx.lang)


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
        download(scope, "self", "reports.school")
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
    cols = st.columns(4)
    for col, kind in zip(cols, ("feedback", "inspection_docx", "inspection_xlsx", "pack"), strict=True):
        with col:
            download(scope, kind, "reports.lead")
