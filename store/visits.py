"""The on-site visit of an assessment: first and last day, the inspection team as printed, the report date.

Entered by the bureau (any time) or the lead inspector of the school (until the assessment is finalized,
while the cycle is open); read by whoever may see the assessment. Every change is in the audit log.
The team is a list of names, the lead first; left empty, documents print the inspectors assigned to the
school by their display names. The report date left empty is the day the assessment was finalized.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from store import audit
from store.context import Area
from store.errors import PermissionDenied
from store.locking import load
from store.models import AssignmentRow, UserRow, VisitRow
from store.policy import MANAGERS, Duty, access, acting, check_duty, check_view
from store.records import TeamEntry, User, Visit

SET_VISIT = "store.action.set_visit"
MAX_MEMBERS = 20
MAX_NAME = 50


class Visits(Area):
    """Visit dates, team and report date of assessments."""

    def get(self, actor: User, assessment_id: int) -> Visit:
        """The visit of an assessment (empty fields when nothing was entered), if the actor may see it."""

        def read(session: Session) -> Visit:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=False)
            check_view(access(session, me, target.assessment))
            return _visit(session, assessment_id, target.assessment.cycle_id, target.assessment.school_id)

        return self.ctx.read(read)

    def set(
        self,
        actor: User,
        assessment_id: int,
        *,
        first_day: date | None,
        last_day: date | None,
        team: Sequence[str] = (),
        report_date: date | None = None,
    ) -> Visit:
        """Store the visit (bureau, or the school's lead until finalized); bad input writes nothing."""
        names = [" ".join(n.split()) for n in team if n and n.strip()]
        check_visit(first_day, last_day, names)

        def write(session: Session) -> Visit:
            me = acting(session, actor)
            target = load(session, assessment_id, lock=True)
            row = target.assessment
            if me.role not in MANAGERS:
                standing = access(session, me, row)
                if not standing.lead:
                    raise PermissionDenied(SET_VISIT)
                check_duty(standing, Duty.LEAD, row, target.cycle, SET_VISIT)
            visit = session.get(VisitRow, assessment_id)
            before = _dict(visit) if visit is not None else None
            now = self.ctx.clock()
            if visit is None:
                visit = VisitRow(assessment_id=assessment_id, team=[], updated_by=me.username, updated_at=now)
                session.add(visit)
            visit.first_day, visit.last_day, visit.team, visit.report_date = first_day, last_day, names, report_date
            after = _dict(visit)
            if after != before:
                visit.updated_by, visit.updated_at = me.username, now
                audit.record(
                    session,
                    me,
                    now,
                    "visit.set",
                    "visit",
                    assessment_id,
                    before=before,
                    after=after,
                    school_id=row.school_id,
                    cycle_id=row.cycle_id,
                )
            session.flush()
            return _visit(session, assessment_id, row.cycle_id, row.school_id)

        return self.ctx.write(actor, write)


def check_visit(first_day: date | None, last_day: date | None, names: Sequence[str]) -> None:
    """Refuse a last day before the first, an over-long name or too many members, each in words."""
    problems = []
    if first_day is not None and last_day is not None and last_day < first_day:
        problems.append(Problem("documents.visit.bad_order", {}, column="last_day"))
    problems += [
        Problem("documents.visit.too_long", {"found": n[:20], "max": MAX_NAME}, column="team")
        for n in names
        if len(n) > MAX_NAME
    ]
    if len(names) > MAX_MEMBERS:
        problems.append(Problem("documents.visit.too_many", {"max": MAX_MEMBERS}, column="team"))
    if problems:
        raise InputError(problems)


def _dict(row: VisitRow) -> dict[str, object]:
    def day(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "first_day": day(row.first_day),
        "last_day": day(row.last_day),
        "team": list(row.team or []),
        "report_date": day(row.report_date),
    }


def assigned_team(session: Session, cycle_id: int, school_id: int) -> tuple[TeamEntry, ...]:
    """The inspectors assigned to the school in the cycle by display name, the lead first."""
    query = (
        select(UserRow.display_name, UserRow.username, AssignmentRow.lead)
        .join(UserRow, UserRow.id == AssignmentRow.inspector_id)
        .where(AssignmentRow.cycle_id == cycle_id, AssignmentRow.school_id == school_id)
        .order_by(AssignmentRow.lead.desc(), AssignmentRow.id)
    )
    return tuple(TeamEntry(name or username, bool(lead)) for name, username, lead in session.execute(query))


def _visit(session: Session, assessment_id: int, cycle_id: int, school_id: int) -> Visit:
    row = session.get(VisitRow, assessment_id)
    assigned = assigned_team(session, cycle_id, school_id)
    if row is None:
        return Visit(assessment_id, assigned_team=assigned)
    entered = tuple(TeamEntry(name, lead=n == 0) for n, name in enumerate(row.team or []))
    return Visit(
        assessment_id,
        first_day=row.first_day,
        last_day=row.last_day,
        entered_team=entered,
        assigned_team=assigned,
        report_date=row.report_date,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
