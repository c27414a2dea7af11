"""The school register: reading (each role sees its own share) and saving schools (bureau)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from store import audit
from store.context import Area
from store.convert import school_record
from store.errors import NotFound, PermissionDenied
from store.locking import check_row_version
from store.models import AssignmentRow, SchoolRow
from store.policy import MANAGERS, READ_ALL, acting, require
from store.records import Role, School, User
from store.register import SchoolInput, check_register

MANAGE = "store.action.manage_schools"


class Schools(Area):
    """The school register."""

    def list_schools(self, actor: User, cycle_id: int | None = None) -> list[School]:
        """Schools the actor may see, by code: all (bureau), their own (school), assigned ones (inspector)."""
        return self.ctx.read(lambda s: [school_record(r) for r in visible_schools(s, acting(s, actor), cycle_id)])

    def get(self, actor: User, school_id: int) -> School:
        """One school, if the actor may see it."""

        def read(session: Session) -> School:
            me = acting(session, actor)
            row = session.get(SchoolRow, school_id)
            if row is None:
                raise NotFound(what=f"school {school_id}")
            if not may_see_school(session, me, row.id):
                raise PermissionDenied("store.action.view_school")
            return school_record(row)

        return self.ctx.read(read)

    def by_code(self, actor: User, code: str) -> School:
        """One school by its code, if the actor may see it."""
        row = self.ctx.read(lambda s: s.scalars(select(SchoolRow.id).where(SchoolRow.code == code.strip())).first())
        if row is None:
            raise NotFound(what=code)
        return self.get(actor, row)

    def save(
        self,
        actor: User,
        code: str,
        name: str,
        stages: Sequence[str],
        street: str = "",
        ownership: str = "",
        campuses: int | None = None,
        expected_version: int | None = None,
    ) -> School:
        """Add a school or change one, by code (bureau); checked like a register CSV row.

        Submitted, inspected and finalized assessments keep the stages they were submitted with.
        `expected_version`: the `School.version` the edit was made from; a newer one stored is a
        `ConflictError` naming who changed the school and when (None: no check, as for imports).
        """
        frame = pd.DataFrame(
            [
                {
                    "school_code": code,
                    "school_name": name,
                    "stages": ";".join(stages),
                    "street": street,
                    "ownership": ownership,
                    "campuses": "" if campuses is None else str(campuses),
                }
            ]
        )
        (checked,) = check_register(frame, "school")

        def write(session: Session) -> School:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            if expected_version is not None:
                stored = session.scalars(
                    select(SchoolRow).where(SchoolRow.code == checked.code).with_for_update()
                ).first()
                if stored is not None:
                    check_row_version(session, "school", stored, expected_version, f"{stored.code} {stored.name}")
            rows, _, _ = upsert_schools(session, me, [checked], self.ctx.clock())
            return school_record(rows[checked.code])

        return self.ctx.write(actor, write)


def visible_schools(session: Session, me: User, cycle_id: int | None = None) -> list[SchoolRow]:
    """The schools `me` may see, ordered by code."""
    query = select(SchoolRow).order_by(SchoolRow.code)
    if me.role in READ_ALL:
        return list(session.scalars(query))
    if me.role == Role.SCHOOL:
        return list(session.scalars(query.where(SchoolRow.id == me.school_id)))
    if me.role == Role.INSPECTOR:
        assigned = select(AssignmentRow.school_id).where(AssignmentRow.inspector_id == me.id)
        if cycle_id is not None:
            assigned = assigned.where(AssignmentRow.cycle_id == cycle_id)
        return list(session.scalars(query.where(SchoolRow.id.in_(assigned))))
    raise PermissionDenied("store.action.view_school")


def may_see_school(session: Session, me: User, school_id: int) -> bool:
    """Whether `me` may see this school (in any cycle, for an inspector)."""
    if me.role in READ_ALL:
        return True
    if me.role == Role.SCHOOL:
        return me.school_id == school_id
    if me.role == Role.INSPECTOR:
        query = select(AssignmentRow.id).where(
            AssignmentRow.inspector_id == me.id, AssignmentRow.school_id == school_id
        )
        return session.scalars(query).first() is not None
    return False


def upsert_schools(
    session: Session, me: User, inputs: Sequence[SchoolInput], now: datetime
) -> tuple[dict[str, SchoolRow], int, int]:
    """Add or change schools by code, auditing each change: (rows by code, created, updated)."""
    codes = [i.code for i in inputs]
    existing = {r.code: r for r in session.scalars(select(SchoolRow).where(SchoolRow.code.in_(codes)))} if codes else {}
    added: list[tuple[SchoolRow, dict[str, object]]] = []
    updated = 0
    for school in inputs:
        values: dict[str, object] = {**asdict(school), "stages": ";".join(school.stages)}
        values.pop("code")
        row = existing.get(school.code)
        if row is None:
            row = SchoolRow(code=school.code, active=True, created_at=now, **values)
            session.add(row)
            existing[school.code] = row
            added.append((row, values))
            continue
        before = {k: getattr(row, k) for k in values}
        if before != values:
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
            audit.record(
                session,
                me,
                now,
                "school.update",
                "school",
                row.id,
                before=before,
                after=values,
                school_id=row.id,
            )
    session.flush()  # versions move on with the changes
    for row, values in added:
        audit.record(
            session,
            me,
            now,
            "school.add",
            "school",
            row.id,
            after={"code": row.code, **values},
            school_id=row.id,
        )
    return existing, len(added), updated
