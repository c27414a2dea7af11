"""An inspector's verdict on each evidence file (accepted or insufficient).

`evidence_verdicts` keeps one verdict per evidence link and inspector; removing the link removes
its verdicts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the evidence_verdicts table."""
    op.create_table(
        "evidence_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.Boolean(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["evidence_links.id"],
            name=op.f("fk_evidence_verdicts_link_id_evidence_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_evidence_verdicts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_verdicts")),
        sa.UniqueConstraint("link_id", "user_id", name=op.f("uq_evidence_verdicts_link_id_user_id")),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("evidence_verdicts")
