"""The cycle's status board, the schools never assessed, and what each school and inspector still owes.

Rules (the issue names the states; where it is silent we chose):
- not started: a draft with no fact given and no self rating yet;
- overdue: past the self-assessment deadline while still a draft or returned (the school owes its
  submission), or past the inspection deadline while submitted or under inspection (the team owes it);
- never assessed: a school of the register with no finalized assessment in any cycle;
- a school owes its missing facts and unrated applicable items; an inspector of a submitted school or a
  school under inspection owes the applicable items they have not rated; its lead also owes starting the
  inspection (submitted) or the consensus and finalizing (under inspection).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from criteria.models import QuantitativeItem
from scoring.compiled import NOT_APPLICABLE, UNRATED
from scoring.facts import FACT_FIELDS
from store.records import IN_INSPECTION, SCHOOL_EDITABLE, Assessment, Assignment, Cycle, School, Status
from ui.bureau.data import CycleData
from ui.bureau.labels import stages_text, status_word, yes_no
from ui.text import tr

BOARD_STATES: tuple[str, ...] = ("not_started", *(s.value for s in Status))
"""The board's states in order: not started, then the workflow statuses."""


@dataclass(frozen=True)
class Board:
    """The board (one row per school) and what schools and inspectors still owe."""

    frame: pd.DataFrame
    schools_owe: pd.DataFrame
    inspectors_owe: pd.DataFrame


def board_tables(
    data: CycleData, assignments: tuple[Assignment, ...], today: date, names: Mapping[str, str], lang: str
) -> Board:
    """The board and the reminders of a cycle, computed once per data version, day and language."""
    return _board(data.key, today, lang, dict(names), data, assignments)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _board(
    key: tuple[str, int, int, int],
    today: date,
    lang: str,
    names: dict[str, str],
    _data: CycleData,
    _assignments: tuple[Assignment, ...],
) -> Board:
    return Board(
        board_frame(_data, _assignments, today, names),
        school_reminders(_data, today),
        inspector_reminders(_data, _assignments, today, names),
    )


def board_state(a: Assessment, self_rated: int) -> str:
    """`not_started` for an untouched draft, else the assessment's status."""
    untouched = a.status == Status.DRAFT and not a.facts and self_rated == 0
    return "not_started" if untouched else Status(a.status).value


def overdue(status: Status, cycle: Cycle, today: date) -> bool:
    """Past the deadline of the step the school or its team is at."""
    if status in SCHOOL_EDITABLE:
        return cycle.self_deadline is not None and today > cycle.self_deadline
    if status in IN_INSPECTION:
        return cycle.inspection_deadline is not None and today > cycle.inspection_deadline
    return False


def to_rate(data: CycleData) -> np.ndarray:
    """[schools, items] applicable items a rater picks a level for (not computed from facts)."""
    compiled = data.result.compiled
    rated_kind = np.array([not isinstance(i, QuantitativeItem) for i in compiled.framework.items()])
    return (data.result.self_view.levels != NOT_APPLICABLE) & rated_kind[None, :]


def self_progress(data: CycleData) -> tuple[pd.Series, pd.Series]:
    """Per school code: self-rated items and items to rate."""
    due = to_rate(data)
    rated = due & (data.result.self_view.levels != UNRATED)
    index = data.result.schools
    return pd.Series(rated.sum(axis=1), index=index), pd.Series(due.sum(axis=1), index=index)


def missing_facts(a: Assessment) -> int:
    """Facts not given yet."""
    return sum(f.name not in a.facts for f in FACT_FIELDS)


def teams(assignments: Iterable[Assignment], names: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Per school code: its inspectors in words, and its lead."""
    members: dict[str, list[str]] = {}
    leads: dict[str, str] = {}
    for a in assignments:
        name = names.get(a.inspector, a.inspector)
        members.setdefault(a.school_code, []).append(name)
        if a.lead:
            leads[a.school_code] = name
    sep = tr("bureau.list_sep")
    return {code: sep.join(v) for code, v in members.items()}, leads


def board_frame(
    data: CycleData, assignments: tuple[Assignment, ...], today: date, names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per school: state, overdue, self progress, missing facts, team and last change."""
    rated, due = self_progress(data)
    team, leads = teams(assignments, names)
    rows = []
    for a in data.assessments:
        state = board_state(a, int(rated.get(a.school_code, 0)))
        rows.append(
            {
                "state": state,
                "overdue": overdue(a.status, data.cycle, today),
                tr("app.col.code"): a.school_code,
                tr("app.col.school"): a.school_name,
                tr("bureau.col.board_state"): tr(f"bureau.state.{state}"),
                tr(
                    "bureau.col.self_progress"
                ): f"{int(rated.get(a.school_code, 0))} / {int(due.get(a.school_code, 0))}",
                tr("bureau.col.missing_facts"): missing_facts(a),
                tr("bureau.col.team"): team.get(a.school_code, ""),
                tr("bureau.col.lead"): leads.get(a.school_code, ""),
                tr("bureau.col.updated"): a.updated_at.strftime("%Y-%m-%d %H:%M") if a.updated_at else "",
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame.insert(5, tr("bureau.col.overdue"), [yes_no(v) for v in frame["overdue"]])
    return frame


def headline(data: CycleData, today: date) -> tuple[int, int]:
    """How many schools have not started, and how many are overdue (without reading the assignments)."""
    rated, _ = self_progress(data)
    started = [board_state(a, int(rated.get(a.school_code, 0))) != "not_started" for a in data.assessments]
    late = [overdue(a.status, data.cycle, today) for a in data.assessments]
    return len(started) - sum(started), sum(late)


def board_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many schools in each board state, and how many overdue."""
    counts = {s: int((frame["state"] == s).sum()) if not frame.empty else 0 for s in BOARD_STATES}
    counts["overdue"] = int(frame["overdue"].sum()) if not frame.empty else 0
    return counts


def history(every_cycle: Iterable[CycleData]) -> tuple[set[str], dict[str, int]]:
    """Over every cycle: the codes of schools ever finalized, and in how many cycles each school took part."""
    finalized: set[str] = set()
    cycles_of: dict[str, int] = {}
    for data in every_cycle:
        finalized |= set(data.finalized)
        for a in data.assessments:
            cycles_of[a.school_code] = cycles_of.get(a.school_code, 0) + 1
    return finalized, cycles_of


def not_in_cycle(frame: pd.DataFrame, in_cycle: Mapping[str, Status]) -> list[int]:
    """Ids of the never-assessed schools that are not in this cycle."""
    pairs = zip(frame["school_id"], frame[tr("app.col.code")], strict=True) if not frame.empty else ()
    return [int(i) for i, code in pairs if code not in in_cycle]


def never_assessed(
    schools: Iterable[School],
    finalized: set[str],
    in_cycle: Mapping[str, Status],
    cycles_of: Mapping[str, int],
    lang: str,
) -> pd.DataFrame:
    """Active schools of the register never finalized in any cycle, with where they are in this cycle."""
    rows = [
        {
            "school_id": s.id,
            tr("app.col.code"): s.code,
            tr("app.col.school"): s.name,
            tr("bureau.col.street"): s.street,
            tr("bureau.col.stages"): stages_text(";".join(s.stages), lang),
            tr("bureau.col.this_cycle"): status_word(in_cycle[s.code])
            if s.code in in_cycle
            else tr("bureau.never.out"),
            tr("bureau.col.cycles_in"): cycles_of.get(s.code, 0),
        }
        for s in schools
        if s.active and s.code not in finalized
    ]
    return pd.DataFrame(rows)


def school_reminders(data: CycleData, today: date) -> pd.DataFrame:
    """What each school still owes: its submission (facts missing, items unrated), by the self deadline."""
    rated, due = self_progress(data)
    deadline = data.cycle.self_deadline
    rows = []
    for a in data.assessments:
        if a.status not in SCHOOL_EDITABLE:
            continue
        unrated = int(due.get(a.school_code, 0) - rated.get(a.school_code, 0))
        owes = tr("bureau.owes.school", facts=missing_facts(a), items=unrated)
        if a.status == Status.RETURNED and a.return_note:
            owes += tr("bureau.owes.returned", note=a.return_note)
        rows.append(_reminder(a, owes, deadline, overdue(a.status, data.cycle, today)))
    return pd.DataFrame(rows)


def inspector_reminders(
    data: CycleData, assignments: tuple[Assignment, ...], today: date, names: Mapping[str, str]
) -> pd.DataFrame:
    """What each inspector still owes at the schools in inspection, by the inspection deadline."""
    rated = _inspector_rated(data)
    due = to_rate(data)
    status = {a.school_code: a for a in data.assessments}
    rows = []
    for s in assignments:
        a = status.get(s.school_code)
        if a is None or a.status not in IN_INSPECTION:
            continue
        n = data.result.row(s.school_code)
        left = int(due[n].sum()) - rated.get((s.school_code, s.inspector), 0)
        owes = tr("bureau.owes.inspector", items=max(left, 0))
        if s.lead:
            owes += tr("bureau.owes.start" if a.status == Status.SUBMITTED else "bureau.owes.finalize")
        row = _reminder(a, owes, data.cycle.inspection_deadline, overdue(a.status, data.cycle, today))
        rows.append(
            {
                tr("bureau.col.inspector"): names.get(s.inspector, s.inspector),
                tr("bureau.col.role"): tr("bureau.role.lead" if s.lead else "bureau.role.member"),
                **row,
            }
        )
    return pd.DataFrame(rows)


def _inspector_rated(data: CycleData) -> dict[tuple[str, str], int]:
    """(school code, inspector) → items they rated that the school must have rated."""
    ratings = data.ratings[data.ratings["role"].astype(str) == "inspector"]
    if ratings.empty:
        return {}
    compiled = data.result.compiled
    due = to_rate(data)
    schools = data.result.schools.get_indexer(ratings["school_code"].astype(str))
    items = np.array([compiled.item_position.get(i, -1) for i in ratings["item_id"].astype(str)])
    keep = (schools >= 0) & (items >= 0)
    keep[keep] = due[schools[keep], items[keep]]
    pairs = pd.DataFrame(
        {"school": ratings["school_code"].astype(str)[keep], "rater": ratings["rater"].astype(str)[keep]}
    )
    counts = (
        pairs.assign(item=ratings["item_id"].astype(str)[keep]).drop_duplicates().groupby(["school", "rater"]).size()
    )
    return {(str(k[0]), str(k[1])): int(v) for k, v in counts.items()}


def _reminder(a: Assessment, owes: str, deadline: date | None, late: bool) -> dict[str, object]:
    return {
        tr("app.col.code"): a.school_code,
        tr("app.col.school"): a.school_name,
        tr("app.home.status"): status_word(a.status),
        tr("bureau.col.owes"): owes,
        tr("bureau.col.deadline"): deadline.isoformat() if deadline else "—",
        tr("bureau.col.overdue"): yes_no(late),
    }
