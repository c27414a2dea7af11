"""Optimistic locking of assessments and ratings: load for writing, compare the version read, mark the change.

Every change to an assessment or to one of its ratings bumps the assessment's version (and the
rating's own); a save that carries an older version than the stored one is a conflict naming who
changed it and when. Writers lock the assessment row first, so concurrent writers queue instead of
failing at flush.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from store import audit
from store.errors import ConflictError, NotFound
from store.models import AssessmentRow, CycleRow, RatingRow, SchoolRow
from store.records import User


@dataclass(frozen=True)
class Target:
    """An assessment loaded for writing, with its cycle and school."""

    assessment: AssessmentRow
    cycle: CycleRow
    school: SchoolRow

    @property
    def label(self) -> str:
        """How a conflict message names the assessment."""
        return f"{self.school.code} {self.school.name}"


def load(session: Session, assessment_id: int, *, lock: bool) -> Target:
    """The assessment (locked for update when `lock`), its cycle and school; NotFound when missing."""
    row = session.get(AssessmentRow, assessment_id, with_for_update=lock)
    if row is None:
        raise NotFound(what=f"assessment {assessment_id}")
    cycle = session.get(CycleRow, row.cycle_id)
    school = session.get(SchoolRow, row.school_id)
    assert cycle is not None and school is not None
    return Target(row, cycle, school)


def check_assessment_version(target: Target, expected: int) -> None:
    """Refuse a save made from an older copy of the assessment."""
    row = target.assessment
    if row.version_id != expected:
        raise ConflictError(target.label, row.updated_by, row.updated_at)


def check_rating_version(
    session: Session, target: Target, item_id: str, row: RatingRow | None, key: str, expected: int | None
) -> None:
    """Refuse a rating save made from an older copy (or as new when someone added one, or deleted it)."""
    what = f"{target.school.code} / {item_id}"
    if row is not None and row.version_id != expected:
        raise ConflictError(what, row.updated_by, row.updated_at)
    if row is None and expected is not None:
        last = audit.last_change(session, "rating", key)
        raise ConflictError(what, last.actor if last else "", last.at if last else None)


def check_row_version(
    session: Session, entity: str, row: SchoolRow | CycleRow, expected: int | None, what: str
) -> None:
    """Refuse a register or cycle edit made from an older copy (`expected` None: no check, e.g. an import)."""
    if expected is not None and row.version_id != expected:
        last = audit.last_change(session, entity, row.id)
        raise ConflictError(what, last.actor if last else "", last.at if last else None)


def touch(session: Session, target: Target, me: User, now: datetime) -> None:
    """Mark the assessment changed by `me` at `now` (its version is bumped at flush)."""
    target.assessment.updated_by = me.username
    target.assessment.updated_at = now
    session.flush()
