"""ORM rows to the plain records the service layer returns."""

from __future__ import annotations

from store.evidence_files import visible_text
from store.models import (
    AssessmentRow,
    AssignmentRow,
    CycleRow,
    EvidenceFileRow,
    EvidenceLinkRow,
    FrameworkVersionRow,
    RatingRow,
    SchoolRow,
    UserRow,
)
from store.records import (
    SNAPSHOT_STATUSES,
    Assessment,
    Assignment,
    Cycle,
    CycleStatus,
    EvidenceLink,
    FrameworkVersion,
    RaterRole,
    Rating,
    Role,
    School,
    Status,
    User,
)


def user_record(row: UserRow) -> User:
    """The account as pages see it."""
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        school_id=row.school_id,
        active=row.active,
        must_change_password=row.must_change_password,
        session_version=row.session_version,
    )


def school_record(row: SchoolRow) -> School:
    """A school of the register."""
    return School(
        id=row.id,
        code=row.code,
        name=row.name,
        stages=tuple(s for s in row.stages.split(";") if s),
        street=row.street,
        ownership=row.ownership,
        campuses=row.campuses,
        active=row.active,
        version=row.version_id or 1,
    )


def framework_version_record(row: FrameworkVersionRow) -> FrameworkVersion:
    """A stored framework version without its content."""
    return FrameworkVersion(
        id=row.id,
        framework_id=row.framework_id,
        version=row.version,
        name=row.name,
        content_hash=row.content_hash,
        active=row.active,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def cycle_record(row: CycleRow) -> Cycle:
    """An inspection cycle."""
    return Cycle(
        id=row.id,
        name=row.name,
        school_year=row.school_year,
        framework_version_id=row.framework_version_id,
        status=CycleStatus(row.status),
        self_deadline=row.self_deadline,
        inspection_deadline=row.inspection_deadline,
        version=row.version_id or 1,
    )


def assignment_record(row: AssignmentRow, school_code: str, inspector: str, inspector_name: str = "") -> Assignment:
    """An inspector assignment, with the school code and the inspector's user name and display name."""
    return Assignment(
        id=row.id,
        cycle_id=row.cycle_id,
        school_id=row.school_id,
        school_code=school_code,
        inspector_id=row.inspector_id,
        inspector=inspector,
        lead=row.lead,
        inspector_name=inspector_name or inspector,
    )


def effective_stages(row: AssessmentRow, school: SchoolRow) -> str:
    """The stages an assessment is checked and scored with: its snapshot once submitted, else the register's."""
    if row.status in SNAPSHOT_STATUSES and row.school_stages is not None:
        return row.school_stages
    return school.stages


def assessment_record(row: AssessmentRow, school: SchoolRow) -> Assessment:
    """An assessment with its school's code and name."""
    return Assessment(
        id=row.id,
        cycle_id=row.cycle_id,
        school_id=row.school_id,
        school_code=school.code,
        school_name=school.name,
        status=Status(row.status),
        facts=dict(row.facts or {}),
        version=row.version_id,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        return_note=row.return_note,
        submitted_at=row.submitted_at,
        finalized_at=row.finalized_at,
        stages=tuple(s for s in effective_stages(row, school).split(";") if s),
    )


def rating_record(row: RatingRow) -> Rating:
    """One rating."""
    return Rating(
        id=row.id,
        assessment_id=row.assessment_id,
        item_id=row.item_id,
        role=RaterRole(row.role),
        rater=row.rater,
        level=row.level,
        account=row.account,
        evidence_verified=row.evidence_verified,
        finding=row.finding,
        version=row.version_id,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def link_record(row: EvidenceLinkRow, file: EvidenceFileRow) -> EvidenceLink:
    """An evidence link with its file's size and type."""
    return EvidenceLink(
        id=row.id,
        assessment_id=row.assessment_id,
        item_id=row.item_id,
        filename=visible_text(row.filename),  # names stored before invisible characters were removed
        sha256=row.sha256,
        size=file.size,
        kind=file.kind,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )
