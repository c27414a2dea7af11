"""Follow-up tables: every finalized school's action plan, its progress in the next cycle, the re-check list.

Plans are `scoring.followup.action_plan` of each finalized school (the inspectors' findings and the
path to the next tier; owners by domain; one due date for the plan), computed from the stored results
and the findings as the school's Excel action plan takes them (`reports.context.notes_by_school`: the
lead's consensus finding, else every inspector's), so the page and the sheet speak of the same plan.
Plans are not stored. Progress is `plan_progress` against the next cycle's inspection ratings so far.
A school that reached no tier when finalized is listed for a re-check visit.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import streamlit as st

from reports.action_plan import DEFAULT_WEEKS
from reports.context import notes_by_school
from scoring.compare import tier_ids
from scoring.decision import decide
from scoring.followup import Action, action_plan, plan_frame, plan_progress
from store.records import Assignment
from ui.bureau.data import CycleData
from ui.bureau.labels import met_word, status_word, tier_word
from ui.text import tr


def default_due(data: CycleData, today: date) -> date:
    """About a semester after the inspection deadline (or today, without one)."""
    return (data.cycle.inspection_deadline or today) + timedelta(weeks=DEFAULT_WEEKS)


def findings(data: CycleData) -> dict[str, dict[str, str]]:
    """School code → item → the inspection finding (only ratings with a finding are read)."""
    ratings = data.ratings
    if "finding" not in ratings.columns:
        return {}
    noted = ratings[ratings["finding"].astype(str).str.strip() != ""]
    notes = notes_by_school(noted)
    return {code: {item: n.finding for item, n in items.items() if n.finding} for code, items in notes.items()}


def plans(data: CycleData, due: date) -> dict[str, list[Action]]:
    """School code → action plan, for every finalized school (cached per cycle data and due date)."""
    return _plans(data.key, due, data)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _plans(key: tuple[str, int, int, int], due: date, _data: CycleData) -> dict[str, list[Action]]:
    noted = findings(_data)
    return {
        code: action_plan(_data.result, code, due, noted.get(code, {}))
        for code in _data.finalized
        if code in _data.result.schools
    }


def official_tiers(data: CycleData, codes: list[str], lang: str) -> list[str]:
    """Finalized schools' tiers in words (no result without inspection ratings)."""
    tiers = tier_ids(data.result).where(data.result.inspection.present, "")
    return [tier_word(data.framework, str(tiers[code]), lang) for code in codes]


def progress_counts(all_plans: dict[str, list[Action]], later: CycleData) -> pd.DataFrame:
    """Per school: actions met, not met and unknown in the next cycle (one pass over every action)."""
    flat = [a for actions in all_plans.values() for a in actions]
    progress = plan_progress(flat, later.result)
    met = progress["met"]
    counts = pd.DataFrame(
        {
            "school_code": progress["school_code"],
            "yes": met.map(lambda x: x is not None and bool(x)),
            "no": met.map(lambda x: x is not None and not bool(x)),
            "unknown": met.isna(),
        }
    )
    return counts.groupby("school_code", sort=False)[["yes", "no", "unknown"]].sum()


def summary(data: CycleData, all_plans: dict[str, list[Action]], later: CycleData | None, lang: str) -> pd.DataFrame:
    """Per finalized school: tier, number of actions, and (with a next cycle) how many are met there."""
    frame = pd.DataFrame(
        {
            tr("app.col.code"): list(all_plans),
            tr("app.col.school"): [str(data.facts["school_name"].get(c, "")) for c in all_plans],
            tr("bureau.col.official_tier"): official_tiers(data, list(all_plans), lang),
            tr("bureau.col.actions"): [len(a) for a in all_plans.values()],
        }
    )
    if later is None:
        return frame
    counts = progress_counts(all_plans, later).reindex(list(all_plans), fill_value=0)
    frame[tr("bureau.col.next_status")] = [_status_in(later, c) for c in all_plans]
    for column, key in (("yes", "bureau.met.yes"), ("no", "bureau.met.no"), ("unknown", "bureau.met.unknown")):
        frame[tr(key)] = counts[column].astype(int).to_numpy()
    return frame


def _status_in(later: CycleData, code: str) -> str:
    return status_word(later.status[code]) if code in later.status.index else tr("bureau.never.out")


def school_plan(data: CycleData, actions: list[Action], later: CycleData | None, lang: str) -> pd.DataFrame:
    """One school's plan: kind, item or domain, clause, levels, owner, due date, the action; and progress."""
    frame = plan_frame(actions, data.framework, lang)
    out = pd.DataFrame(
        {
            tr("bureau.col.kind"): frame["kind_label"],
            tr("bureau.col.item"): frame["item_id"].where(frame["item_id"] != "", frame["domain_id"]),
            tr("bureau.col.clause"): frame["clause"],
            tr("bureau.col.current"): frame["current"],
            tr("bureau.col.target_level"): frame["target"],
            tr("bureau.col.owner"): frame["owner"],
            tr("bureau.col.due"): frame["due"].astype(str),
            tr("bureau.col.action"): frame["action"],
        }
    )
    if later is not None and actions:
        progress = plan_progress(actions, later.result)
        out[tr("bureau.col.now")] = [_now(x) for x in progress["now"]]
        out[tr("bureau.col.met")] = [met_word(x) for x in progress["met"]]
    return out


def _now(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def recheck(
    data: CycleData, later: CycleData | None, teams: tuple[Assignment, ...], names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Finalized schools that reached no tier: score, reasons, and their status and team in the next cycle."""
    result = data.result
    members: dict[str, list[str]] = {}
    for a in teams:
        members.setdefault(a.school_code, []).append(names.get(a.inspector, a.inspector))
    rows = []
    for code in data.finalized:
        n = result.row(code)
        if not result.inspection.present[n] or result.inspection.tier_index[n] >= 0:
            continue
        row = {
            tr("app.col.code"): code,
            tr("app.col.school"): str(data.facts["school_name"].iloc[n]),
            tr("bureau.col.score"): round(float(result.inspection.score_100[n]), 1),
            tr("bureau.col.reasons"): decide(result, code, "inspection", lang).sentence,
        }
        if later is not None:
            row[tr("bureau.col.next_status")] = _status_in(later, code)
            row[tr("bureau.col.team")] = tr("bureau.list_sep").join(members.get(code, []))
        rows.append(row)
    return pd.DataFrame(rows)
