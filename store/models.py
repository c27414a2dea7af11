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
