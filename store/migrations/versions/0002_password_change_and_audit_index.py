"""Accounts can be flagged to change their password (demo accounts are); the audit log is indexed by time.

The bureau's audit view lists the latest entries, by school or district-wide, so both are indexed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add users.must_change_password (false for existing accounts) and two audit indexes."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_school_id_at", "audit_log", ["school_id", "at"])


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_index("ix_audit_log_school_id_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
