"""Who may do what. Every service call refreshes the acting user and asks here before it reads or writes.

- school: sees and edits only its own school, edits only while the assessment is a draft or returned;
- inspector: sees only the schools assigned to them in that cycle, edits only their own ratings until
  the assessment is finalized; the lead inspector also sets consensus, returns and finalizes;
- bureau: reads everything; manages cycles, schools, frameworks and assignments;
- admin: manages accounts; system (the local CLI operator): what bureau and admin may.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.convert import user_record
from store.errors import InvalidState, Msg, PasswordChangeRequired, PermissionDenied, ReadOnlyError
from store.models import AssessmentRow, AssignmentRow, CycleRow, QualityReviewRow, UserRow
from store.records import SCHOOL_EDITABLE, SYSTEM, CycleStatus, RaterRole, Role, Status, User

MANAGERS: frozenset[Role] = frozenset({Role.BUREAU, Role.SYSTEM})
ACCOUNT_MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.SYSTEM})
READ_ALL: frozenset[Role] = frozenset({Role.BUREAU, Role.SYSTEM})


class Duty(StrEnum):
    """What an edit is part of: the school's self-assessment, an inspector's rating, the lead's steps."""

    SELF = "self"
    INSPECT = "inspect"
    LEAD = "lead"


DUTY_ACTIONS = {
    Duty.SELF: "store.action.edit_self",
    Duty.INSPECT: "store.action.rate",
    Duty.LEAD: "store.action.lead",
}
ROLE_DUTY = {RaterRole.SELF: Duty.SELF, RaterRole.INSPECTOR: Duty.INSPECT, RaterRole.CONSENSUS: Duty.LEAD}


@dataclass(frozen=True, slots=True)
class Access:
    """What the acting user is to one assessment."""

    view: bool = False
    school: bool = False
    inspector: bool = False
    lead: bool = False
    reads_all: bool = False
    reviewer: bool = False  # the second reader of its proposed result (reads all of it, changes nothing)


def acting(session: Session, actor: User, *, pending_password: bool = False) -> User:
    """The acting user as stored now.

    A disabled or changed account, or a record read before the password was set or changed (an older
    `session_version`), is refused at once. An account that must change its password is refused too,
    unless `pending_password` (changing it, reading its own account).
    """
    if actor == SYSTEM:
        return SYSTEM
    row = session.get(UserRow, actor.id)
    if row is None or not row.active or row.username != actor.username or row.session_version != actor.session_version:
        raise PermissionDenied("store.action.any", key="store.session_invalid")
    if row.must_change_password and not pending_password:
        raise PasswordChangeRequired()
    return user_record(row)


def require(actor: User, roles: Collection[Role], action: str) -> None:
    """Refuse unless the actor has one of `roles`."""
    if actor.role not in roles:
        raise PermissionDenied(action)


def access(session: Session, actor: User, assessment: AssessmentRow) -> Access:
    """The actor's standing towards an assessment."""
    if actor.role in READ_ALL:
        return Access(view=True, reads_all=True)
    if actor.role == Role.SCHOOL:
        own = actor.school_id == assessment.school_id
        return Access(view=own, school=own)
    if actor.role == Role.INSPECTOR:
        lead = assigned_lead(session, actor.id, assessment.cycle_id, assessment.school_id)
        if lead is None and reviews(session, actor.id, assessment.id):
            return Access(view=True, reviewer=True)
        return Access(view=lead is not None, inspector=lead is not None, lead=bool(lead))
    return Access()


def reviews(session: Session, user_id: int, assessment_id: int) -> bool:
    """Whether the user is the second reader named for the assessment's proposed result."""
    query = select(QualityReviewRow.id).where(
        QualityReviewRow.assessment_id == assessment_id, QualityReviewRow.reviewer_id == user_id
    )
    return session.scalars(query).first() is not None


def assigned_lead(session: Session, inspector_id: int, cycle_id: int, school_id: int) -> bool | None:
    """None when the inspector is not assigned to the school in the cycle, else whether they lead."""
    query = select(AssignmentRow.lead).where(
        AssignmentRow.cycle_id == cycle_id,
        AssignmentRow.school_id == school_id,
        AssignmentRow.inspector_id == inspector_id,
    )
    return session.scalars(query).first()


def check_view(standing: Access) -> None:
    """Refuse unless the actor may see the assessment."""
    if not standing.view:
        raise PermissionDenied("store.action.view_assessment")


def check_duty(standing: Access, duty: Duty, assessment: AssessmentRow, cycle: CycleRow, action: str) -> None:
    """Refuse an edit the actor may not make, or may not make now (finalized, closed cycle, wrong status)."""
    allowed = {Duty.SELF: standing.school, Duty.INSPECT: standing.inspector, Duty.LEAD: standing.lead}[duty]
    if not allowed:
        raise PermissionDenied(DUTY_ACTIONS[duty])
    if assessment.status == Status.FINALIZED:
        raise ReadOnlyError("assessment", str(assessment.id), action, assessment.school_id, assessment.cycle_id)
    if cycle.status == CycleStatus.CLOSED:
        raise InvalidState("store.cycle_closed", cycle=cycle.name)
    if duty == Duty.SELF and assessment.status not in SCHOOL_EDITABLE:
        raise InvalidState("store.not_editable", status=Msg(f"store.status.{assessment.status}"))


def rating_visible(standing: Access, actor: User, status: str, role: str, rater_user_id: int | None) -> bool:
    """Whether the actor may see a rating.

    A school sees inspection ratings (levels and findings) once finalized, and while its assessment
    is returned for revision, so that it can act on the findings item by item; an inspector sees the
    school's, the consensus and their own; the lead and the bureau see all.
    """
    if standing.reads_all or standing.lead or standing.reviewer:
        return True
    if standing.school:
        return role == RaterRole.SELF or status in (Status.FINALIZED, Status.RETURNED)
    if standing.inspector:
        return role in (RaterRole.SELF, RaterRole.CONSENSUS) or rater_user_id == actor.id
    return False


def reviewed_schools(session: Session, me: User, cycle_id: int) -> dict[int, Access]:
    """The schools of the cycle whose proposed result `me` reads as second reader, with that standing."""
    query = (
        select(AssessmentRow.school_id)
        .join(QualityReviewRow, QualityReviewRow.assessment_id == AssessmentRow.id)
        .where(AssessmentRow.cycle_id == cycle_id, QualityReviewRow.reviewer_id == me.id)
    )
    return {sid: Access(view=True, reviewer=True) for sid in session.scalars(query)}
