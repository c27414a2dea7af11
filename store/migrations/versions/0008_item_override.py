"""On-site overrides of computed items by the inspection team (issue 9).

`item_overrides` keeps, per assessment and computed item, the level the lead inspector set on site
and the reason, which is required; removing the assessment removes its overrides.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the item_overrides table."""
    op.create_table(
        "item_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_by_name", sa.String(200), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_item_overrides_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_overrides")),
        sa.UniqueConstraint("assessment_id", "item_id", name=op.f("uq_item_overrides_assessment_id_item_id")),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("item_overrides")
