"""An append-only audit log with controlled archiving, and optimistic locks on the register and cycles.

- `audit_archive_runs`: one row per archiving of old audit entries (cut-off, highest id archived,
  the archive file, its SHA-256 and the number of entries, who and when). While a run is `open`
  (inside the archiving transaction only) the entries it covers may be deleted; at no other time.
- Triggers on `audit_log` refuse every UPDATE, and every DELETE not covered by an open archive run;
  on PostgreSQL TRUNCATE too. Triggers on `audit_archive_runs` refuse DELETE and every UPDATE other
  than closing an open run. Both SQLite and PostgreSQL get them.
- `schools.version_id` and `cycles.version_id` (NOT NULL, 1 for the existing rows): the optimistic
  lock of register and cycle edits.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STAMP = sa.DateTime()  # naive UTC; store.models.UTCDateTime adds the zone on reading

APPEND_ONLY = "audit_log is append-only: entries cannot be changed or deleted"
RUNS_KEPT = "audit_archive_runs are kept: only an open run may be closed"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN NOT EXISTS (
        SELECT 1 FROM audit_archive_runs r WHERE r.open = 1 AND OLD.id <= r.max_id AND OLD.at < r.before
    )
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER audit_archive_runs_no_delete BEFORE DELETE ON audit_archive_runs
    BEGIN SELECT RAISE(ABORT, '{RUNS_KEPT}'); END""",
    f"""CREATE TRIGGER audit_archive_runs_close_only BEFORE UPDATE ON audit_archive_runs
    WHEN NOT (OLD.open = 1 AND NEW.open = 0 AND NEW.id = OLD.id AND NEW.before = OLD.before
              AND NEW.max_id = OLD.max_id)
    BEGIN SELECT RAISE(ABORT, '{RUNS_KEPT}'); END""",
)
SQLITE_DROP = (
    "audit_log_no_update",
    "audit_log_no_delete",
    "audit_archive_runs_no_delete",
    "audit_archive_runs_close_only",
)

PG_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION xinyu_audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM audit_archive_runs r WHERE r.open AND OLD.id <= r.max_id AND OLD.at < r.before
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION xinyu_audit_runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.open AND NOT NEW.open AND NEW.id = OLD.id AND NEW.before = OLD.before
           AND NEW.max_id = OLD.max_id THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{RUNS_KEPT}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION xinyu_audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
)
PG_TRIGGERS = (
    "CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION xinyu_audit_log_guard()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION xinyu_audit_no_truncate()",
    "CREATE TRIGGER audit_archive_runs_guard BEFORE UPDATE OR DELETE ON audit_archive_runs "
    "FOR EACH ROW EXECUTE FUNCTION xinyu_audit_runs_guard()",
    "CREATE TRIGGER audit_archive_runs_no_truncate BEFORE TRUNCATE ON audit_archive_runs "
    "FOR EACH STATEMENT EXECUTE FUNCTION xinyu_audit_no_truncate()",
)


def upgrade() -> None:
    """Add the archive runs, the append-only triggers and the version columns."""
    op.create_table(
        "audit_archive_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("before", STAMP, nullable=False),
        sa.Column("max_id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_archive_runs")),
    )
    for table in ("schools", "cycles"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version_id", sa.Integer(), nullable=False, server_default=sa.text("1")))
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*PG_FUNCTIONS, *PG_TRIGGERS):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Remove what upgrade added."""
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (
            ("audit_log_guard", "audit_log"),
            ("audit_log_no_truncate", "audit_log"),
            ("audit_archive_runs_guard", "audit_archive_runs"),
            ("audit_archive_runs_no_truncate", "audit_archive_runs"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("xinyu_audit_log_guard", "xinyu_audit_runs_guard", "xinyu_audit_no_truncate"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in SQLITE_DROP:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("cycles", "schools"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version_id")
    op.drop_table("audit_archive_runs")
