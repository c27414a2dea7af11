"""What the exports page builds: the district workbook and the inputs of every school's report.

The writers are `reports.district_xlsx.district_workbook` and `reports.batch.reports_zip`; this module
gathers their inputs from a cycle's data (targets with the cycle's stored entered figures, inspector
agreement, each school's team and notes) and does nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from reports.batch import Kind
from reports.context import ReportContext, TeamMember, notes_by_school
from reports.district_frames import TargetRow, agreement_tables
from reports.district_xlsx import district_workbook
from store.records import Assignment, Status
from ui.bureau.data import CycleData
from ui.bureau.targets import statuses
from ui.text import tr

KINDS: tuple[Kind, ...] = ("docx", "xlsx", "feedback", "self", "pack")


def target_rows(data: CycleData, lang: str, entered: Mapping[str, float] | None = None) -> list[TargetRow]:
    """The plan's targets as the workbook's rows, with the cycle's entered figures (one not entered shows as such)."""
    return [
        TargetRow(
            s.target.clause,
            s.target.label(lang),
            s.target.goal_text(lang),
            round(s.value, 1) if s.value is not None else tr("bureau.met.unknown"),
            s.met,
        )
        for s in statuses(data, entered)
    ]


def workbook(
    data: CycleData,
    lang: str,
    district: str,
    entered: Mapping[str, float] | None = None,
    certification: Mapping[str, str] | None = None,
) -> bytes:
    """The district workbook of the cycle, with its entered figures (built when the download button is pressed).

    `certification` (inspector → certification in words) fills the certification column of the agreement sheet.
    """
    return district_workbook(
        data.result,
        lang,
        cycle=data.cycle.name,
        district=district,
        agreement=agreement_tables(data.result),
        targets=target_rows(data, lang, entered),
        certification=certification,
    )


def contexts(
    data: CycleData,
    assignments: tuple[Assignment, ...],
    names: dict[str, str],
    finalized_only: bool,
    district: str,
    today: date,
    reviewers: Mapping[str, str] | None = None,
) -> list[ReportContext]:
    """Each school's report inputs: finalized schools only, or every school (the others marked provisional).

    `reviewers`: school code → who confirmed its result as second reader (printed in the signature block).
    """
    notes = notes_by_school(data.ratings)
    status = {a.school_code: a.status for a in data.assessments}
    teams: dict[str, list[TeamMember]] = {}
    for a in assignments:
        teams.setdefault(a.school_code, []).append(TeamMember(names.get(a.inspector, a.inspector), a.lead))
    codes = [c for c in data.result.schools if not finalized_only or status.get(c) == Status.FINALIZED]
    return [
        ReportContext(
            data.result,
            code,
            data.cycle.name,
            team=tuple(sorted(teams.get(code, []), key=lambda m: not m.lead)),
            notes=notes.get(code, {}),
            district=district,
            issued=today,
            final=status.get(code) == Status.FINALIZED,
            reviewer=(reviewers or {}).get(code, ""),
        )
        for code in codes
    ]
