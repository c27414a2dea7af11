"""The visit of each assessment: dates, the inspection team as printed, the report date.

`visits` holds at most one row per assessment (its primary key), removed with the assessment. Nothing is
filled in for existing assessments: documents then show the assigned inspectors and "未录入" dates.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the visits table."""
    op.create_table(
        "visits",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_visits_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_visits")),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("visits")
