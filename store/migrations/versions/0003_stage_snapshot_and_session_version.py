"""Assessments keep the school's stages they were submitted with; accounts get a session version.

A finalized inspection must not change when the bureau edits the register later, so submitted,
inspected and finalized assessments are checked and scored with `assessments.school_stages`, the
school's stages at submission (backfilled here from the register). Setting or changing a password,
or disabling the account, raises `users.session_version`, which ends the sessions signed in before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SNAPSHOT_STATUSES = ("submitted", "under_inspection", "finalized")


def upgrade() -> None:
    """Add users.session_version (1) and assessments.school_stages, filled for submitted-or-later ones."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default=sa.text("1")))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("school_stages", sa.String(100), nullable=True))
    assessments = sa.table(
        "assessments",
        sa.column("school_id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("school_stages", sa.String()),
    )
    schools = sa.table("schools", sa.column("id", sa.Integer()), sa.column("stages", sa.String()))
    register = sa.select(schools.c.stages).where(schools.c.id == assessments.c.school_id).scalar_subquery()
    op.execute(assessments.update().where(assessments.c.status.in_(SNAPSHOT_STATUSES)).values(school_stages=register))


def downgrade() -> None:
    """Remove what upgrade added."""
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("school_stages")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
