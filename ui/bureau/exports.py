"""What the exports page builds: the district workbook and the inputs of every school's report.

The writers are `reports.district_xlsx.district_workbook` and `reports.batch.reports_zip`; this module
gathers their inputs from a cycle's data (targets with the cycle's stored entered figures, inspector
agreement, each school's team and notes) and does nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.batch import Kind
from reports.district_frames import TargetRow, agreement_tables
from reports.district_xlsx import district_workbook
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
