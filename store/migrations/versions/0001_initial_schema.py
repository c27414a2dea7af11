"""Initial schema: register, frameworks, cycles, accounts, assignments, assessments, ratings, evidence, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Create every table of the first version."""
    _register_tables()
    _people_tables()
    _assessment_tables()
    _evidence_and_audit_tables()


def _register_tables() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stages", sa.String(100), nullable=False),
        sa.Column("street", sa.String(100), nullable=False),
        sa.Column("ownership", sa.String(16), nullable=False),
        sa.Column("campuses", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.CheckConstraint("ownership IN ('', 'public', 'private')", name=op.f("ck_schools_ownership")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("code", name=op.f("uq_schools_code")),
    )
    op.create_table(
        "framework_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_versions")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_framework_versions_content_hash")),
    )
    op.create_table(
        "cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("school_year", sa.String(20), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("self_deadline", sa.Date(), nullable=True),
        sa.Column("inspection_deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_cycles_status")),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_versions.id"],
            name=op.f("fk_cycles_framework_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
        sa.UniqueConstraint("name", name=op.f("uq_cycles_name")),
    )


def _people_tables() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", STAMP, nullable=True),
        sa.Column("last_login_at", STAMP, nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("(role = 'school') = (school_id IS NOT NULL)", name=op.f("ck_users_school_link")),
        sa.CheckConstraint("role IN ('school', 'inspector', 'bureau', 'admin')", name=op.f("ck_users_role")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_users_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_assignments_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"], name=op.f("fk_assignments_inspector_id_users")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_assignments_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "cycle_id",
            "school_id",
            "inspector_id",
            name=op.f("uq_assignments_cycle_id_school_id_inspector_id"),
        ),
    )
    op.create_index("ix_assignments_inspector_id_cycle_id", "assignments", ["inspector_id", "cycle_id"])
    op.create_index(
        "uq_assignments_one_lead",
        "assignments",
        ["cycle_id", "school_id"],
        unique=True,
        sqlite_where=sa.text("lead"),
        postgresql_where=sa.text("lead"),
    )


def _assessment_tables() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("return_note", sa.Text(), nullable=False),
        sa.Column("submitted_at", STAMP, nullable=True),
        sa.Column("finalized_at", STAMP, nullable=True),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'under_inspection', 'finalized', 'returned')",
            name=op.f("ck_assessments_status"),
        ),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_assessments_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name=op.f("fk_assessments_school_id_schools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("cycle_id", "school_id", name=op.f("uq_assessments_cycle_id_school_id")),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("slot", sa.String(64), nullable=False),
        sa.Column("rater", sa.String(64), nullable=False),
        sa.Column("rater_user_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("evidence_verified", sa.Boolean(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("role IN ('self', 'inspector', 'consensus')", name=op.f("ck_ratings_role")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_ratings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["rater_user_id"], ["users.id"], name=op.f("fk_ratings_rater_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint(
            "assessment_id",
            "item_id",
            "role",
            "slot",
            name=op.f("uq_ratings_assessment_id_item_id_role_slot"),
        ),
    )


def _evidence_and_audit_tables() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_files")),
    )
    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.Column("uploaded_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_evidence_links_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["evidence_files.sha256"], name=op.f("fk_evidence_links_sha256_evidence_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_links")),
        sa.UniqueConstraint(
            "assessment_id", "item_id", "sha256", name=op.f("uq_evidence_links_assessment_id_item_id_sha256")
        ),
    )
    op.create_index("ix_evidence_links_sha256", "evidence_links", ["sha256"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])


def downgrade() -> None:
    """Drop every table."""
    for table in (
        "audit_log",
        "evidence_links",
        "evidence_files",
        "ratings",
        "assessments",
        "assignments",
        "users",
        "cycles",
        "framework_versions",
        "schools",
    ):
        op.drop_table(table)
