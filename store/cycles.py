"""Inspection cycles and inspector assignments, managed by the bureau."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n.problems import InputError, Problem
from scoring.targets import check_entered
from store import audit
from store.context import Area
from store.convert import assignment_record, cycle_record
from store.errors import NotFound, PermissionDenied
from store.locking import check_row_version
from store.models import (
    AssessmentRow,
    AssignmentRow,
    CycleRow,
    EnteredFigureRow,
    FrameworkVersionRow,
    SchoolRow,
    UserRow,
)
from store.policy import MANAGERS, READ_ALL, acting, require
from store.records import Assignment, Cycle, CycleStatus, Role, Status, User

MANAGE = "store.action.manage_cycles"
ASSIGN = "store.action.manage_assignments"
VIEW_FIGURES = "store.action.view_figures"
ENTER_FIGURES = "store.action.enter_figures"


class Cycles(Area):
    """Cycles and assignments."""

    def create(
        self,
        actor: User,
        name: str,
        school_year: str,
        framework_version_id: int,
        self_deadline: date | None = None,
        inspection_deadline: date | None = None,
        school_ids: Sequence[int] | None = None,
    ) -> Cycle:
        """A new open cycle with a draft assessment for each given school (default: every active school)."""

        def write(session: Session) -> Cycle:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = new_cycle(session, me, self.ctx.clock(), name, school_year, framework_version_id)
            row.self_deadline, row.inspection_deadline = self_deadline, inspection_deadline
            ids = (
                school_ids if school_ids is not None else session.scalars(select(SchoolRow.id).where(SchoolRow.active))
            )
            open_assessments(session, me, self.ctx.clock(), row.id, ids)
            return cycle_record(row)

        return self.ctx.write(actor, write)

    def list_cycles(self, actor: User) -> list[Cycle]:
        """Every cycle, newest first (any signed-in user: cycles carry no school data)."""

        def read(session: Session) -> list[Cycle]:
            acting(session, actor)
            return [cycle_record(r) for r in session.scalars(select(CycleRow).order_by(CycleRow.id.desc()))]

        return self.ctx.read(read)

    def current(self, actor: User) -> Cycle | None:
        """The most recent open cycle (the one pages work on unless another is chosen); None when none is open."""

        def read(session: Session) -> Cycle | None:
            acting(session, actor)
            query = select(CycleRow).where(CycleRow.status == CycleStatus.OPEN.value).order_by(CycleRow.id.desc())
            row = session.scalars(query.limit(1)).first()
            return cycle_record(row) if row is not None else None

        return self.ctx.read(read)

    def get(self, actor: User, cycle_id: int) -> Cycle:
        """One cycle."""

        def read(session: Session) -> Cycle:
            acting(session, actor)
            return cycle_record(cycle_row(session, cycle_id))

        return self.ctx.read(read)

    def by_name(self, actor: User, name: str) -> Cycle:
        """One cycle by its name."""

        def read(session: Session) -> Cycle:
            acting(session, actor)
            row = session.scalars(select(CycleRow).where(CycleRow.name == name.strip())).first()
            if row is None:
                raise NotFound(what=name)
            return cycle_record(row)

        return self.ctx.read(read)

    def update(
        self,
        actor: User,
        cycle_id: int,
        *,
        status: CycleStatus | None = None,
        self_deadline: date | None = None,
        inspection_deadline: date | None = None,
        expected_version: int | None = None,
    ) -> Cycle:
        """Change a cycle's status or deadlines (bureau); closed is read-only to schools and inspectors.

        `expected_version`: the `Cycle.version` the change was made from; a newer one stored is a
        `ConflictError` naming who changed the cycle and when (None: no check).
        """

        def write(session: Session) -> Cycle:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = cycle_row(session, cycle_id, lock=True)
            check_row_version(session, "cycle", row, expected_version, row.name)
            before = cycle_record(row)
            if status is not None:
                row.status = CycleStatus(status).value
            if self_deadline is not None:
                row.self_deadline = self_deadline
            if inspection_deadline is not None:
                row.inspection_deadline = inspection_deadline
            session.flush()  # the version moves on with the change
            after = cycle_record(row)
            audit.record(
                session,
                me,
                self.ctx.clock(),
                "cycle.update",
                "cycle",
                row.id,
                before=_cycle_dict(before),
                after=_cycle_dict(after),
                cycle_id=row.id,
            )
            return after

        return self.ctx.write(actor, write)

    def add_schools(self, actor: User, cycle_id: int, school_ids: Sequence[int]) -> int:
        """Open draft assessments for schools not yet in the cycle (bureau); how many were opened."""

        def write(session: Session) -> int:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            cycle_row(session, cycle_id)
            return open_assessments(session, me, self.ctx.clock(), cycle_id, school_ids)

        return self.ctx.write(actor, write)

    def assign(self, actor: User, cycle_id: int, school_id: int, inspector_id: int, lead: bool = False) -> Assignment:
        """Assign an inspector to a school in a cycle (bureau); a new lead replaces the previous lead."""

        def write(session: Session) -> Assignment:
            me = acting(session, actor)
            require(me, MANAGERS, ASSIGN)
            cycle_row(session, cycle_id)
            row = assign(session, me, self.ctx.clock(), cycle_id, school_id, inspector_id, lead)
            return _assignment(session, row)

        return self.ctx.write(actor, write)

    def unassign(self, actor: User, assignment_id: int) -> None:
        """Remove an assignment (bureau); the inspector's ratings stay."""

        def write(session: Session) -> None:
            me = acting(session, actor)
            require(me, MANAGERS, ASSIGN)
            row = session.get(AssignmentRow, assignment_id)
            if row is None:
                raise NotFound(what=f"assignment {assignment_id}")
            before = {"inspector_id": row.inspector_id, "lead": row.lead}
            audit.record(
                session,
                me,
                self.ctx.clock(),
                "assignment.remove",
                "assignment",
                row.id,
                before=before,
                school_id=row.school_id,
                cycle_id=row.cycle_id,
            )
            session.delete(row)

        self.ctx.write(actor, write)

    def assignments(self, actor: User, cycle_id: int) -> list[Assignment]:
        """A cycle's assignments the actor may see: all (bureau), own (inspector), their school's (school)."""

        def read(session: Session) -> list[Assignment]:
            me = acting(session, actor)
            query = select(AssignmentRow).where(AssignmentRow.cycle_id == cycle_id).order_by(AssignmentRow.id)
            if me.role == Role.INSPECTOR:
                query = query.where(AssignmentRow.inspector_id == me.id)
            elif me.role == Role.SCHOOL:
                query = query.where(AssignmentRow.school_id == me.school_id)
            else:
                require(me, READ_ALL, ASSIGN)
            return [_assignment(session, r) for r in session.scalars(query)]

        return self.ctx.read(read)

    def entered_figures(self, actor: User, cycle_id: int) -> dict[str, float]:
        """The figures the bureau entered for a cycle (target id → percent); who reads the district's frames."""

        def read(session: Session) -> dict[str, float]:
            me = acting(session, actor)
            require(me, READ_ALL, VIEW_FIGURES)
            cycle_row(session, cycle_id)
            return _figures(session, cycle_id)

        return self.ctx.read(read)

    def set_entered_figures(self, actor: User, cycle_id: int, figures: Mapping[str, float | None]) -> dict[str, float]:
        """Store the figures of a cycle (bureau): percentages of the entered targets, None removes one.

        Targets not named keep their figure. Bad input (`scoring.targets.check_entered`) raises
        InputError and nothing is written; every change is logged, a figure given again unchanged is not.
        Returns every figure of the cycle afterwards.
        """

        def write(session: Session) -> dict[str, float]:
            me = acting(session, actor)
            require(me, MANAGERS, ENTER_FIGURES)
            check_entered({k: v for k, v in figures.items() if v is not None})
            cycle_row(session, cycle_id, lock=True)
            now = self.ctx.clock()
            query = select(EnteredFigureRow).where(EnteredFigureRow.cycle_id == cycle_id)
            rows = {r.target_id: r for r in session.scalars(query)}
            for target_id, value in figures.items():
                row = rows.get(target_id)
                before = row.value if row is not None else None
                after = float(value) if value is not None else None
                if before == after:
                    continue
                if row is None:
                    session.add(
                        EnteredFigureRow(
                            cycle_id=cycle_id, target_id=target_id, value=after, updated_by=me.username, updated_at=now
                        )
                    )
                elif after is None:
                    session.delete(row)
                else:
                    row.value, row.updated_by, row.updated_at = after, me.username, now
                audit.record(
                    session,
                    me,
                    now,
                    "entered_figure.set",
                    "entered_figure",
                    target_id,
                    before={"value": before} if before is not None else None,
                    after={"value": after} if after is not None else None,
                    cycle_id=cycle_id,
                )
            session.flush()
            return _figures(session, cycle_id)

        return self.ctx.write(actor, write)

    # --- issue 10 (pages that guide): the team of one school, by name, for everyone who works with it
    def team(self, actor: User, cycle_id: int, school_id: int) -> list[Assignment]:
        """The inspectors assigned to one school in a cycle, with their display names, lead first.

        Seen by the bureau, by the school itself and by every inspector assigned to the school (so the
        lead's table and the school's findings name people, never user names); refused to anyone else.
        """

        def read(session: Session) -> list[Assignment]:
            me = acting(session, actor)
            query = select(AssignmentRow).where(
                AssignmentRow.cycle_id == cycle_id, AssignmentRow.school_id == school_id
            )
            rows = list(session.scalars(query.order_by(AssignmentRow.lead.desc(), AssignmentRow.id)))
            if me.role == Role.SCHOOL:
                allowed = me.school_id == school_id
            elif me.role == Role.INSPECTOR:
                allowed = any(r.inspector_id == me.id for r in rows)
            else:
                require(me, READ_ALL, ASSIGN)
                allowed = True
            if not allowed:
                raise PermissionDenied("store.action.view_assessment")
            return [_assignment(session, r) for r in rows]

        return self.ctx.read(read)


def _figures(session: Session, cycle_id: int) -> dict[str, float]:
    query = select(EnteredFigureRow.target_id, EnteredFigureRow.value).where(EnteredFigureRow.cycle_id == cycle_id)
    return {target_id: float(value) for target_id, value in session.execute(query.order_by(EnteredFigureRow.target_id))}


def cycle_row(session: Session, cycle_id: int, lock: bool = False) -> CycleRow:
    """The cycle, or NotFound."""
    row = session.get(CycleRow, cycle_id, with_for_update=lock)
    if row is None:
        raise NotFound(what=f"cycle {cycle_id}")
    return row


def new_cycle(session: Session, me: User, now: datetime, name: str, school_year: str, version_id: int) -> CycleRow:
    """Add an open cycle, checking its name and framework version."""
    name, school_year = name.strip(), school_year.strip()
    problems = []
    if not name or len(name) > 100:
        problems.append(Problem("store.bad_text", {"found": name, "max": 100}, path="name"))
    elif session.scalars(select(CycleRow.id).where(CycleRow.name == name)).first() is not None:
        problems.append(Problem("store.cycle_exists", {"found": name}, path="name"))
    if not school_year or len(school_year) > 20:
        problems.append(Problem("store.bad_text", {"found": school_year, "max": 20}, path="school_year"))
    if session.get(FrameworkVersionRow, version_id) is None:
        problems.append(Problem("store.unknown_framework", {"found": version_id}, path="framework_version_id"))
    if problems:
        raise InputError(problems)
    row = CycleRow(
        name=name,
        school_year=school_year,
        framework_version_id=version_id,
        status=CycleStatus.OPEN.value,
        created_at=now,
    )
    session.add(row)
    session.flush()
    after = {"name": name, "school_year": school_year, "framework_version_id": version_id}
    audit.record(session, me, now, "cycle.add", "cycle", row.id, after=after, cycle_id=row.id)
    return row


def open_assessments(session: Session, me: User, now: datetime, cycle_id: int, school_ids: Iterable[int]) -> int:
    """Draft assessments for the schools not yet in the cycle; how many were opened."""
    present = set(session.scalars(select(AssessmentRow.school_id).where(AssessmentRow.cycle_id == cycle_id)))
    wanted = [i for i in dict.fromkeys(school_ids) if i not in present]
    known = set(session.scalars(select(SchoolRow.id).where(SchoolRow.id.in_(wanted)))) if wanted else set()
    if unknown := [i for i in wanted if i not in known]:
        raise InputError([Problem("input.unknown_school", {"found": i}, path="school_ids") for i in unknown])
    rows = [
        AssessmentRow(
            cycle_id=cycle_id,
            school_id=i,
            facts={},
            status=Status.DRAFT.value,
            return_note="",
            updated_at=now,
            updated_by=me.username,
        )
        for i in wanted
    ]
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(
            session,
            me,
            now,
            "assessment.open",
            "assessment",
            row.id,
            after={"status": row.status},
            school_id=row.school_id,
            cycle_id=cycle_id,
        )
    return len(rows)


def assign(
    session: Session, me: User, now: datetime, cycle_id: int, school_id: int, inspector_id: int, lead: bool
) -> AssignmentRow:
    """Add or change one assignment; a new lead replaces the school's previous lead in the cycle."""
    inspector = session.get(UserRow, inspector_id)
    if inspector is None or inspector.role != Role.INSPECTOR or not inspector.active:
        raise InputError([Problem("store.not_inspector", {"found": inspector_id}, path="inspector_id")])
    if session.get(SchoolRow, school_id) is None:
        raise InputError([Problem("input.unknown_school", {"found": school_id}, path="school_id")])
    query = select(AssignmentRow).where(
        AssignmentRow.cycle_id == cycle_id,
        AssignmentRow.school_id == school_id,
        AssignmentRow.inspector_id == inspector_id,
    )
    row = session.scalars(query).first()
    before = {"inspector": inspector.username, "lead": row.lead} if row is not None else None
    if lead:
        from store.quality import check_leads  # here: store.quality builds on this module

        check_leads(session, cycle_id, [inspector_id], now.date())
        demote_leads(session, me, now, cycle_id, school_id, keep=inspector_id)
    if row is None:
        row = AssignmentRow(cycle_id=cycle_id, school_id=school_id, inspector_id=inspector_id, lead=lead)
        session.add(row)
    row.lead = lead
    session.flush()
    after = {"inspector": inspector.username, "lead": lead}
    if before != after:
        audit_assignment(session, me, now, row, before, after)
    return row


def demote_leads(session: Session, me: User, now: datetime, cycle_id: int, school_id: int, keep: int) -> None:
    """The school's lead in the cycle, unless it is inspector `keep`, is a lead no more (audited)."""
    query = select(AssignmentRow, UserRow.username).join(UserRow, UserRow.id == AssignmentRow.inspector_id)
    query = query.where(
        AssignmentRow.cycle_id == cycle_id,
        AssignmentRow.school_id == school_id,
        AssignmentRow.lead,
        AssignmentRow.inspector_id != keep,
    )
    for row, username in session.execute(query).all():
        row.lead = False
        before, after = {"inspector": username, "lead": True}, {"inspector": username, "lead": False}
        audit_assignment(session, me, now, row, before, after)
    session.flush()  # before a new lead is set: one lead per school and cycle


def audit_assignment(
    session: Session,
    me: User,
    now: datetime,
    row: AssignmentRow,
    before: dict[str, object] | None,
    after: dict[str, object],
) -> None:
    """Log a new or changed assignment with the values before and after."""
    where = {"school_id": row.school_id, "cycle_id": row.cycle_id}
    audit.record(session, me, now, "assignment.set", "assignment", row.id, before=before, after=after, **where)


def _assignment(session: Session, row: AssignmentRow) -> Assignment:
    school = session.get(SchoolRow, row.school_id)
    inspector = session.get(UserRow, row.inspector_id)
    assert school is not None and inspector is not None
    return assignment_record(row, school.code, inspector.username, inspector.display_name)


def _cycle_dict(cycle: Cycle) -> dict[str, object]:
    return {
        "status": cycle.status,
        "self_deadline": cycle.self_deadline,
        "inspection_deadline": cycle.inspection_deadline,
    }
