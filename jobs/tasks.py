"""What each job does, outside Streamlit: read through the service layer as the starting user, write one file.

Each task gets the services, the acting user, the job's parameters, a `progress(done, total)` callback
and an open binary file to write its result into; it returns the result's file name. The runner
(`jobs.run`) hashes the file, stores it under its content hash and marks the job done.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any

import pandas as pd

from i18n.catalog import t
from reports.batch import reports_zip
from reports.context import ReportContext, TeamMember, notes_by_school
from reports.district_frames import TargetRow, agreement_tables
from reports.district_xlsx import district_workbook
from reports.text import safe_filename
from scoring import DistrictResult, compile_framework, score_district
from scoring.compare import NO_TIER, compare_results, rescore
from scoring.targets import ENTERED, district_targets
from store.csv_cells import escape_frame
from store.errors import PermissionDenied
from store.records import Status, User
from store.services import Services
from store.storage import read_all

Progress = Callable[[int, int], None]
Task = Callable[[Services, User, Mapping[str, Any], Progress, IO[bytes]], str]


class CycleInputs:
    """A cycle's facts, ratings, on-site overrides, scores and assessments as the acting user may see them.

    Scored with the inspection team's overrides, as the app's pages and downloads are: a document from
    a job says what the same document downloaded from the page says.
    """

    def __init__(self, sv: Services, user: User, cycle_id: int) -> None:
        self.cycle = sv.cycles.get(user, cycle_id)
        self.framework = sv.frameworks.for_cycle(user, cycle_id)
        self.facts = sv.frames.facts_frame(user, cycle_id)
        self.ratings = sv.frames.ratings_frame(user, cycle_id)
        overrides = sv.overrides.frame(user, cycle_id)
        self.result: DistrictResult = score_district(
            compile_framework(self.framework), self.facts, self.ratings, overrides=overrides
        )
        self.assessments = sv.assessments.list_assessments(user, cycle_id)
        self.status = {a.school_code: a.status for a in self.assessments}

    @property
    def finalized(self) -> list[str]:
        """Codes of the finalized schools."""
        return [c for c, s in self.status.items() if s == Status.FINALIZED]


def report_contexts(sv: Services, user: User, data: CycleInputs, params: Mapping[str, Any]) -> list[ReportContext]:
    """Each school's report inputs as the lead's own download has them (finalized schools only, if asked).

    The team and the visit days as entered for the visit (else the assigned inspectors by display name,
    never by account), the report date as entered (else the day of finalization), the issuing office, and
    the second reader who confirmed the result.
    """
    notes = notes_by_school(data.ratings)
    today = date.fromisoformat(params["issued"]) if params.get("issued") else date.today()
    finalized_only = bool(params.get("finalized_only", True))
    codes = [c for c in data.result.schools if not finalized_only or data.status.get(c) == Status.FINALIZED]
    by_code = {a.school_code: a for a in data.assessments}
    reviewed = {
        r.school_code: r.reviewer_name
        for r in sv.quality.my_reviews(user)
        if r.status == "confirmed" and r.cycle_id == data.cycle.id
    }
    contexts = []
    for code in codes:
        assessment = by_code.get(code)
        visit = sv.visits.get(user, assessment.id) if assessment is not None else None
        contexts.append(
            ReportContext(
                data.result,
                code,
                data.cycle.name,
                team=tuple(TeamMember(m.name, m.lead) for m in visit.team) if visit else (),
                visit_dates=visit.days if visit else (),
                notes=notes.get(code, {}),
                district=str(params.get("district", "")),
                issued=visit.document_date(assessment.finalized_at, today) if visit else today,
                final=data.status.get(code) == Status.FINALIZED,
                office=str(params.get("office", "")),
                reviewer=reviewed.get(code, ""),
            )
        )
    return contexts


def zip_name(params: Mapping[str, Any], cycle_name: str) -> str:
    """The file name of a reports zip."""
    lang, kind = str(params.get("lang", "zh")), str(params.get("kind", "docx"))
    return safe_filename(f"{t('bureau.file.reports', lang)}_{cycle_name}_{kind}") + ".zip"


def cycle_contexts(sv: Services, user: User, params: Mapping[str, Any]) -> tuple[CycleInputs, list[ReportContext]]:
    """The cycle's inputs and every school's report context, read once per process and data version.

    Each part of a zip job needs the same: without this every part read and scored the whole cycle and read
    each school's visit again. The key is the database, the user, the cycle, the job's parameters but the
    part's schools, the day (an absent report date is today) and the data version (the latest change in the
    audit log, as the pages' caches use); a user who may not read the audit log gets no cache.
    """
    key = _contexts_key(sv, user, params)
    with _CONTEXTS_LOCK:
        found = _CONTEXTS.get(key) if key is not None else None
    if found is None:
        data = CycleInputs(sv, user, int(params["cycle_id"]))
        found = (data, report_contexts(sv, user, data, params))
        if key is not None:
            with _CONTEXTS_LOCK:
                if len(_CONTEXTS) >= CONTEXTS_KEPT:
                    _CONTEXTS.pop(next(iter(_CONTEXTS)))
                _CONTEXTS[key] = found
    return found


PART_KEYS = frozenset({"codes", "parent", "index"})  # what a part's parameters add to its job's (`Jobs.parts`)
CONTEXTS_KEPT = 2  # cycles kept: each holds its frames, scores and contexts
_CONTEXTS: dict[tuple[object, ...], tuple[CycleInputs, list[ReportContext]]] = {}
_CONTEXTS_LOCK = threading.Lock()


def _contexts_key(sv: Services, user: User, params: Mapping[str, Any]) -> tuple[object, ...] | None:
    """What `cycle_contexts` depends on, or None when the data version cannot be read."""
    try:
        latest = sv.audit.entries(user, limit=1, changes_only=True)
    except PermissionDenied:
        return None
    shared = json.dumps({k: v for k, v in params.items() if k not in PART_KEYS}, sort_keys=True, default=str)
    # the latest change whole, not only its id: two databases behind one URL (PostgreSQL schemas) differ there
    version = (e.id, e.at, e.actor, e.action, e.entity, e.entity_id) if (e := next(iter(latest), None)) else 0
    return (str(sv.engine.url), user.id, user.role.value, shared, date.today(), version)


def reports_part(sv: Services, user: User, params: Mapping[str, Any], progress: Progress, out: IO[bytes]) -> str:
    """The reports of some schools (`codes`; all of the zip's schools when absent) in one zip, into `out`."""
    data, contexts = cycle_contexts(sv, user, params)
    if "codes" in params:
        wanted = set(params["codes"])
        contexts = [c for c in contexts if c.school_code in wanted]
    kind, lang = str(params.get("kind", "docx")), str(params.get("lang", "zh"))
    progress(0, len(contexts))
    # the same zip as the command line's: schools never inspected are listed, not reported on
    reports_zip(contexts, kind, lang, progress=progress, out=out)  # type: ignore[arg-type]
    return zip_name(params, data.cycle.name)


def workbook(sv: Services, user: User, params: Mapping[str, Any], progress: Progress, out: IO[bytes]) -> str:
    """The district workbook of a cycle, with the plan's targets and the entered figures."""
    lang = str(params.get("lang", "zh"))
    progress(0, 3)
    data = CycleInputs(sv, user, int(params["cycle_id"]))
    progress(1, 3)
    entered = {k: float(v) for k, v in sv.cycles.entered_figures(user, data.cycle.id).items() if k in ENTERED}
    targets = [
        TargetRow(
            s.target.clause,
            s.target.label(lang),
            s.target.goal_text(lang),
            round(s.value, 1) if s.value is not None else t("bureau.met.unknown", lang),
            s.met,
        )
        for s in district_targets(data.facts, data.result, entered, inspected=data.finalized)
    ]
    progress(2, 3)
    out.write(
        district_workbook(
            data.result,
            lang,
            cycle=data.cycle.name,
            district=str(params.get("district", "")),
            agreement=agreement_tables(data.result),
            targets=targets,
            certification=certification_words(sv, user, lang),
        )
    )
    progress(3, 3)
    return safe_filename(f"{t('bureau.file.workbook', lang)}_{data.cycle.name}") + ".xlsx"


def certification_words(sv: Services, user: User, lang: str) -> dict[str, str]:
    """Per inspector user name, their certification today in words (the agreement sheet's column, issue 14)."""
    today = date.today()
    return {name: cert.in_words(today, lang) for name, cert in sv.calibration.certifications(user, today).items()}


def rescore_csv(sv: Services, user: User, params: Mapping[str, Any], progress: Progress, out: IO[bytes]) -> str:
    """A cycle re-scored under another framework version, per school (for comparison only: nothing is stored)."""
    lang = str(params.get("lang", "zh"))
    progress(0, 2)
    data = CycleInputs(sv, user, int(params["cycle_id"]))
    other = sv.frameworks.get(user, int(params["version_id"]))
    again = rescore(data.result, other)
    progress(1, 2)
    found = compare_results(data.result, again.result, "inspection")

    def tiers(framework, ids) -> list[str]:
        names = {tier.id: tier.name.get(lang) for tier in framework.tiers}
        return [t("tier.none", lang) if i == NO_TIER else names.get(str(i), str(i)) for i in ids]

    table = pd.DataFrame(
        {
            t("app.col.code", lang): found.index.to_numpy(),
            t("app.col.school", lang): found["school_name"].to_numpy(),
            t("bureau.col.score_before", lang): found["score_before"].round(1).to_numpy(),
            t("bureau.col.tier_before", lang): tiers(data.framework, found["tier_before"]),
            t("bureau.col.score_after", lang): found["score_after"].round(1).to_numpy(),
            t("bureau.col.tier_after", lang): tiers(other, found["tier_after"]),
            t("bureau.col.change_points", lang): found["change"].round(1).to_numpy(),
        }
    )
    text = escape_frame(table, table.columns[:2]).to_csv(index=False, lineterminator="\r\n")
    out.write(("\ufeff" + text).encode("utf-8"))
    progress(2, 2)
    return safe_filename(f"{t('bureau.file.rescore', lang)}_{data.cycle.name}_{other.version}") + ".csv"


def import_ratings(sv: Services, user: User, params: Mapping[str, Any], progress: Progress, out: IO[bytes]) -> str:
    """A ratings CSV imported into a cycle (checked in full, then written in one transaction)."""
    lang = str(params.get("lang", "zh"))
    data = read_all(sv.storage, str(params["upload_key"]))
    name = safe_filename(str(params.get("file", "ratings.csv"))) or "ratings.csv"
    rows = max(0, data.count(b"\n") - 1)
    progress(0, rows)
    with tempfile.TemporaryDirectory(prefix="xinyu-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = sv.imports.ratings(
            user, int(params["cycle_id"]), path, file=name, progress=lambda done: progress(min(done, rows), rows)
        )
    progress(rows, rows)
    out.write(t("jobs.import.summary", lang, rows=result.rows, created=result.created, updated=result.updated).encode())
    return safe_filename(f"{t('jobs.kind.import_ratings', lang)}_{params.get('file', 'ratings.csv')}") + ".txt"


TASKS: dict[str, Task] = {
    "reports_part": reports_part,
    "workbook": workbook,
    "rescore": rescore_csv,
    "import_ratings": import_ratings,
}
