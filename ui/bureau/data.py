"""A cycle's data as the bureau's pages read it: facts, ratings, scores and assessments; its assignments.

Read through the service layer with the signed-in user (the store decides what that user may see) and
held in `st.cache_resource` per (database, user, cycle, data version). The data version is the id of
the latest audit-log entry: every change of a rating, fact, status, school, cycle, assignment or
framework writes one, so a cached result is never stale, and it is never handed to another user.
The objects are shared read-only: the scoring core never changes a result it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import streamlit as st

from criteria import Framework
from scoring import DistrictResult, score_district
from store.records import Assessment, Assignment, Cycle, Role, Status
from ui.context import AppCtx
from ui.services import framework

View = Literal["official", "inspection", "self"]
VIEWS: tuple[View, ...] = ("official", "inspection", "self")
"""official: finalized inspections only; inspection: every inspection rating so far; self: self-assessments."""


@dataclass(frozen=True)
class CycleData:
    """One cycle as the acting user may see it, scored."""

    cycle: Cycle
    framework: Framework
    facts: pd.DataFrame
    ratings: pd.DataFrame
    result: DistrictResult
    assessments: tuple[Assessment, ...]
    key: tuple[str, int, int, int]
    """(database, user id, cycle id, data version): what the data was loaded for, to key derived caches."""

    @cached_property
    def status(self) -> pd.Series:
        """School code → status of its assessment."""
        return pd.Series({a.school_code: a.status for a in self.assessments}, dtype=object)

    @cached_property
    def finalized(self) -> pd.Index:
        """Codes of the finalized schools."""
        return pd.Index([a.school_code for a in self.assessments if a.status == Status.FINALIZED])

    def in_view(self, view: View) -> pd.Index:
        """Codes of the schools with scores in a view (official: finalized with inspection ratings)."""
        v = self.result.view(core_view(view))
        present = self.result.schools[v.present]
        return present.intersection(self.finalized, sort=False) if view == "official" else present


def core_view(view: View) -> str:
    """The scoring core's view of a page view."""
    return "self" if view == "self" else "inspection"


def data_version(ctx: AppCtx) -> int:
    """The id of the latest audit-log entry of a change (0 when none): changes whenever any stored data changes.

    Notes of events that change nothing (sign-ins, downloads, refusals) leave the cached results valid.
    """
    entries = ctx.services.audit.entries(ctx.user, limit=1, changes_only=True)
    return entries[0].id if entries else 0


def cycle_data(ctx: AppCtx, cycle: Cycle, version: int | None = None) -> CycleData:
    """The cycle's data for the signed-in user, computed once per data version."""
    version = data_version(ctx) if version is None else version
    return _cycle_data(str(ctx.services.engine.url), ctx.user.id, ctx.user.role.value, cycle.id, version, ctx)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _cycle_data(url: str, user_id: int, role: str, cycle_id: int, version: int, _ctx: AppCtx) -> CycleData:
    sv, user = _ctx.services, _ctx.user
    cycle = sv.cycles.get(user, cycle_id)
    bundle = framework(sv, user, cycle.framework_version_id)
    facts = sv.frames.facts_frame(user, cycle_id)
    ratings = sv.frames.ratings_frame(user, cycle_id)
    result = score_district(bundle.compiled, facts, ratings, overrides=sv.overrides.frame(user, cycle_id))
    assessments = tuple(sv.assessments.list_assessments(user, cycle_id))
    return CycleData(cycle, bundle.framework, facts, ratings, result, assessments, (url, user_id, cycle_id, version))


def assignments_of(ctx: AppCtx, cycle: Cycle, version: int | None = None) -> tuple[Assignment, ...]:
    """The cycle's assignments the signed-in user may see, read once per data version."""
    version = data_version(ctx) if version is None else version
    return _assignments(str(ctx.services.engine.url), ctx.user.id, ctx.user.role.value, cycle.id, version, ctx)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _assignments(
    url: str, user_id: int, role: str, cycle_id: int, version: int, _ctx: AppCtx
) -> tuple[Assignment, ...]:
    return tuple(_ctx.services.cycles.assignments(_ctx.user, cycle_id))


def inspector_names(ctx: AppCtx, active_only: bool = False) -> dict[str, str]:
    """Inspector user name → `name (username)` (only accounts that may be assigned, with `active_only`)."""
    users = ctx.services.accounts.list_users(ctx.user, role=Role.INSPECTOR)
    return {u.username: f"{u.display_name} ({u.username})" for u in users if u.active or not active_only}


def oldest_first(ctx: AppCtx) -> list[Cycle]:
    """Every cycle, oldest first (the store lists the newest first)."""
    return list(reversed(ctx.cycles))


def previous_cycle(ctx: AppCtx, cycle: Cycle) -> Cycle | None:
    """The cycle just before `cycle`, if any."""
    ordered = oldest_first(ctx)
    n = [c.id for c in ordered].index(cycle.id)
    return ordered[n - 1] if n > 0 else None


def next_cycle(ctx: AppCtx, cycle: Cycle) -> Cycle | None:
    """The cycle just after `cycle`, if any."""
    ordered = oldest_first(ctx)
    n = [c.id for c in ordered].index(cycle.id)
    return ordered[n + 1] if n + 1 < len(ordered) else None


def clear() -> None:
    """Forget every cached cycle (tests and benchmarks switch databases)."""
    _cycle_data.clear()
    _assignments.clear()


def rows_of(result: DistrictResult, codes: pd.Index) -> np.ndarray:
    """Row positions of school codes in a result."""
    return result.schools.get_indexer(codes)
