"""A cycle's ratings and facts as the frames the scoring engine reads.

The frames have exactly the shapes of `scoring.inputs.read_ratings` and `read_facts`, and are read
with one query each (fast for a whole district).

What a frame holds depends on the actor, as everywhere: the bureau gets every school; an inspector
their assigned schools (with the ratings they may see); a school its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.orm import Session

from criteria import Framework
from scoring.facts import FACT_FIELDS
from scoring.inputs import OPTIONAL_RATING_COLUMNS, RATING_COLUMNS, read_ratings
from scoring.metrics import STAGE_COLUMNS
from store.context import Area
from store.cycles import cycle_row
from store.errors import PermissionDenied
from store.models import AssessmentRow, AssignmentRow, RatingRow, SchoolRow
from store.policy import READ_ALL, Access, acting, rating_visible, reviewed_schools
from store.records import SNAPSHOT_STATUSES, Role, User


class Frames(Area):
    """Scoring frames of a cycle."""

    def ratings_frame(self, actor: User, cycle_id: int, school_id: int | None = None) -> pd.DataFrame:
        """Ratings in long form (code, item, rater, role, level, account, finding) like read_ratings."""

        def read(session: Session) -> pd.DataFrame:
            framework = self.ctx.frameworks.cycle(session, cycle_row(session, cycle_id))
            return ratings_of(session, acting(session, actor), cycle_id, school_id, framework)

        return self.ctx.read(read)

    def facts_frame(self, actor: User, cycle_id: int, school_id: int | None = None) -> pd.DataFrame:
        """Facts, one row per school indexed by code, as read_facts gives (a fact not yet given is NaN)."""
        return self.ctx.read(lambda s: facts_frame_of(cycle_assessments(s, acting(s, actor), cycle_id, school_id)))


def scope(session: Session, me: User, cycle_id: int, school_id: int | None) -> dict[int, Access] | None:
    """The schools of the cycle `me` may see, with their standing (None: all of them)."""
    cycle_row(session, cycle_id)
    if me.role in READ_ALL:
        return None if school_id is None else {school_id: Access(view=True, reads_all=True)}
    if me.role == Role.SCHOOL and me.school_id is not None and school_id in (None, me.school_id):
        return {me.school_id: Access(view=True, school=True)}
    if me.role == Role.INSPECTOR:
        query = select(AssignmentRow.school_id, AssignmentRow.lead).where(
            AssignmentRow.cycle_id == cycle_id, AssignmentRow.inspector_id == me.id
        )
        pairs = session.execute(query)
        assigned = {sid: Access(view=True, inspector=True, lead=lead) for sid, lead in pairs}
        assigned = reviewed_schools(session, me, cycle_id) | assigned
        if school_id is None:
            return assigned
        if school_id in assigned:
            return {school_id: assigned[school_id]}
    raise PermissionDenied("store.action.view_assessment")


def _limit(query: Select[Any], allowed: dict[int, Access] | None) -> Select[Any]:
    return query if allowed is None else query.where(AssessmentRow.school_id.in_(list(allowed)))


def ratings_of(session: Session, me: User, cycle_id: int, school_id: int | None, framework: Framework) -> pd.DataFrame:
    """The cycle's ratings `me` may see, checked and shaped by the scoring reader (`read_ratings`)."""
    allowed = scope(session, me, cycle_id, school_id)
    assessments = {aid: (code, sid, status) for aid, code, sid, status in session.execute(_assessment_query(cycle_id))}
    query = (
        select(
            RatingRow.assessment_id,
            RatingRow.item_id,
            RatingRow.rater,
            RatingRow.role,
            RatingRow.level,
            RatingRow.account,
            RatingRow.finding,
        )
        .join_from(RatingRow, AssessmentRow, RatingRow.assessment_id == AssessmentRow.id)
        .where(AssessmentRow.cycle_id == cycle_id)
    )
    if allowed is not None:
        query = _limit(query.add_columns(RatingRow.rater_user_id), allowed)
    columns = fetch_columns(session, query, 7 if allowed is None else 8)
    if allowed is not None:
        columns = _visible(columns, assessments, allowed, me)
    frame = _rating_frame(columns, assessments)
    return read_ratings(frame, framework, [code for code, _, _ in assessments.values()], file="ratings")


def _assessment_query(cycle_id: int) -> Select[Any]:
    return (
        select(AssessmentRow.id, SchoolRow.code, AssessmentRow.school_id, AssessmentRow.status)
        .join_from(AssessmentRow, SchoolRow, SchoolRow.id == AssessmentRow.school_id)
        .where(AssessmentRow.cycle_id == cycle_id)
    )


def fetch_columns(session: Session, query: Select[Any], width: int) -> list[np.ndarray]:
    """The result of a query as object columns, the rows fetched from the driver's cursor as they come.

    The query runs as any other (its parameters bound, its SQL cached); only the rows are taken from
    the cursor itself, so no row objects are made and a whole district's ratings are read in a
    fraction of a second. Values are the driver's (no type conversion): select numbers and text.
    """
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    table = np.empty((len(rows), width), dtype=object)
    if rows:
        table[:] = rows
    return [table[:, n] for n in range(width)]


def _visible(
    columns: list[np.ndarray], assessments: dict[int, tuple[str, int, str]], allowed: dict[int, Access], me: User
) -> list[np.ndarray]:
    """Only the ratings `me` may see (a small share of a cycle: a school's or an inspector's)."""
    keep = np.array(
        [
            rating_visible(allowed[assessments[aid][1]], me, assessments[aid][2], role, rater_id)
            for aid, role, rater_id in zip(columns[0], columns[3], columns[7], strict=True)
        ],
        dtype=bool,
    )
    return [col[keep] for col in columns]


def _rating_frame(columns: list[np.ndarray], assessments: dict[int, tuple[str, int, str]]) -> pd.DataFrame:
    """The ratings CSV columns, categorical where values repeat (as the scoring reader keeps them)."""
    ids = pd.Index(list(assessments), dtype="int64")
    codes = pd.Index([code for code, _, _ in assessments.values()], dtype="str")
    positions = ids.get_indexer(columns[0].astype("int64"))
    frame = pd.DataFrame({"school_code": pd.Categorical.from_codes(positions, categories=codes)})
    for n, name in enumerate(RATING_COLUMNS[1:], start=1):
        frame[name] = pd.Categorical(columns[n])
    for n, name in enumerate(OPTIONAL_RATING_COLUMNS, start=5):
        frame[name] = pd.Series(columns[n], dtype=object)  # the reader turns these into text once
    return frame


def stages_column() -> ColumnElement[str]:
    """The stages an assessment is scored with, in SQL: its snapshot once submitted, else the register's."""
    frozen = AssessmentRow.status.in_([s.value for s in SNAPSHOT_STATUSES]) & AssessmentRow.school_stages.is_not(None)
    return case((frozen, AssessmentRow.school_stages), else_=SchoolRow.stages)


def cycle_assessments(session: Session, me: User, cycle_id: int, school_id: int | None) -> list[Any]:
    """(code, name, street, ownership, stages, facts) of the cycle's schools `me` may see, by code.

    The stages are those each assessment is scored with (`stages_column`).
    """
    allowed = scope(session, me, cycle_id, school_id)
    query = (
        select(
            SchoolRow.code,
            SchoolRow.name,
            SchoolRow.street,
            SchoolRow.ownership,
            stages_column(),
            AssessmentRow.facts,
        )
        .join_from(AssessmentRow, SchoolRow, SchoolRow.id == AssessmentRow.school_id)
        .where(AssessmentRow.cycle_id == cycle_id)
        .order_by(SchoolRow.code)
    )
    return list(session.connection().execute(_limit(query, allowed)).all())


def facts_frame_of(rows: Sequence[Any]) -> pd.DataFrame:
    """The read_facts shape from (code, name, street, ownership, stages, facts) rows."""
    out = pd.DataFrame(index=pd.Index(pd.array([r[0] for r in rows], dtype="str"), name="school_code"))
    out["school_name"] = pd.array([r[1] for r in rows], dtype="str")
    out["street"] = pd.array([r[2] for r in rows], dtype="str")
    out["ownership"] = pd.array([r[3] for r in rows], dtype="str")
    out["stages"] = pd.array([r[4] for r in rows], dtype="str")
    stage_sets = [set(r[4].split(";")) for r in rows]
    for stage, column in STAGE_COLUMNS.items():
        out[column] = np.array([stage.value in stages for stages in stage_sets], dtype=bool)
    for fact in FACT_FIELDS:
        out[fact.name] = np.array([(r[5] or {}).get(fact.name, np.nan) for r in rows], dtype="float64")
    return out
