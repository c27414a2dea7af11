"""Schema migrations (Alembic) run from code: `upgrade(engine)` on every start, safe when several start.

On SQLite the migration runs with foreign keys off (batch mode may rebuild tables) and checks them
before committing; on PostgreSQL an advisory lock keeps two starting servers from migrating together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from store.engine import is_sqlite, writer

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
PG_MIGRATION_LOCK = 735_104_2024


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the package's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the migrations."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision` in one transaction (nothing is changed if a step fails)."""
    with _migration_connection(engine) as conn:
        command.upgrade(alembic_config(conn), revision)


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    conn = writer(engine).connect()
    try:
        if is_sqlite(engine):
            yield from _sqlite_migration(conn)
        else:
            with conn.begin():
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
                yield conn
    finally:
        conn.close()


def _sqlite_migration(conn: Connection) -> Iterator[Connection]:
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
    try:
        with conn.begin():
            yield conn
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys = ON")
