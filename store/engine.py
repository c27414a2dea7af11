"""Engines: SQLite (WAL, foreign keys, busy timeout, `BEGIN IMMEDIATE` writes) and PostgreSQL (psycopg 3).

SQLite follows SQLAlchemy's documented pysqlite recipe: the driver's own transaction handling is
turned off and SQLAlchemy's `begin` event emits BEGIN itself, so that write transactions can take
the write lock at once (`BEGIN IMMEDIATE`) instead of failing half-way under WAL.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

WRITE_OPTION = "xinyu_write"
SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str | URL) -> URL:
    """The URL with PostgreSQL pointed at psycopg 3 (`postgresql://` → `postgresql+psycopg://`)."""
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(
    url: str | URL, *, schema: str | None = None, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine for `url`; `schema` puts a PostgreSQL connection's search_path on that schema."""
    url = normalise_url(url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo, busy_timeout_ms)
    connect_args: dict[str, Any] = {}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) marked for write transactions (`BEGIN IMMEDIATE` on SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: URL, echo: bool, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin event emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if url.database and url.database != ":memory:":
            _use_wal(cursor, busy_timeout_ms)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _use_wal(cursor: Any, timeout_ms: int) -> None:
    """Put the file in WAL mode, waiting while another connection holds a lock.

    Changing the journal mode does not wait for the busy timeout: several servers opening a new file
    at once would get "database is locked". Once the file is in WAL mode (it stays so), this only reads.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
