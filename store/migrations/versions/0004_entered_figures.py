"""The figures the bureau enters per cycle for the plan targets that are not school facts.

Two of the plan's targets (family-guidance stations, community counselling coverage) are percentages
the bureau enters for each cycle; `entered_figures` keeps them, one row per cycle and target.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the entered_figures table."""
    op.create_table(
        "entered_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"], name=op.f("fk_entered_figures_cycle_id_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entered_figures")),
        sa.UniqueConstraint("cycle_id", "target_id", name=op.f("uq_entered_figures_cycle_id_target_id")),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("entered_figures")
