"""Plain frozen records the service layer returns, and the enumerations of roles and statuses.

Pages and CLI commands only ever see these; ORM objects never leave a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """What an account may do; SYSTEM is the local operator of the CLI and never a stored account."""

    SCHOOL = "school"
    INSPECTOR = "inspector"
    BUREAU = "bureau"
    ADMIN = "admin"
    SYSTEM = "system"


ACCOUNT_ROLES: tuple[Role, ...] = (Role.SCHOOL, Role.INSPECTOR, Role.BUREAU, Role.ADMIN)


class Status(StrEnum):
    """Where an assessment is: draft → submitted → under inspection → finalized, or returned."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_INSPECTION = "under_inspection"
    FINALIZED = "finalized"
    RETURNED = "returned"


SCHOOL_EDITABLE: frozenset[Status] = frozenset({Status.DRAFT, Status.RETURNED})
IN_INSPECTION: frozenset[Status] = frozenset({Status.SUBMITTED, Status.UNDER_INSPECTION})
SNAPSHOT_STATUSES: frozenset[Status] = frozenset({Status.SUBMITTED, Status.UNDER_INSPECTION, Status.FINALIZED})
"""Statuses checked and scored with the school's stages as submitted, not with the register of today."""


class RaterRole(StrEnum):
    """Whose rating: the school's own, one inspector's, or the lead inspector's consensus."""

    SELF = "self"
    INSPECTOR = "inspector"
    CONSENSUS = "consensus"


class CycleStatus(StrEnum):
    """An open cycle takes changes; a closed one is read-only for schools and inspectors."""

    OPEN = "open"
    CLOSED = "closed"


class Ownership(StrEnum):
    """Public (公办) or private (民办) school."""

    PUBLIC = "public"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class User:
    """An account as the pages see it (never its password hash).

    `session_version` is the account's version when this record was read: once the password is set or
    changed, or the account disabled, every call made with an older record is refused (sign in again).
    """

    id: int
    username: str
    display_name: str
    role: Role
    school_id: int | None = None
    active: bool = True
    must_change_password: bool = False
    session_version: int = 0


SYSTEM = User(id=0, username="system", display_name="system", role=Role.SYSTEM)
"""The local operator of the CLI: may do what the bureau and an admin may; cannot log in."""


@dataclass(frozen=True, slots=True)
class School:
    """A school of the register."""

    id: int
    code: str
    name: str
    stages: tuple[str, ...]
    street: str = ""
    ownership: str = ""
    campuses: int | None = None
    active: bool = True
    version: int = 1  # optimistic lock: pass it back as `expected_version` to `Schools.save`


@dataclass(frozen=True, slots=True)
class FrameworkVersion:
    """A stored criteria framework version (its content is read with `Frameworks.get`)."""

    id: int
    framework_id: str
    version: str
    name: str
    content_hash: str
    active: bool
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class Cycle:
    """An inspection cycle, e.g. the 2025 school year, scored with one framework version."""

    id: int
    name: str
    school_year: str
    framework_version_id: int
    status: CycleStatus
    self_deadline: date | None = None
    inspection_deadline: date | None = None
    version: int = 1  # optimistic lock: pass it back as `expected_version` to `Cycles.update`


@dataclass(frozen=True, slots=True)
class Assignment:
    """An inspector assigned to a school in a cycle; `lead` settles consensus and finalizes."""

    id: int
    cycle_id: int
    school_id: int
    school_code: str
    inspector_id: int
    inspector: str
    lead: bool
    inspector_name: str = ""
    """The inspector's display name (what schools and the team see; the user name stays a login id)."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """A school's assessment in a cycle: its facts and where it is in the workflow."""

    id: int
    cycle_id: int
    school_id: int
    school_code: str
    school_name: str
    status: Status
    facts: dict[str, float] = field(default_factory=dict)
    version: int = 1
    updated_by: str = ""
    updated_at: datetime | None = None
    return_note: str = ""
    submitted_at: datetime | None = None
    finalized_at: datetime | None = None
    stages: tuple[str, ...] = ()
    """The stages the assessment is checked and scored with: as submitted, or the register's for a draft."""


@dataclass(frozen=True, slots=True)
class Rating:
    """One rating of one item: a level id or NA, with the account, evidence check and finding."""

    id: int
    assessment_id: int
    item_id: str
    role: RaterRole
    rater: str
    level: str
    account: str = ""
    evidence_verified: bool | None = None
    finding: str = ""
    version: int = 1
    updated_by: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RatingEdit:
    """A change to one rating; `expected_version` is the version read (None: there was none yet).

    `level=None` clears the rating.
    """

    item_id: str
    level: str | None
    account: str = ""
    evidence_verified: bool | None = None
    finding: str = ""
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    """An evidence file attached to an item of an assessment."""

    id: int
    assessment_id: int
    item_id: str
    filename: str
    sha256: str
    size: int
    kind: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log: who did what to which thing, with the values before and after."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    school_id: int | None
    cycle_id: int | None
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a bulk import changed."""

    rows: int
    created: int
    updated: int


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo account and its password, to be shown once."""

    username: str
    role: Role
    display_name: str
    password: str


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What the demo load created; the passwords are shown once and must be changed.

    `cycle_id` is the current (open) cycle, `past_cycle_id` last year's (closed, kept for trends).
    """

    cycle_id: int
    schools: int
    accounts: tuple[DemoAccount, ...]
    past_cycle_id: int | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the acting user may do with one assessment now (for showing or hiding page controls)."""

    view: bool
    edit_self: bool
    rate: bool
    lead: bool


SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # the day of finalization as a Shanghai office sees it


@dataclass(frozen=True, slots=True)
class TeamEntry:
    """One inspector of a visiting team as documents print it: a display name, never an account id."""

    name: str
    lead: bool = False


@dataclass(frozen=True, slots=True)
class Visit:
    """The on-site visit of an assessment: its days, the team as entered and as assigned, the report date."""

    assessment_id: int
    first_day: date | None = None
    last_day: date | None = None
    entered_team: tuple[TeamEntry, ...] = ()
    assigned_team: tuple[TeamEntry, ...] = ()
    report_date: date | None = None
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def team(self) -> tuple[TeamEntry, ...]:
        """The team printed on documents: as entered, else the assigned inspectors (lead first)."""
        return self.entered_team or self.assigned_team

    @property
    def days(self) -> tuple[date, ...]:
        """The first and last day (one day when they are the same); empty when not entered."""
        return tuple(dict.fromkeys(d for d in (self.first_day, self.last_day) if d is not None))

    def document_date(self, finalized_at: datetime | None, today: date) -> date:
        """The date on the documents: as entered, else the day of finalization in Shanghai, else `today`."""
        if self.report_date is not None:
            return self.report_date
        if finalized_at is not None:
            return finalized_at.astimezone(SHANGHAI).date()
        return today


@dataclass(frozen=True, slots=True)
class SignIn:
    """A successful sign-in: the account, and what to tell the user (等保: the last sign-in and failures since)."""

    user: User
    previous_login_at: datetime | None
    failures_since: int
    password_expired: bool = False
