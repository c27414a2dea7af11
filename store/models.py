"""SQLAlchemy 2 tables: register, frameworks, cycles, entered figures, assessments, ratings, evidence, accounts, audit.

The schema itself is created and changed only by the Alembic migrations in `store/migrations`;
these classes must stay in step with them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every backend, returned as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Aware values are converted to UTC and stored without a zone."""
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Stored values come back as aware UTC."""
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    """Declarative base with the constraint naming convention Alembic batch mode needs on SQLite."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SchoolRow(Base):
    """A school of the district register."""

    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    stages: Mapped[str] = mapped_column(String(100))
    street: Mapped[str] = mapped_column(String(100), default="")
    ownership: Mapped[str] = mapped_column(String(16), default="")
    campuses: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # --- issue 11 (migration 0007): optimistic lock of register edits
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (CheckConstraint(_in("ownership", ("", "public", "private")), name="ownership"),)


class FrameworkVersionRow(Base):
    """A criteria framework version: its YAML source, canonical content, hash and activation."""

    __tablename__ = "framework_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    source_text: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CycleRow(Base):
    """An inspection cycle using one framework version."""

    __tablename__ = "cycles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    school_year: Mapped[str] = mapped_column(String(20))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    self_deadline: Mapped[date | None] = mapped_column(Date)
    inspection_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    # --- issue 11 (migration 0007): optimistic lock of cycle edits
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (CheckConstraint(_in("status", ("open", "closed")), name="status"),)


class EnteredFigureRow(Base):
    """A figure the bureau enters for a cycle: a plan target that is not a school fact, in percent."""

    __tablename__ = "entered_figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    target_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("cycle_id", "target_id"),)


class UserRow(Base):
    """An account: role, school link, argon2 hash, lockout state.

    `session_version` goes up when the password is set or changed and when the account is disabled:
    a session holding an older one is refused (see `store.policy.acting`).
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    created_at: Mapped[datetime]
    # --- 0006 (accounts, sessions): password age, failures since the last sign-in -----------------
    password_changed_at: Mapped[datetime | None]
    failures_since_login: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # ----------------------------------------------------------------------------------------------
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (
        CheckConstraint(_in("role", ("school", "inspector", "bureau", "admin")), name="role"),
        CheckConstraint("(role = 'school') = (school_id IS NOT NULL)", name="school_link"),
    )


class AssignmentRow(Base):
    """An inspector assigned to a school in a cycle; at most one lead per school and cycle."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        UniqueConstraint("cycle_id", "school_id", "inspector_id"),
        Index("ix_assignments_inspector_id_cycle_id", "inspector_id", "cycle_id"),
        Index(
            "uq_assignments_one_lead",
            "cycle_id",
            "school_id",
            unique=True,
            sqlite_where=text("lead"),
            postgresql_where=text("lead"),
        ),
    )


class AssessmentRow(Base):
    """A school's assessment in a cycle: facts (JSON), workflow status, optimistic-lock version.

    `school_stages` is the school's stages as the register had them when the assessment was submitted;
    submitted, inspected and finalized assessments are checked and scored with it, drafts and returned
    ones (NULL) follow the register.
    """

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    school_stages: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    return_note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    finalized_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (
        UniqueConstraint("cycle_id", "school_id"),
        CheckConstraint(
            _in("status", ("draft", "submitted", "under_inspection", "finalized", "returned")), name="status"
        ),
    )


class RatingRow(Base):
    """One rating; `slot` is the rater for inspector ratings and '' for self and consensus (one each)."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str] = mapped_column(String(64))
    rater: Mapped[str] = mapped_column(String(64))
    rater_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(Text, default="")
    evidence_verified: Mapped[bool | None] = mapped_column(Boolean)
    finding: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", "role", "slot"),
        CheckConstraint(_in("role", ("self", "inspector", "consensus")), name="role"),
    )


class EvidenceFileRow(Base):
    """A stored evidence file, by content hash; several links may share it."""

    __tablename__ = "evidence_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]


class EvidenceLinkRow(Base):
    """An evidence file attached to an item of an assessment, under a sanitized name."""

    __tablename__ = "evidence_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_files.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", "sha256"),
        Index("ix_evidence_links_sha256", "sha256"),
    )


class EvidenceVerdictRow(Base):
    """An inspector's verdict on one evidence link: accepted (true) or insufficient (false)."""

    __tablename__ = "evidence_verdicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("evidence_links.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verdict: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("link_id", "user_id"),)


# ---------------------------------------------------------------- issue 9 (migration 0008): on-site overrides
class ItemOverrideRow(Base):
    """The inspection team's level of a computed item of one assessment, set on site by the lead, with a reason."""

    __tablename__ = "item_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(64))
    set_by_name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)


# ---------------------------------------------------------------- end of issue 9


class AuditRow(Base):
    """Who did what, when, with the values before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    school_id: Mapped[int | None] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_log_school_id_at", "school_id", "at"),
        Index("ix_audit_log_at", "at"),
    )


# ---------------------------------------------------------------------------------------------------------
# Calibration and quality review (issue 14, migration 0011): cases with master levels, rounds, blind
# ratings, certifications, bureau settings, per-cycle quality settings and the second reader's review.


class CalibrationCaseRow(Base):
    """A case to calibrate on: facts, accounts and evidence without the school's identity, and master levels.

    `items`: item id → {"level": the school's level, "account": its account (identity removed)};
    `evidence`: [{"item_id", "sha256", "filename", "size", "kind"}] (neutral names); `master`: item id →
    {"level", "reason"}; `panel_lead_id`: the inspector chosen to set the master levels (None: the bureau).
    `source_assessment_id` is known to the bureau only.
    """

    __tablename__ = "calibration_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    stages: Mapped[str] = mapped_column(String(100))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[Any] = mapped_column(JSON, default=list)
    master: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    panel_lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}


class CalibrationRoundRow(Base):
    """A calibration round of a cycle: its cases, invited inspectors, deadline; open, then closed."""

    __tablename__ = "calibration_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    case_ids: Mapped[Any] = mapped_column(JSON, default=list)
    inspector_ids: Mapped[Any] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    __table_args__ = (CheckConstraint(_in("status", ("open", "closed")), name="status"),)


class CalibrationRatingRow(Base):
    """An invited inspector's level for one item of one case in a round (seen by them and the bureau only)."""

    __tablename__ = "calibration_ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("calibration_cases.id"))
    item_id: Mapped[str] = mapped_column(String(32))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(16))
    finding: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("round_id", "case_id", "item_id", "inspector_id"),)


class CertificationRow(Base):
    """The bureau's decision on one inspector after a closed round, with the figures and the rule used."""

    __tablename__ = "certifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id"))
    certified: Mapped[bool] = mapped_column(Boolean)
    exact: Mapped[float] = mapped_column(Float)
    adjacent: Mapped[float] = mapped_column(Float)
    min_domain: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    valid_until: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("inspector_id", "round_id"),)


class CalibrationSettingRow(Base):
    """A bureau setting of calibration: `rule` (certification) or `limits` (consistency), as JSON."""

    __tablename__ = "calibration_settings"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class CycleQualityRow(Base):
    """A cycle's quality settings: a second reader before finalizing; refusing uncertified leads."""

    __tablename__ = "cycle_quality"
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), primary_key=True)
    require_review: Mapped[bool] = mapped_column(Boolean, default=False)
    refuse_uncertified_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class QualityReviewRow(Base):
    """The second reader's review of an assessment: pending, sent back (notes per item) or confirmed.

    `proposed_version` is the assessment's version when the lead proposed it: a confirmation holds only
    while the assessment is unchanged since.
    """

    __tablename__ = "quality_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[datetime]
    proposed_version: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime | None]
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (CheckConstraint(_in("status", ("pending", "sent_back", "confirmed")), name="status"),)


# --- issue 11 (migration 0007): archiving of the append-only audit log ---------------------------------


class AuditArchiveRunRow(Base):
    """One archiving of old audit entries: cut-off, highest id, file, hash, count, who and when.

    `audit_log` refuses UPDATE and DELETE by trigger; a DELETE passes only for entries older than
    `before` with an id up to `max_id` while this row is `open`, which it is only inside the archiving
    transaction (`store.audit_archive`). Rows here are never deleted; the only change allowed is closing.
    """

    __tablename__ = "audit_archive_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    before: Mapped[datetime]
    max_id: Mapped[int] = mapped_column(Integer)
    entries: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    open: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(64))


# --- Jobs (issue 13, migration 0010): long work run by a worker or a background thread -------------------


class JobRow(Base):
    """One piece of long work: what, for whom, how far, and where its result is kept.

    `dedupe_key` is unique: the same request (kind, parameters, data version) pressed twice finds the
    job it started the first time. `result_key` names the result in the storage (content-hash key);
    a failed job keeps a catalog key and its parameters (`error_key`, `error_params`), shown in the
    reader's language.
    """

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[Any] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    started_by_id: Mapped[int | None] = mapped_column(Integer)
    started_by: Mapped[str] = mapped_column(String(64))
    cycle_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(128))
    result_key: Mapped[str | None] = mapped_column(String(160))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_size: Mapped[int | None] = mapped_column(Integer)
    error_key: Mapped[str | None] = mapped_column(String(64))
    error_params: Mapped[Any | None] = mapped_column(JSON)
    __table_args__ = (
        Index("ix_jobs_state", "state"),
        Index("ix_jobs_created_at", "created_at"),
    )


# ---------------------------------------------------------------------------------------------------
# Visit record (migration 0009): the on-site visit of an assessment, entered by the bureau or the lead.
class VisitRow(Base):
    """The visit of one assessment: first and last day, the team as printed (names), the report date.

    `team` empty means the assigned inspectors (by display name, lead first); `report_date` empty means
    the day the assessment was finalized.
    """

    __tablename__ = "visits"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    team: Mapped[list[str]] = mapped_column(JSON, default=list)
    report_date: Mapped[date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


# --- 0006 (accounts, sessions): server-side sign-in sessions, password history, app secrets ----------


class WebSessionRow(Base):
    """A signed-in browser session, named by a signed HttpOnly cookie (only the token's hash is kept).

    `session_version` is the account's when the session was opened: a password change or a disabled
    account raises the account's, which ends every session at once. `handoff_hash` is the one-time
    code the browser exchanges (within a minute) for the cookie.
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_until: Mapped[datetime | None]
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)


class PasswordHistoryRow(Base):
    """A password an account has had (its argon2 hash), so that the last few are not used again."""

    __tablename__ = "password_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    __table_args__ = (Index("ix_password_history_user_id", "user_id"),)


class AppSecretRow(Base):
    """A secret every app server shares (the cookie-signing key), made once on first use."""

    __tablename__ = "app_secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
