"""Server-side sign-in sessions, password history and age, failures since the last sign-in, app secrets.

`web_sessions` holds one row per signed-in browser session (the cookie names it by a random token
whose SHA-256 is stored); `password_history` the hashes of each account's recent passwords;
`app_secrets` the cookie-signing key every app server shares. `users.password_changed_at` dates the
password (set to the time of the upgrade for existing accounts) and `users.failures_since_login`
counts failed sign-ins since the last successful one; `users.phone` and `users.email` are the optional contacts of an
accounts import.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading


def upgrade() -> None:
    """Add the session, history and secret tables and the two account columns."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_changed_at", STAMP, nullable=True))
        batch.add_column(sa.Column("failures_since_login", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("phone", sa.String(32), server_default="", nullable=False))
        batch.add_column(sa.Column("email", sa.String(254), server_default="", nullable=False))
    # A password of before this revision is dated from the upgrade: its real age is unknown, and dating it from
    # the account's creation would make every user change it at once.
    users = sa.table("users", sa.column("password_changed_at", STAMP))
    op.execute(users.update().values(password_changed_at=datetime.now(UTC).replace(tzinfo=None)))
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_seen_at", STAMP, nullable=False),
        sa.Column("ended_at", STAMP, nullable=True),
        sa.Column("handoff_hash", sa.String(64), nullable=True),
        sa.Column("handoff_until", STAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
        sa.UniqueConstraint("handoff_hash", name=op.f("uq_web_sessions_handoff_hash")),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_history_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")),
    )
    op.create_index("ix_password_history_user_id", "password_history", ["user_id"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_app_secrets")),
    )


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_table("app_secrets")
    op.drop_index("ix_password_history_user_id", table_name="password_history")
    op.drop_table("password_history")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
        batch.drop_column("phone")
        batch.drop_column("failures_since_login")
        batch.drop_column("password_changed_at")
