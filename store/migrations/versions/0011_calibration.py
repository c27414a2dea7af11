"""Calibration of inspectors and the second reader (issue 14).

Adds calibration_cases (facts, accounts and evidence without the school's identity; master levels),
calibration_rounds, calibration_ratings (blind ratings), certifications, calibration_settings (the
bureau's certification rule and consistency limits), cycle_quality (a cycle's review and lead settings)
and quality_reviews (one per assessment).

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the calibration and quality-review tables."""
    op.create_table(
        "calibration_settings",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_calibration_settings")),
    )
    op.create_table(
        "calibration_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("inspector_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("closed_at", STAMP, nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_calibration_rounds_status")),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_calibration_rounds_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_rounds")),
        sa.UniqueConstraint("name", name=op.f("uq_calibration_rounds_name")),
    )
    op.create_table(
        "cycle_quality",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("require_review", sa.Boolean(), nullable=False),
        sa.Column("refuse_uncertified_lead", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_cycle_quality_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("cycle_id", name=op.f("pk_cycle_quality")),
    )
    op.create_table(
        "calibration_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("stages", sa.String(length=100), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("master", sa.JSON(), nullable=False),
        sa.Column("source_assessment_id", sa.Integer(), nullable=True),
        sa.Column("panel_lead_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_versions.id"],
            name=op.f("fk_calibration_cases_framework_version_id_framework_versions"),
        ),
        sa.ForeignKeyConstraint(["panel_lead_id"], ["users.id"], name=op.f("fk_calibration_cases_panel_lead_id_users")),
        sa.ForeignKeyConstraint(
            ["source_assessment_id"],
            ["assessments.id"],
            name=op.f("fk_calibration_cases_source_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_cases")),
    )
    op.create_table(
        "certifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("certified", sa.Boolean(), nullable=False),
        sa.Column("exact", sa.Float(), nullable=False),
        sa.Column("adjacent", sa.Float(), nullable=False),
        sa.Column("min_domain", sa.Float(), nullable=True),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"], name=op.f("fk_certifications_inspector_id_users")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["calibration_rounds.id"], name=op.f("fk_certifications_round_id_calibration_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certifications")),
        sa.UniqueConstraint("inspector_id", "round_id", name=op.f("uq_certifications_inspector_id_round_id")),
    )
    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("proposed_at", STAMP, nullable=False),
        sa.Column("proposed_version", sa.Integer(), nullable=False),
        sa.Column("decided_at", STAMP, nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent_back', 'confirmed')", name=op.f("ck_quality_reviews_status")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_quality_reviews_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_quality_reviews_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_quality_reviews_assessment_id")),
    )
    op.create_table(
        "calibration_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["calibration_cases.id"], name=op.f("fk_calibration_ratings_case_id_calibration_cases")
        ),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"], name=op.f("fk_calibration_ratings_inspector_id_users")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_rounds.id"],
            name=op.f("fk_calibration_ratings_round_id_calibration_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_ratings")),
        sa.UniqueConstraint(
            "round_id",
            "case_id",
            "item_id",
            "inspector_id",
            name=op.f("uq_calibration_ratings_round_id_case_id_item_id_inspector_id"),
        ),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("calibration_ratings")
    op.drop_table("quality_reviews")
    op.drop_table("certifications")
    op.drop_table("calibration_cases")
    op.drop_table("cycle_quality")
    op.drop_table("calibration_rounds")
    op.drop_table("calibration_settings")
