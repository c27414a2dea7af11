"""The audit log: every change with who, when, what, before and after, and reading it back."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AssessmentRow, AuditRow
from store.records import AuditEntry, User


def jsonable(value: Any) -> Any:
    """`value` with dates, enums, tuples and sets turned into JSON types."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def record(
    session: Session,
    actor: User,
    at: datetime,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: Any = None,
    after: Any = None,
    school_id: int | None = None,
    cycle_id: int | None = None,
) -> None:
    """Add one audit entry to the session's transaction (it commits or rolls back with the change)."""
    session.add(
        AuditRow(
            at=at,
            actor_id=actor.id or None,
            actor=actor.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            school_id=school_id,
            cycle_id=cycle_id,
            before=jsonable(before),
            after=jsonable(after),
        )
    )


def record_event(
    session: Session,
    actor_id: int | None,
    actor_name: str,
    at: datetime,
    action: str,
    entity: str = "",
    entity_id: object = "",
    *,
    after: Any = None,
    school_id: int | None = None,
    cycle_id: int | None = None,
) -> None:
    """Add one audit entry for someone who may not be an account (a failed sign-in names what was typed)."""
    session.add(
        AuditRow(
            at=at,
            actor_id=actor_id or None,
            actor=actor_name[:64],
            action=action[:64],
            entity=entity[:32],
            entity_id=str(entity_id)[:64],
            school_id=school_id,
            cycle_id=cycle_id,
            after=jsonable(after),
        )
    )


def status_change(
    session: Session, actor: User, at: datetime, assessment: AssessmentRow, before: str, **after: Any
) -> None:
    """Log an assessment's move from status `before` to its status now (`after`: more to log with it)."""
    record(
        session,
        actor,
        at,
        f"assessment.{assessment.status}",
        "assessment",
        assessment.id,
        before={"status": before},
        after={"status": assessment.status, **after},
        school_id=assessment.school_id,
        cycle_id=assessment.cycle_id,
    )


def last_change(session: Session, entity: str, entity_id: object) -> AuditRow | None:
    """The latest entry about one thing (who changed it last, and when)."""
    query = (
        select(AuditRow)
        .where(AuditRow.entity == entity, AuditRow.entity_id == str(entity_id))
        .order_by(AuditRow.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def entry_record(row: AuditRow) -> AuditEntry:
    """The plain record of an audit row."""
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        school_id=row.school_id,
        cycle_id=row.cycle_id,
        before=row.before,
        after=row.after,
    )
